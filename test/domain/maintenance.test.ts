import { describe, expect, it } from 'vitest';
import { formatInstantInJapan, parseInstant } from '../../src/domain/parse-instant.js';
import {
  activeWindow,
  MAX_WINDOW_MS,
  retryAfterSeconds,
  statusOf,
  upcomingWindows,
  validateMessages,
  validateWindow,
  WARNING_HORIZON_MS,
  windowStartingWithin,
  type MaintenanceWindow,
} from '../../src/domain/maintenance.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** 2026-12-01 02:00–06:00 Japan time. */
const startsAt = new Date('2026-11-30T17:00:00Z');
const endsAt = new Date('2026-11-30T21:00:00Z');
const at = (ms: number, from = startsAt) => new Date(from.getTime() + ms);

function windowOf(id: string, from: Date, to: Date): MaintenanceWindow {
  return { id, startsAt: from, endsAt: to, messageJa: `メンテナンス ${id}`, messageEn: '' };
}
const night = windowOf('night', startsAt, endsAt);

describe(statusOf.name, () => {
  it('is upcoming one millisecond before the start', () => {
    expect(statusOf(night, at(-1))).toBe('upcoming');
  });
  it('is active exactly at the start', () => {
    expect(statusOf(night, startsAt)).toBe('active');
  });
  it('is still active one millisecond before the end', () => {
    expect(statusOf(night, at(-1, endsAt))).toBe('active');
  });
  it('has ended exactly at the end', () => {
    expect(statusOf(night, endsAt)).toBe('ended');
  });
});

describe(activeWindow.name, () => {
  it('finds nothing when there are no windows', () => {
    expect(activeWindow([], startsAt)).toBeUndefined();
  });
  it('finds the window from its first instant', () => {
    expect(activeWindow([night], startsAt)).toBe(night);
  });
  it('finds nothing one millisecond before the start', () => {
    expect(activeWindow([night], at(-1))).toBeUndefined();
  });
  it('lets requests through exactly at the end', () => {
    expect(activeWindow([night], endsAt)).toBeUndefined();
  });
  it('picks the overlapping window that ends last, whatever the order', () => {
    const longer = windowOf('longer', at(HOUR_MS), at(10 * HOUR_MS));
    const shorter = windowOf('shorter', startsAt, at(2 * HOUR_MS));
    expect(activeWindow([night, longer, shorter], at(90 * MINUTE_MS))).toBe(longer);
    expect(activeWindow([longer, shorter, night], at(90 * MINUTE_MS))).toBe(longer);
  });
  it('ignores windows that have ended or not begun', () => {
    const past = windowOf('past', at(-10 * HOUR_MS), at(-9 * HOUR_MS));
    const future = windowOf('future', at(10 * HOUR_MS), at(11 * HOUR_MS));
    expect(activeWindow([past, future], startsAt)).toBeUndefined();
  });
});

describe(upcomingWindows.name, () => {
  it('keeps active and future windows, sorted by start, and drops ended ones', () => {
    const past = windowOf('past', at(-10 * HOUR_MS), at(-9 * HOUR_MS));
    const later = windowOf('later', at(48 * HOUR_MS), at(50 * HOUR_MS));
    const sooner = windowOf('sooner', at(24 * HOUR_MS), at(25 * HOUR_MS));
    expect(upcomingWindows([later, past, sooner, night], at(HOUR_MS)).map((w) => w.id)).toEqual(['night', 'sooner', 'later']);
  });
  it('drops a window exactly at its end', () => {
    expect(upcomingWindows([night], endsAt)).toEqual([]);
  });
  it('orders windows with the same start by end', () => {
    const long = windowOf('long', startsAt, at(5 * HOUR_MS));
    const short = windowOf('short', startsAt, at(HOUR_MS));
    expect(upcomingWindows([long, short], at(-HOUR_MS)).map((w) => w.id)).toEqual(['short', 'long']);
  });
  it('does not reorder the array it was given', () => {
    const later = windowOf('later', at(48 * HOUR_MS), at(50 * HOUR_MS));
    const given = [later, night];
    upcomingWindows(given, at(-HOUR_MS));
    expect(given.map((w) => w.id)).toEqual(['later', 'night']);
  });
});

