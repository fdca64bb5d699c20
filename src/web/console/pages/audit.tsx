import { Hono } from 'hono';
import { parseInstant } from '../../../domain/parse-instant.js';
import { listAuditEntries } from '../../../store/audit-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { consoleFrameOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim().slice(0, 100));
const day = (value: string | undefined) => {
  const v = text(value);
  if (v === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const parsed = parseInstant(`${v} 00:00`);
  return parsed.ok ? parsed.value : undefined;
};

/** The audit log (issue #7): the chain's newest entries, filtered by actor, action, subject and date (Japan). */
export function auditPages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'viewAudit'));

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = consoleText[lang];
    const filter = { actor: text(c.req.query('actor')), action: text(c.req.query('action')), subjectId: text(c.req.query('subject')), from: day(c.req.query('from')), until: day(c.req.query('until')) };
    const untilNextDay = filter.until === undefined ? undefined : new Date(filter.until.getTime() + 24 * 3600 * 1000);
    const entries = await listAuditEntries(deps.db, { ...filter, until: untilNextDay }, 300);
    return c.html(
      <ConsoleLayout frame={consoleFrameOf(c, deps, 'audit')} title={t.auditTitle}>
        <form method="get" action="/console/audit" class="filters">
          <div>
            <label for="actor">{t.actor}</label>
            <input id="actor" name="actor" value={filter.actor ?? ''} size={24} />
          </div>
          <div>
            <label for="action">{t.action}</label>
            <input id="action" name="action" value={filter.action ?? ''} size={24} />
          </div>
          <div>
            <label for="subject">{t.subjectId}</label>
            <input id="subject" name="subject" value={filter.subjectId ?? ''} size={36} />
          </div>
          <div>
            <label for="from">{t.from}</label>
            <input id="from" name="from" type="date" value={c.req.query('from') ?? ''} />
          </div>
          <div>
            <label for="until">{t.until}</label>
            <input id="until" name="until" type="date" value={c.req.query('until') ?? ''} />
          </div>
          <button type="submit">{t.filter}</button>
        </form>
        <table>
          <thead>
            <tr>
              <th scope="col" class="num">{t.colSeq}</th>
              <th scope="col">{t.colAt}</th>
              <th scope="col">{t.colActor}</th>
              <th scope="col">{t.colAction}</th>
              <th scope="col">{t.colSubject}</th>
              <th scope="col">{t.colChange}</th>
              <th scope="col">{t.colHash}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td class="num mono">{e.seq}</td>
                <td>{formatInstant(e.at, lang)}</td>
                <td class="mono">{e.actor}</td>
                <td class="mono">{e.action}</td>
                <td class="mono">
                  {e.subjectType === 'application' ? <a href={`/console/applications/${e.subjectId}`}>{e.subjectId}</a> : `${e.subjectType}:${e.subjectId}`}
                </td>
                <td class="mono">{[e.before === null ? '' : JSON.stringify(e.before), e.after === null ? '' : `→ ${JSON.stringify(e.after)}`].filter(Boolean).join(' ').slice(0, 300)}</td>
                <td class="mono muted" title={e.hash}>
                  {e.hash.slice(0, 12)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    );
  });

  return app;
}
