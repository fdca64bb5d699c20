import type { Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { WARNING_HORIZON_MS, isActive, windowStartingWithin, windowToAnnounce, type MaintenanceWindow } from '../../domain/maintenance.js';
import type { Db } from '../../store/db.js';
import { listMaintenanceWindowsNotEndedBy } from '../../store/maintenance-store.js';
import type { Lang, WebDeps, WebEnv } from '../env.js';
import { maintenanceText } from './messages.js';
import { formatPeriod } from './views.js';

/**
 * The window a submission made at `now` would run into within its cancellation hour
 * (SPEC 1.5, the seed's last paragraph), or undefined. For the confirmation screens.
 */
export async function maintenanceWarningFor(db: Db, now: Date): Promise<MaintenanceWindow | undefined> {
  const windows = await listMaintenanceWindowsNotEndedBy(db, now);
  return windowStartingWithin(windows, now, WARNING_HORIZON_MS);
}

/** The caution shown above 「送信」 when maintenance starts within the hour after submission. */
export const MaintenanceWarning: FC<{ lang: Lang; window: MaintenanceWindow }> = ({ lang, window }) => {
  const t = maintenanceText[lang];
  return (
    <section class="maintenance maintenance-warning" aria-labelledby="maintenance-warning">
      <h2 id="maintenance-warning">{t.warningHeading}</h2>
      <p class="strong">{t.warning}</p>
      <dl class="readback">
        <div class="row">
          <dt class="label">{t.periodLabel}</dt>
          <dd class="control maintenance-period">{formatPeriod(window, lang)}</dd>
        </div>
      </dl>
      <p>{t.warningAdvice}</p>
      <p>
        <a href="/maintenance">{t.noticeLink}</a>
      </p>
    </section>
  );
};

/**
 * The warning as a confirmation screen's hook: the MaintenanceWarning to show at
 * `deps.clock.now()`, or null when no window is near.
 */
export function maintenanceConfirmationWarning(deps: Pick<WebDeps, 'db' | 'clock'>): (c: Context<WebEnv>) => Promise<Child> {
  return async (c) => {
    const window = await maintenanceWarningFor(deps.db, deps.clock.now());
    return window === undefined ? null : <MaintenanceWarning lang={c.get('lang')} window={window} />;
  };
}

/**
 * The banner on the home page and each flow's first page (issue #6): the active window,
 * or the next one within a week, linked to 「システムメンテナンスのお知らせ」.
 */
export function maintenanceNotice(deps: Pick<WebDeps, 'db' | 'clock'>): (c: Context<WebEnv>) => Promise<Child> {
  return async (c) => {
    const now = deps.clock.now();
    const window = windowToAnnounce(await listMaintenanceWindowsNotEndedBy(deps.db, now), now);
    if (window === undefined) return null;
    const lang = c.get('lang');
    const t = maintenanceText[lang];
    return (
      <aside class="maintenance maintenance-banner" aria-labelledby="maintenance-banner">
        <p class="strong" id="maintenance-banner">
          {isActive(window, now) ? t.bannerActive : t.bannerUpcoming}
        </p>
        <p>
          {t.periodLabel}: <span class="maintenance-period">{formatPeriod(window, lang)}</span> <a href="/maintenance">{t.noticeLink}</a>
        </p>
      </aside>
    );
  };
}