describe(windowStartingWithin.name, () => {
  it('warns when the window starts exactly one hour after now', () => {
    expect(windowStartingWithin([night], at(-HOUR_MS), WARNING_HORIZON_MS)).toBe(night);
  });
  it('does not warn one millisecond earlier (the start is beyond the hour)', () => {
    expect(windowStartingWithin([night], at(-HOUR_MS - 1), WARNING_HORIZON_MS)).toBeUndefined();
  });
  it('warns for a window starting in 59 minutes, not one in 61', () => {
    expect(windowStartingWithin([night], at(-59 * MINUTE_MS), HOUR_MS)).toBe(night);
    expect(windowStartingWithin([night], at(-61 * MINUTE_MS), HOUR_MS)).toBeUndefined();
  });
  it('counts an active window, also from its first instant', () => {
    expect(windowStartingWithin([night], startsAt, HOUR_MS)).toBe(night);
    expect(windowStartingWithin([night], at(HOUR_MS), HOUR_MS)).toBe(night);
  });
  it('does not count a window that has ended', () => {
    expect(windowStartingWithin([night], endsAt, HOUR_MS)).toBeUndefined();
  });
  it('prefers the active window to one starting soon, and else the soonest', () => {
    const next = windowOf('next', at(30 * MINUTE_MS, endsAt), at(2 * HOUR_MS, endsAt));
    const after = windowOf('after', at(50 * MINUTE_MS, endsAt), at(3 * HOUR_MS, endsAt));
    expect(windowStartingWithin([next, night], at(-MINUTE_MS, endsAt), HOUR_MS)).toBe(night);
    expect(windowStartingWithin([after, next], endsAt, HOUR_MS)).toBe(next);
  });
});

describe(retryAfterSeconds.name, () => {
  it('counts the seconds to the end', () => {
    expect(retryAfterSeconds(night, startsAt)).toBe(4 * 3600);
  });
  it('rounds a part of a second up', () => {
    expect(retryAfterSeconds(night, at(-1500, endsAt))).toBe(2);
    expect(retryAfterSeconds(night, at(-1, endsAt))).toBe(1);
  });
  it('never answers less than one second', () => {
    expect(retryAfterSeconds(night, endsAt)).toBe(1);
    expect(retryAfterSeconds(night, at(5000, endsAt))).toBe(1);
  });
});

describe(validateWindow.name, () => {
  const now = at(-24 * HOUR_MS);
  it('accepts a future window', () => {
    expect(validateWindow({ startsAt, endsAt }, now)).toEqual({ ok: true, value: { startsAt, endsAt } });
  });
  it('refuses an end before the start', () => {
    expect(validateWindow({ startsAt: endsAt, endsAt: startsAt }, now)).toEqual({ ok: false, code: 'maintenance.endBeforeStart' });
  });
  it('refuses an end equal to the start', () => {
    expect(validateWindow({ startsAt, endsAt: startsAt }, now)).toEqual({ ok: false, code: 'maintenance.endBeforeStart' });
  });
  it('refuses an invalid date as an end before the start', () => {
    expect(validateWindow({ startsAt, endsAt: new Date(Number.NaN) }, now)).toEqual({ ok: false, code: 'maintenance.endBeforeStart' });
  });
  it('refuses a window that ended before now', () => {
    expect(validateWindow({ startsAt, endsAt }, at(HOUR_MS, endsAt))).toEqual({ ok: false, code: 'maintenance.inThePast' });
  });
  it('refuses a window ending exactly now (it is already over)', () => {
    expect(validateWindow({ startsAt, endsAt }, endsAt)).toEqual({ ok: false, code: 'maintenance.inThePast' });
  });
  it('accepts a window that has begun but not ended (start now, or already running)', () => {
    expect(validateWindow({ startsAt, endsAt }, startsAt).ok).toBe(true);
    expect(validateWindow({ startsAt, endsAt }, at(-1, endsAt)).ok).toBe(true);
  });
  it('accepts exactly seven days', () => {
    expect(validateWindow({ startsAt, endsAt: at(MAX_WINDOW_MS) }, now).ok).toBe(true);
  });
  it('refuses one millisecond more than seven days', () => {
    expect(validateWindow({ startsAt, endsAt: at(MAX_WINDOW_MS + 1) }, now)).toEqual({ ok: false, code: 'maintenance.tooLong' });
  });
});

