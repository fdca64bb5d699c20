import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { DAY_MS } from '../../../domain/renewal-window.js';
import { countApplicationsByState, listQueuePartners, listReviewQueue, type QueueRow, type QueueSort, type QueueState } from '../../../store/review-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { consoleFrameOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const sorts: readonly QueueSort[] = ['finalAt', 'acceptanceNumber', 'kind', 'name', 'partner'];
const ageChoices = [1, 3, 7, 14] as const;
const QUEUE_LIMIT = 500;

interface QueueQuery {
  kind: 'new' | 'renewal' | undefined;
  minAgeDays: number | undefined;
  partner: string | undefined;
  sort: QueueSort;
  direction: 'asc' | 'desc';
}

function queryOf(get: (name: string) => string | undefined): QueueQuery {
  const kind = get('kind');
  const age = Number(get('age'));
  const sort = sorts.find((s) => s === get('sort')) ?? 'finalAt';
  const partner = get('partner');
  return {
    kind: kind === 'new' || kind === 'renewal' ? kind : undefined,
    minAgeDays: (ageChoices as readonly number[]).includes(age) ? age : undefined,
    partner: partner === undefined || partner === '' ? undefined : partner.slice(0, 80),
    sort,
    direction: get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

/** The queue's address with one thing changed (sort links keep the filters). */
function hrefOf(q: QueueQuery, change: Partial<QueueQuery>): string {
  const next = { ...q, ...change };
  const params = new URLSearchParams();
  if (next.kind !== undefined) params.set('kind', next.kind);
  if (next.minAgeDays !== undefined) params.set('age', String(next.minAgeDays));
  if (next.partner !== undefined) params.set('partner', next.partner);
  if (next.sort !== 'finalAt') params.set('sort', next.sort);
  if (next.direction !== 'asc') params.set('dir', next.direction);
  const text = params.toString();
  return `/console/queue${text === '' ? '' : `?${text}`}`;
}

const ageOf = (t: (typeof consoleText)[Lang], finalAt: Date, now: Date) => {
  const hours = Math.max(0, Math.floor((now.getTime() - finalAt.getTime()) / 3_600_000));
  return t.ageText(Math.floor(hours / 24), hours % 24);
};

/** A column header that sorts by it: the same column again reverses the order. */
const SortHeader: FC<{ q: QueueQuery; sort: QueueSort; label: string; lang: Lang }> = ({ q, sort, label, lang }) => {
  const isCurrent = q.sort === sort;
  const direction = isCurrent && q.direction === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={isCurrent ? (q.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={hrefOf(q, { sort, direction })} title={consoleText[lang].sortBy(label)}>
        {label}
        {isCurrent ? (q.direction === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
};

/** 審査キュー (issue #7): final applications oldest first, with the hour applied; counts; filters. */
export function queuePages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'review'));

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = consoleText[lang];
    const now = deps.clock.now();
    const q = queryOf((name) => c.req.query(name));
    const filter = { kind: q.kind, partner: q.partner, olderThan: q.minAgeDays === undefined ? undefined : new Date(now.getTime() - q.minAgeDays * DAY_MS) };
    const [rows, { counts, oldestWaitingFinalAt }, partners] = await Promise.all([
      listReviewQueue(deps.db, now, filter, q.sort, q.direction, QUEUE_LIMIT),
      countApplicationsByState(deps.db, now),
      listQueuePartners(deps.db),
    ]);
    const order: QueueState[] = ['waiting', 'underReview', 'provisional', 'approved', 'rejected', 'issued', 'cancelled'];
    return c.html(
      <ConsoleLayout frame={consoleFrameOf(c, deps, 'queue')} title={t.queueTitle}>
        <ul class="counts" aria-label={t.state}>
          {order.map((state) => (
            <li>
              {t.counts[state]}
              <span class="n">{counts[state]}</span>
            </li>
          ))}
          <li>
            {t.oldestWaiting}
            <span class="n">{oldestWaitingFinalAt === null ? t.none : ageOf(t, oldestWaitingFinalAt, now)}</span>
          </li>
        </ul>
        <form method="get" action="/console/queue" class="filters">
          <div>
            <label for="kind">{t.filterKind}</label>
            <select id="kind" name="kind">
              <option value="">{t.any}</option>
              <option value="new" selected={q.kind === 'new'}>{t.kindNew}</option>
              <option value="renewal" selected={q.kind === 'renewal'}>{t.kindRenewal}</option>
            </select>
          </div>
          <div>
            <label for="age">{t.filterAge}</label>
            <select id="age" name="age">
              <option value="">{t.ageAny}</option>
              {ageChoices.map((d) => (
                <option value={String(d)} selected={q.minAgeDays === d}>
                  {t.ageDays(d)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="partner">{t.filterPartner}</label>
            <select id="partner" name="partner">
              <option value="">{t.any}</option>
              {partners.map((p) => (
                <option value={p} selected={q.partner === p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t.filter}</button>
        </form>
        {rows.length === 0 ? (
          <p>{t.queueEmpty}</p>
        ) : (
          <table class="queue">
            <thead>
              <tr>
                <SortHeader q={q} sort="acceptanceNumber" label={t.colAcceptanceNumber} lang={lang} />
                <SortHeader q={q} sort="kind" label={t.colKind} lang={lang} />
                <SortHeader q={q} sort="name" label={t.colName} lang={lang} />
                <th scope="col">{t.colOrganisation}</th>
                <SortHeader q={q} sort="finalAt" label={t.colFinalAt} lang={lang} />
                <th scope="col" class="num">{t.colAge}</th>
                <SortHeader q={q} sort="partner" label={t.colPartner} lang={lang} />
                <th scope="col">{t.colReview}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row: QueueRow) => (
                <tr>
                  <td class="mono">
                    <a href={`/console/applications/${row.id}`}>{row.acceptanceNumber}</a>
                  </td>
                  <td>{row.kind === 'new' ? t.kindNew : t.kindRenewal}</td>
                  <td>{row.nameJa}</td>
                  <td>{row.orgNameJa}</td>
                  <td>{formatInstant(row.finalAt, lang)}</td>
                  <td class="num">{ageOf(t, row.finalAt, now)}</td>
                  <td>{row.partner}</td>
                  <td>
                    {row.claimedByEmail !== null ? t.claimedBy(row.claimedByEmail) : ''}
                    {row.approvals > 0 ? ` ${t.approvalsOf(row.approvals, deps.review.requiredApprovals)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ConsoleLayout>,
    );
  });

  return app;
}
