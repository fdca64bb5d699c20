import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { upcomingWindows } from '../../../domain/maintenance.js';
import { formatInstantInJapan, parseInstant } from '../../../domain/parse-instant.js';
import { removeMaintenance } from '../../../ra/remove-maintenance.js';
import { rescheduleMaintenance } from '../../../ra/reschedule-maintenance.js';
import { scheduleMaintenance } from '../../../ra/schedule-maintenance.js';
import { findMaintenanceWindow, listMaintenanceWindowsNotEndedBy, type MaintenanceWindowRow } from '../../../store/maintenance-store.js';
import type { Lang, WebDeps, WebEnv } from '../../env.js';
import { formatPeriod } from '../../maintenance/views.js';
import { Csrf } from '../../portal/lookup-fields.js';
import { consoleFrameOf, operatorOf, requireAction } from '../console-app.js';
import { ConsoleLayout } from '../layout.js';
import { consoleText } from '../messages.js';

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);

const WindowForm: FC<{ lang: Lang; csrf: string; action: string; window?: MaintenanceWindowRow; button: string }> = ({ lang, csrf, action, window, button }) => {
  const t = consoleText[lang];
  return (
    <form method="post" action={action} class="filters">
      <Csrf token={csrf} />
      <div>
        <label for={`${action}-starts`}>{t.startsAt}</label>
        <input id={`${action}-starts`} name="startsAt" required placeholder="2026-12-01 02:00" value={window === undefined ? '' : formatInstantInJapan(window.startsAt)} size={18} />
      </div>
      <div>
        <label for={`${action}-ends`}>{t.endsAt}</label>
        <input id={`${action}-ends`} name="endsAt" required placeholder="2026-12-01 06:00" value={window === undefined ? '' : formatInstantInJapan(window.endsAt)} size={18} />
      </div>
      <div>
        <label for={`${action}-ja`}>{t.messageJa}</label>
        <input id={`${action}-ja`} name="messageJa" required maxlength={1000} size={40} value={window?.messageJa ?? ''} />
      </div>
      <div>
        <label for={`${action}-en`}>{t.messageEn}</label>
        <input id={`${action}-en`} name="messageEn" maxlength={1000} size={30} value={window?.messageEn ?? ''} />
      </div>
      <button type="submit" class="primary">
        {button}
      </button>
    </form>
  );
};

/** Maintenance windows in the console (issue #7): the same use cases as `certdesk maintenance`. */
export function maintenancePages(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(requireAction(deps, 'manageMaintenance'));
  const flashes = (lang: Lang) => {
    const t = consoleText[lang];
    return {
      saved: { kind: 'ok' as const, text: t.saved },
      deleted: { kind: 'ok' as const, text: t.deleted },
      ...Object.fromEntries(Object.entries(t.maintenanceCodes).map(([code, text]) => [code, { kind: 'error' as const, text }])),
    };
  };

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = consoleText[lang];
    const now = deps.clock.now();
    const windows = upcomingWindows(await listMaintenanceWindowsNotEndedBy(deps.db, now), now);
    const frame = consoleFrameOf(c, deps, 'maintenance', flashes(lang));
    return c.html(
      <ConsoleLayout frame={frame} title={t.maintenanceTitle}>
        <WindowForm lang={lang} csrf={frame.csrf} action="/console/maintenance" button={t.add} />
        <table>
          <thead>
            <tr>
              <th scope="col">{t.startsAt}</th>
              <th scope="col">{t.messageJa}</th>
              <th scope="col">{t.messageEn}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr>
                <td>{formatPeriod(w, lang)}</td>
                <td>{w.messageJa}</td>
                <td>{w.messageEn}</td>
                <td class="actions">
                  <a href={`/console/maintenance/${w.id}`}>{t.edit}</a>
                  <form method="post" action={`/console/maintenance/${w.id}/delete`}>
                    <Csrf token={frame.csrf} />
                    <button type="submit" class="danger">
                      {t.delete}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ConsoleLayout>,
    );
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const lang = c.get('lang');
    const window = isUuid(id) ? await findMaintenanceWindow(deps.db, id) : undefined;
    if (window === undefined) return c.notFound();
    const frame = consoleFrameOf(c, deps, 'maintenance', flashes(lang));
    return c.html(
      <ConsoleLayout frame={frame} title={consoleText[lang].maintenanceTitle}>
        <WindowForm lang={lang} csrf={frame.csrf} action={`/console/maintenance/${id}`} window={window} button={consoleText[lang].save} />
      </ConsoleLayout>,
    );
  });

  /** The form's instants, or the code that says they could not be read. */
  const instantsOf = (form: Readonly<Record<string, string>>) => {
    const startsAt = parseInstant(form['startsAt'] ?? '');
    const endsAt = parseInstant(form['endsAt'] ?? '');
    return startsAt.ok && endsAt.ok ? { startsAt: startsAt.value, endsAt: endsAt.value } : undefined;
  };

  app.post('/', async (c) => {
    const form = c.get('form');
    const instants = instantsOf(form);
    if (instants === undefined) return c.redirect('/console/maintenance?done=maintenance.badInstant', 303);
    const result = await scheduleMaintenance(deps, { ...instants, messageJa: form['messageJa'] ?? '', messageEn: form['messageEn'] ?? '', actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(`/console/maintenance?done=${result.ok ? 'saved' : result.code}`, 303);
  });

  app.post('/:id', async (c) => {
    const id = c.req.param('id');
    const form = c.get('form');
    const instants = instantsOf(form);
    if (instants === undefined) return c.redirect(`/console/maintenance/${id}?done=maintenance.badInstant`, 303);
    const result = await rescheduleMaintenance(deps, { windowId: id, ...instants, messageJa: form['messageJa'] ?? '', messageEn: form['messageEn'] ?? '', actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(result.ok ? '/console/maintenance?done=saved' : `/console/maintenance${result.code === 'maintenance.notFound' ? '' : `/${id}`}?done=${result.code}`, 303);
  });

  app.post('/:id/delete', async (c) => {
    const result = await removeMaintenance(deps, { windowId: c.req.param('id'), actor: `operator:${operatorOf(c).operatorId}` });
    return c.redirect(`/console/maintenance?done=${result.ok ? 'deleted' : result.code}`, 303);
  });

  return app;
}