describe(validateMessages.name, () => {
  it('trims both messages and allows an empty English one', () => {
    expect(validateMessages({ messageJa: '  定期メンテナンス ', messageEn: '' })).toEqual({
      ok: true,
      value: { messageJa: '定期メンテナンス', messageEn: '' },
    });
  });
  it('requires the Japanese message', () => {
    expect(validateMessages({ messageJa: '   ', messageEn: 'Maintenance' })).toEqual({ ok: false, code: 'maintenance.messageRequired' });
  });
  it('refuses a message over 1000 characters', () => {
    expect(validateMessages({ messageJa: 'あ'.repeat(1000), messageEn: '' }).ok).toBe(true);
    expect(validateMessages({ messageJa: 'あ'.repeat(1001), messageEn: '' })).toEqual({ ok: false, code: 'maintenance.messageTooLong' });
    expect(validateMessages({ messageJa: 'あ', messageEn: 'a'.repeat(1001) })).toEqual({ ok: false, code: 'maintenance.messageTooLong' });
  });
});

describe(parseInstant.name, () => {
  const parsed = (text: string) => {
    const result = parseInstant(text);
    return result.ok ? result.value.toISOString() : result.code;
  };
  it('reads a time without an offset as Japan time', () => {
    expect(parsed('2026-12-01 02:00')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-12-01T02:00')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-12-01 02:00:30')).toBe('2026-11-30T17:00:30.000Z');
  });
  it('crosses the date line backwards for early-morning Japan times', () => {
    expect(parsed('2027-01-01 08:59')).toBe('2026-12-31T23:59:00.000Z');
    expect(parsed('2027-01-01 09:00')).toBe('2027-01-01T00:00:00.000Z');
  });
  it('honours an explicit offset or Z', () => {
    expect(parsed('2026-12-01T02:00:00+09:00')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-11-30T17:00Z')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-11-30T17:00:00.250z')).toBe('2026-11-30T17:00:00.250Z');
    expect(parsed('2026-11-30T12:00-05:00')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-12-01T02:00+0900')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-12-01T02:00+09')).toBe('2026-11-30T17:00:00.000Z');
    expect(parsed('2026-12-01 02:00 +09:00')).toBe('2026-11-30T17:00:00.000Z');
  });
  it('accepts slashes, single digits and surrounding spaces', () => {
    expect(parsed(' 2026/12/1 2:00 ')).toBe('2026-11-30T17:00:00.000Z');
  });
  it('refuses a date without a time', () => {
    expect(parsed('2026-12-01')).toBe('instant.invalid');
  });
  it('refuses dates and times that do not exist', () => {
    for (const text of ['2026-11-31 02:00', '2026-02-29 00:00', '2026-13-01 00:00', '2026-00-10 00:00', '2026-12-00 00:00', '2026-12-01 24:00', '2026-12-01 02:60', '2026-12-01 02:00:60', '2026-12-01T02:00+24:00']) {
      expect(parsed(text), text).toBe('instant.invalid');
    }
  });
  it('accepts 29 February in a leap year', () => {
    expect(parsed('2028-02-29 09:00')).toBe('2028-02-29T00:00:00.000Z');
  });
  it('refuses anything else', () => {
    for (const text of ['', 'tomorrow', '1764522000', '2026-12-01 02:00 JST', '12/01/2026 02:00', '2026-12-01T02:00+09:00x']) {
      expect(parsed(text), text).toBe('instant.invalid');
    }
  });
});

describe(formatInstantInJapan.name, () => {
  it('shows the instant in Japan time with its offset', () => {
    expect(formatInstantInJapan(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01T02:00:00+09:00');
  });
  it('keeps milliseconds only when there are some', () => {
    expect(formatInstantInJapan(new Date('2026-11-30T17:00:00.050Z'))).toBe('2026-12-01T02:00:00.050+09:00');
  });
  it('is read back to the same instant', () => {
    for (const iso of ['2026-11-30T17:00:00.000Z', '2026-12-31T15:00:00.000Z', '2027-06-30T23:59:59.999Z']) {
      const back = parseInstant(formatInstantInJapan(new Date(iso)));
      expect(back.ok && back.value.toISOString()).toBe(iso);
    }
  });
});
