import { CANCEL_GRACE_MS } from './application-state.js';
import { DAY_MS } from './renewal-window.js';
import { fail, ok, type Result } from './result.js';

/**
 * Operator-scheduled maintenance (SPEC 1.5). A window covers [startsAt, endsAt): it is
 * active from its first instant and over at its end instant, so a window that ends at
 * 06:00 lets a subscriber in at 06:00 exactly.
 */
export interface MaintenanceWindow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  messageJa: string;
  /** May be empty: the operator gave no English text, and pages fall back to messageJa. */
  messageEn: string;
}

/** Only the instants: what every rule here reads. */
export type MaintenancePeriod = Pick<MaintenanceWindow, 'startsAt' | 'endsAt'>;

export type MaintenanceStatus = 'upcoming' | 'active' | 'ended';

/** Longer outages are not maintenance; an operator who needs one schedules two windows. */
export const MAX_WINDOW_MS = 7 * DAY_MS;

/**
 * SPEC 1.5 and the seed: an application provisionally accepted less than an hour before a
 * window starts becomes final during it and cannot be cancelled. The confirmation screen
 * warns when a window starts within that same hour.
 */
export const WARNING_HORIZON_MS = CANCEL_GRACE_MS;

export const MAX_MESSAGE_LENGTH = 1000;

export type MaintenanceWindowCode = 'maintenance.endBeforeStart' | 'maintenance.inThePast' | 'maintenance.tooLong';
export type MaintenanceMessageCode = 'maintenance.messageRequired' | 'maintenance.messageTooLong';

export function statusOf(window: MaintenancePeriod, now: Date): MaintenanceStatus {
  if (now.getTime() < window.startsAt.getTime()) return 'upcoming';
  if (now.getTime() < window.endsAt.getTime()) return 'active';
  return 'ended';
}

export function isActive(window: MaintenancePeriod, now: Date): boolean {
  return statusOf(window, now) === 'active';
}

/** The window in force at `now`; of overlapping ones, the one ending last (it decides Retry-After). */
export function activeWindow<W extends MaintenancePeriod>(windows: readonly W[], now: Date): W | undefined {
  let found: W | undefined;
  for (const w of windows) {
    if (!isActive(w, now)) continue;
    if (found === undefined || w.endsAt.getTime() > found.endsAt.getTime()) found = w;
  }
  return found;
}

/** Windows not yet ended at `now` (active and upcoming), by start, then end. */
export function upcomingWindows<W extends MaintenancePeriod>(windows: readonly W[], now: Date): W[] {
  return windows
    .filter((w) => w.endsAt.getTime() > now.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.endsAt.getTime() - b.endsAt.getTime());
}

/**
 * A window that is active at `now` or starts in (now, now + withinMs]: the one that would
 * interrupt something begun now (SPEC 1.5). An active window wins over a later one.
 */
export function windowStartingWithin<W extends MaintenancePeriod>(windows: readonly W[], now: Date, withinMs: number): W | undefined {
  const active = activeWindow(windows, now);
  if (active !== undefined) return active;
  const horizon = now.getTime() + withinMs;
  return upcomingWindows(windows, now).find((w) => w.startsAt.getTime() > now.getTime() && w.startsAt.getTime() <= horizon);
}

/** Seconds until the window ends, rounded up, at least 1 (RFC 9110 §10.2.3 Retry-After). */
/** Windows worth announcing on the home page and each flow's first page: active, or starting within a week (issue #6). */
export const NOTICE_HORIZON_MS = 7 * DAY_MS;

/** The window to announce at `now`: the active one, else the next one starting within the horizon. */
export function windowToAnnounce<W extends MaintenancePeriod>(windows: readonly W[], now: Date, horizonMs = NOTICE_HORIZON_MS): W | undefined {
  return windowStartingWithin(windows, now, horizonMs);
}

export function retryAfterSeconds(window: MaintenancePeriod, now: Date): number {
  return Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
}

/** The rules an operator's window must meet; the first broken one is reported. */
export function validateWindow(period: MaintenancePeriod, now: Date): Result<MaintenancePeriod, MaintenanceWindowCode> {
  const startsAtMs = period.startsAt.getTime();
  const endsAtMs = period.endsAt.getTime();
  // The table's check constraint says the same (starts_at < ends_at); say it as a code first.
  if (!(endsAtMs > startsAtMs)) return fail('maintenance.endBeforeStart');
  // A window that ends at `now` is already over (windows are half-open).
  if (endsAtMs <= now.getTime()) return fail('maintenance.inThePast');
  if (endsAtMs - startsAtMs > MAX_WINDOW_MS) return fail('maintenance.tooLong');
  return ok({ startsAt: period.startsAt, endsAt: period.endsAt });
}

/** The Japanese notice is required; the English one is optional. Both are shown as text, never markup. */
export function validateMessages(messages: { messageJa: string; messageEn: string }): Result<{ messageJa: string; messageEn: string }, MaintenanceMessageCode> {
  const messageJa = messages.messageJa.trim();
  const messageEn = messages.messageEn.trim();
  if (messageJa === '') return fail('maintenance.messageRequired');
  if (messageJa.length > MAX_MESSAGE_LENGTH || messageEn.length > MAX_MESSAGE_LENGTH) return fail('maintenance.messageTooLong');
  return ok({ messageJa, messageEn });
}
