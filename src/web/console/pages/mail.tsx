import { Hono } from 'hono';
import { resendFailedMail } from '../../../ra/resend-mail.js';
import { listOutboxLog, type OutboxStatus } from '../../../store/outbox-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { consoleFrameOf, operatorOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const statuses: readonly OutboxStatus[] = ['pending', 'sent', 'failed'];

/** The mail log (issue #7): recipient domain only, subject, status, attempts, last error; resend a failed one. */
export function mailPages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'viewMail'));

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = consoleText[lang];
    const status = statuses.find((s) => s === c.req.query('status'));
    const rows = await listOutboxLog(deps.db, status, 300);
    const frame = consoleFrameOf(c, deps, 'mail', { resent: { kind: 'ok', text: t.resent }, notFailed: { kind: 'error', text: t.mailStatus.failed } });
    return c.html(
      <ConsoleLayout frame={frame} title={t.mailTitle}>
        <form method="get" action="/console/mail" class="filters">
          <div>
            <label for="status">{t.colState}</label>
            <select id="status" name="status">
              <option value="">{t.any}</option>
              {statuses.map((s) => (
                <option value={s} selected={status === s}>
                  {t.mailStatus[s]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t.filter}</button>
        </form>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.colAt}</th>
              <th scope="col">{t.colTo}</th>
              <th scope="col">{t.colSubjectLine}</th>
              <th scope="col">{t.colState}</th>
              <th scope="col" class="num">{t.colAttempts}</th>
              <th scope="col">{t.colLastError}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr>
                <td>{formatInstant(m.createdAt, lang)}</td>
                <td class="mono">{m.toAddress.slice(m.toAddress.lastIndexOf('@') + 1)}</td>
                <td>{m.subject}</td>
                <td>{t.mailStatus[m.status]}</td>
                <td class="num">{m.attempts}</td>
                <td class="mono muted">{(m.lastError ?? '').slice(0, 120)}</td>
                <td>
                  {m.status === 'failed' && (
                    <form method="post" action={`/console/mail/${m.id}/resend`}>
                      <Csrf token={frame.csrf} />
                      <button type="submit">{t.resend}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    );
  });

  app.post('/:id/resend', requireAction(deps, 'resendMail'), async (c) => {
    const result = await resendFailedMail(deps, { outboxId: c.req.param('id'), actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(`/console/mail?done=${result.ok ? 'resent' : 'notFailed'}`, 303);
  });

  return app;
}
