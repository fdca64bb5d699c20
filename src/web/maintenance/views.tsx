import type { FC } from 'hono/jsx';
import type { MaintenancePeriod, MaintenanceStatus, MaintenanceWindow } from '../../domain/maintenance.js';
import type { Lang } from '../env.js';
import { Layout, type PageFrame } from '../layout.js';
import { maintenanceText } from './messages.js';

const TOKYO = 'Asia/Tokyo';

function dayOf(at: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: TOKYO,
    year: 'numeric',
    month: lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(at);
}

function timeOf(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: TOKYO, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/**
 * A window in Japan time (STYLE §5: stored in UTC, shown in Asia/Tokyo), the end's date
 * only when it differs: 「2026年12月1日(火) 02:00〜06:00(日本時間)」.
 */
export function formatPeriod(period: MaintenancePeriod, lang: Lang): string {
  const t = maintenanceText[lang];
  const startDay = dayOf(period.startsAt, lang);
  const endDay = dayOf(period.endsAt, lang);
  const dayTimeSeparator = lang === 'ja' ? ' ' : ', ';
  const start = `${startDay}${dayTimeSeparator}${timeOf(period.startsAt)}`;
  const end = endDay === startDay ? timeOf(period.endsAt) : `${endDay}${dayTimeSeparator}${timeOf(period.endsAt)}`;
  return `${start}${t.periodSeparator}${end}${t.japanTime}`;
}

/** The operator's message in the page's language; the Japanese one when no English was given. */
export const OperatorMessage: FC<{ window: MaintenanceWindow; lang: Lang }> = ({ window, lang }) => {
  if (lang === 'en' && window.messageEn !== '') return <span>{window.messageEn}</span>;
  return <span lang="ja">{window.messageJa}</span>;
};

/** HTTP 503 body: a subscriber action was asked for during a window (SPEC 1.5). */
export const MaintenancePage: FC<{ frame: PageFrame; window: MaintenanceWindow }> = ({ frame, window }) => {
  const t = maintenanceText[frame.lang];
  return (
    <Layout frame={frame} title={t.activeTitle}>
      <h1>{t.activeTitle}</h1>
      <div class="maintenance">
        <p class="lead">{t.activeLead}</p>
        <p>{t.activeUnavailable}</p>
        <dl class="readback">
          <div class="row">
            <dt class="label">{t.periodLabel}</dt>
            <dd class="control maintenance-period">{formatPeriod(window, frame.lang)}</dd>
          </div>
          <div class="row">
            <dt class="label">{t.messageLabel}</dt>
            <dd class="control maintenance-message">
              <OperatorMessage window={window} lang={frame.lang} />
            </dd>
          </div>
        </dl>
      </div>
      <section aria-labelledby="maintenance-pending">
        <h2 id="maintenance-pending">{t.pendingHeading}</h2>
        <p>{t.pendingBody}</p>
      </section>
      <p>{t.comeBack}</p>
      <p class="actions">
        <a class="button" href="/maintenance">
          {t.noticeLink}
        </a>
        <a href="/">{t.homeLink}</a>
      </p>
    </Layout>
  );
};

/** The public notice page: windows in progress and to come (SPEC 1.5). */
export const NoticePage: FC<{ frame: PageFrame; windows: { window: MaintenanceWindow; status: MaintenanceStatus }[] }> = ({ frame, windows }) => {
  const t = maintenanceText[frame.lang];
  return (
    <Layout frame={frame} title={t.noticeTitle}>
      <h1>{t.noticeTitle}</h1>
      {windows.length === 0 ? (
        <p class="notice">{t.noticeNone}</p>
      ) : (
        <>
          <p>{t.noticeLead}</p>
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t.columnPeriod}</th>
                <th scope="col">{t.columnStatus}</th>
                <th scope="col">{t.columnMessage}</th>
              </tr>
            </thead>
            <tbody>
              {windows.map(({ window, status }) => (
                <tr>
                  <td class="maintenance-period">{formatPeriod(window, frame.lang)}</td>
                  <td class="maintenance-status">{status === 'active' ? t.statusActive : t.statusUpcoming}</td>
                  <td class="maintenance-message">
                    <OperatorMessage window={window} lang={frame.lang} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <section aria-labelledby="maintenance-pending">
        <h2 id="maintenance-pending">{t.noticePendingHeading}</h2>
        <p>{t.noticePendingBody}</p>
      </section>
      <p>
        <a href="/help/maintenance">{t.helpLink}</a>
      </p>
    </Layout>
  );
};
