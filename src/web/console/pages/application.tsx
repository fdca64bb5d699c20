import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { effectiveState } from '../../../domain/application-state.js';
import { formatCouponNumber, registrationFields, registrationSections, type RegistrationRow } from '../../../domain/input/registration.js';
import { rejectionReasons } from '../../../domain/rejection-reasons.js';
import { changedFields } from '../../../domain/registration-diff.js';
import { isClaimHeld, reviewRefusal, type ReviewView } from '../../../domain/review.js';
import { vettingAgeOf } from '../../../domain/vetting.js';
import { approveApplication, rejectApplication } from '../../../ra/decide-application.js';
import { changeClaim } from '../../../ra/review-application.js';
import { listAuditOfSubject } from '../../../store/audit-store.js';
import { findOperatorById } from '../../../store/operator-store.js';
import { findReviewedApplication, findSubscriberVetting, listDecisions } from '../../../store/review-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatDay, formatInstant } from '../../format.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { rowLabel, rowValue } from '../../portal/confirmation-table.js';
import { sectionTitle } from '../../portal/registration-form.js';
import { raDepsOf } from '../../request.js';
import { consoleFrameOf, operatorOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
const rowFields = (row: RegistrationRow) => (row.kind === 'field' ? [row.field] : row.fields);

/** Every field as submitted, beside the previous registration on a renewal, differences marked (issue #7). */
const RegistrationTable: FC<{ lang: Lang; values: Record<string, string>; previous: Record<string, string> | undefined }> = ({ lang, values, previous }) => {
  const t = consoleText[lang];
  const changed = previous === undefined ? new Set<string>() : changedFields(previous, values);
  return (
    <>
      {previous !== undefined && <p class={changed.size > 0 ? 'warn' : 'note'}>{changed.size > 0 ? t.changedCount(changed.size) : t.noChanges}</p>}
      {/* The coupon is in the summary: the registration keeps no coupon number. */}
      {registrationSections.filter(({ section }) => section !== 'coupon').map(({ section, rows }) => (
        <>
          <h3>{sectionTitle(section, lang)}</h3>
          <table class="diff">
            <thead>
              <tr>
                <th scope="col">{t.field}</th>
                {previous !== undefined && <th scope="col">{t.previous}</th>}
                <th scope="col">{previous !== undefined ? t.submitted : ''}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const isChanged = rowFields(row).some((f) => changed.has(f));
                const locked = rowFields(row).every((f) => registrationFields[f].isLockedOnRenewal === true);
                return (
                  <tr class={isChanged ? 'changed' : undefined}>
                    <th scope="row">
                      {rowLabel(row, lang)}
                      {isChanged && <span class="visually-hidden">({t.changed})</span>}
                    </th>
                    {previous !== undefined && <td class={isChanged ? 'changed' : undefined}>{rowValue(row, previous, lang)}</td>}
                    <td class={isChanged ? 'changed' : locked && previous !== undefined ? 'muted' : undefined}>{rowValue(row, values, lang)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ))}
    </>
  );
};

/** The application's detail and the review's actions. */
export function applicationPages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);
  app.use(requireAction(deps, 'review'));

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const lang = c.get('lang');
    const t = consoleText[lang];
    const application = isUuid(id) ? await findReviewedApplication(deps.db, id) : undefined;
    if (application === undefined) return c.notFound();
    const now = deps.clock.now();
    const me = operatorOf(c);
    const [decisions, history, subscriber, claimer] = await Promise.all([
      listDecisions(deps.db, id),
      listAuditOfSubject(deps.db, 'application', id),
      application.subscriberId === null ? undefined : findSubscriberVetting(deps.db, application.subscriberId),
      application.claimedBy === null ? undefined : findOperatorById(deps.db, application.claimedBy),
    ]);
    const view: ReviewView = {
      state: application.state,
      finalAt: application.finalAt,
      claimedBy: application.claimedBy,
      claimExpiresAt: application.claimExpiresAt,
      approvedBy: decisions.filter((d) => d.decision === 'approve').map((d) => d.operatorId),
      requiredApprovals: deps.review.requiredApprovals,
    };
    // Operators by e-mail, not by id, in the history.
    const operatorIds = [...new Set(history.map((h) => /^operator:([0-9a-f-]{36})$/.exec(h.actor)?.[1]).filter((x): x is string => x !== undefined))];
    const emails = new Map((await Promise.all(operatorIds.map((oid) => findOperatorById(deps.db, oid)))).filter((o) => o !== undefined).map((o) => [`operator:${o.id}`, o.email]));
    const actorName = (actor: string) => emails.get(actor) ?? actor;
    const may = (action: 'claim' | 'release' | 'approve' | 'reject') => reviewRefusal(action, me.operatorId, view, now) === undefined;
    const state = effectiveState(application.state, application.finalAt, now);
    const vettedAt = subscriber?.vettedAt ?? null;
    const vetting = application.kind === 'renewal' && vettedAt !== null ? vettingAgeOf(vettedAt, now) : undefined;
    const isRenewal = application.kind === 'renewal';
    const frame = consoleFrameOf(c, deps, 'queue', {
      claimed: { kind: 'ok', text: t.claimedDone },
      released: { kind: 'ok', text: t.releasedDone },
      approved: { kind: 'ok', text: t.approvedDone },
      approvedFirst: { kind: 'ok', text: t.approvedFirst },
      rejected: { kind: 'ok', text: t.rejectedDone },
      ...Object.fromEntries(Object.entries(t.reviewCodes).map(([code, text]) => [code, { kind: 'error' as const, text }])),
    });
    const stateLabel = { provisional: t.counts.provisional, final: isClaimHeld(view, now) || view.approvedBy.length > 0 ? t.counts.underReview : t.counts.waiting, approved: t.counts.approved, rejected: t.counts.rejected, issued: t.counts.issued, cancelled: t.counts.cancelled }[state];
    return c.html(
      <ConsoleLayout frame={frame} title={t.detailTitle(application.acceptanceNumber)}>
        <p>
          <a href="/console/queue">{t.back}</a>
        </p>
        <div class="grid">
          <div>
            <div class="panel">
              <h2>{t.registration}</h2>
              <RegistrationTable lang={lang} values={application.registration} previous={isRenewal ? subscriber?.registration : undefined} />
            </div>
            <div class="panel">
              <h2>{t.history}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">{t.colSeq}</th>
                    <th scope="col">{t.colAt}</th>
                    <th scope="col">{t.colActor}</th>
                    <th scope="col">{t.colAction}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((h) => (
                    <tr>
                      <td class="num mono">{h.seq}</td>
                      <td>{formatInstant(h.at, lang)}</td>
                      <td class="mono">{actorName(h.actor)}</td>
                      <td class="mono">{h.action}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div>
            <div class="panel">
              <h2>{t.summary}</h2>
              <dl class="facts">
                <dt>{t.state}</dt>
                <dd>
                  <strong>{stateLabel}</strong>
                  {view.approvedBy.length > 0 && state === 'final' ? ` (${t.approvalsOf(view.approvedBy.length, deps.review.requiredApprovals)})` : ''}
                </dd>
                <dt>{t.kind}</dt>
                <dd>{isRenewal ? t.kindRenewal : t.kindNew}</dd>
                <dt>{t.provisionalAt}</dt>
                <dd>{formatInstant(application.provisionalAt, lang)}</dd>
                <dt>{t.finalAt}</dt>
                <dd>{formatInstant(application.finalAt, lang)}</dd>
                {application.decidedAt !== null && (
                  <>
                    <dt>{t.decidedAt}</dt>
                    <dd>{formatInstant(application.decidedAt, lang)}</dd>
                  </>
                )}
                <dt>{t.coupon}</dt>
                <dd class="mono">{`****-${formatCouponNumber(application.couponNumber).slice(-4)}`}</dd>
                <dt>{t.partner}</dt>
                <dd>{application.partner}</dd>
                <dt>{t.lang}</dt>
                <dd>{application.lang}</dd>
              </dl>
            </div>
            <div class="panel">
              <h2>{t.vetting}</h2>
              {vetting === undefined ? (
                <p>{t.vettingNew}</p>
              ) : (
                <>
                  <dl class="facts">
                    <dt>{t.vettedAt}</dt>
                    <dd>
                      {formatDay(vetting.vettedAt, lang)} ({t.vettingAge(vetting.ageDays)})
                    </dd>
                  </dl>
                  <p class={vetting.isReusable ? 'note' : 'warn'}>{vetting.isReusable ? t.vettingReusable(formatDay(vetting.reusableUntil, lang)) : t.vettingExpired(formatDay(vetting.reusableUntil, lang))}</p>
                </>
              )}
            </div>
            <div class="panel">
              <h2>{t.colReview}</h2>
              {state !== 'final' ? (
                <p>{t.notReviewable}</p>
              ) : (
                <>
                  {isClaimHeld(view, now) && view.claimExpiresAt !== null && (
                    <p class={view.claimedBy === me.operatorId ? 'note' : 'warn'}>
                      {view.claimedBy === me.operatorId ? t.claimedUntil(formatInstant(view.claimExpiresAt, lang)) : t.claimedByOther(claimer?.email ?? '?', formatInstant(view.claimExpiresAt, lang))}
                    </p>
                  )}
                  {may('claim') && !(isClaimHeld(view, now) && view.claimedBy === me.operatorId) && (
                    <form method="post" action={`/console/applications/${id}/claim`}>
                      <Csrf token={frame.csrf} />
                      <button type="submit" class="primary" accesskey="c">
                        {t.claim}
                      </button>
                    </form>
                  )}
                  {may('approve') && (
                    <form method="post" action={`/console/applications/${id}/approve`} class="field">
                      <Csrf token={frame.csrf} />
                      {isRenewal && (
                        <div class="field">
                          <label>
                            <input type="checkbox" name="vettingRedone" value="1" checked={vetting !== undefined && !vetting.isReusable} /> {t.vettingRedone}
                          </label>
                        </div>
                      )}
                      <button type="submit" class="primary" accesskey="a">
                        {view.approvedBy.length > 0 ? t.approveSecond : t.approve}
                      </button>
                    </form>
                  )}
                  {may('reject') && (
                    <form method="post" action={`/console/applications/${id}/reject`} class="field">
                      <Csrf token={frame.csrf} />
                      <div class="field">
                        <label for="reason">{t.reason}</label>
                        <select id="reason" name="reason" required>
                          <option value="">{t.chooseReason}</option>
                          {rejectionReasons.map((r) => (
                            <option value={r}>{t.reasons[r]}</option>
                          ))}
                        </select>
                      </div>
                      <div class="field">
                        <label for="note">{t.note}</label>
                        <textarea id="note" name="note" rows={3} cols={40} maxlength={1000}></textarea>
                      </div>
                      <button type="submit" class="danger">
                        {t.reject}
                      </button>
                    </form>
                  )}
                  {may('release') && (
                    <form method="post" action={`/console/applications/${id}/release`} class="field">
                      <Csrf token={frame.csrf} />
                      <button type="submit">{t.release}</button>
                    </form>
                  )}
                </>
              )}
            </div>
            <div class="panel">
              <h2>{t.decisions}</h2>
              {decisions.length === 0 ? (
                <p class="muted">{t.none}</p>
              ) : (
                <ul>
                  {decisions.map((d) => (
                    <li>
                      {formatInstant(d.at, lang)} {d.operatorEmail}: {d.decision === 'approve' ? t.approve : `${t.reject} (${d.reasonCode === null ? '' : (t.reasons as Record<string, string>)[d.reasonCode] ?? d.reasonCode})`}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      </ConsoleLayout>,
    );
  });

  const back = (id: string, done: string) => `/console/applications/${id}?done=${encodeURIComponent(done)}`;

  app.post('/:id/claim', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const result = await changeClaim(ra, { applicationId: id, operatorId: operatorOf(c).operatorId, action: 'claim' });
    return c.redirect(back(id, result.ok ? 'claimed' : result.code), 303);
  });

  app.post('/:id/release', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const result = await changeClaim(ra, { applicationId: id, operatorId: operatorOf(c).operatorId, action: 'release' });
    return c.redirect(back(id, result.ok ? 'released' : result.code), 303);
  });

  app.post('/:id/approve', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const result = await approveApplication(ra, { applicationId: id, operatorId: operatorOf(c).operatorId, isVettingRedone: c.get('form')['vettingRedone'] === '1' });
    return c.redirect(back(id, result.ok ? (result.value.isComplete ? 'approved' : 'approvedFirst') : result.code), 303);
  });

  app.post('/:id/reject', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const form = c.get('form');
    const result = await rejectApplication(ra, { applicationId: id, operatorId: operatorOf(c).operatorId, reason: form['reason'] ?? '', note: form['note'] ?? '' });
    return c.redirect(back(id, result.ok ? 'rejected' : result.code), 303);
  });

  return app;
}
