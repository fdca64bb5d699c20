import { fail, ok, type Result } from '../domain/result.js';

/**
 * Japan has kept UTC+9 all year since 1951 (no summer time), so Asia/Tokyo is a fixed
 * offset for every instant an operator can schedule.
 */
const JAPAN_OFFSET_MINUTES = 9 * 60;
const MINUTE_MS = 60 * 1000;

/** What `--from` and `--to` accept, for error messages. */
export const instantFormats = '"2026-12-01 02:00" (Japan time), "2026-12-01T02:00+09:00" or "2026-11-30T17:00Z"';

// YYYY-MM-DD (or YYYY/MM/DD), then T or spaces, HH:MM[:SS[.fff]], then an optional offset.
const instantPattern =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An operator's date and time: ISO 8601 with an offset, or a wall-clock time that is
 * read as Japan time when no offset is given (the portal's users and operators are in
 * Japan; STYLE §5 keeps UTC for storage only).
 */
export function parseInstant(text: string): Result<Date, 'instant.invalid'> {
  const m = instantPattern.exec(text.trim());
  if (m === null) return fail('instant.invalid');
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const millisecond = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return fail('instant.invalid');
  // Date.UTC rolls 31 November over to 1 December; a round trip catches such dates.
  const wallClock = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  if (wallClock.getUTCFullYear() !== year || wallClock.getUTCMonth() !== month - 1 || wallClock.getUTCDate() !== day) {
    return fail('instant.invalid');
  }
  const offsetMinutes = offsetMinutesOf(zone);
  if (offsetMinutes === undefined) return fail('instant.invalid');
  return ok(new Date(wallClock.getTime() - offsetMinutes * MINUTE_MS));
}

function offsetMinutesOf(zone: string | undefined): number | undefined {
  if (zone === undefined) return JAPAN_OFFSET_MINUTES;
  if (zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (m === null) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** An instant as ISO 8601 in Japan time, e.g. 2026-12-01T02:00:00+09:00: readable, and accepted back by parseInstant. */
export function formatInstantInJapan(at: Date): string {
  const wall = new Date(at.getTime() + JAPAN_OFFSET_MINUTES * MINUTE_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const ms = wall.getUTCMilliseconds();
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${ms === 0 ? '' : `.${pad(ms, 3)}`}`;
  return `${date}T${time}+09:00`;
}
