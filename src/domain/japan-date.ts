/**
 * Calendar dates in Japan. Japan has kept UTC+9 all year since 1951 (no summer time), so
 * Asia/Tokyo is a fixed offset for every instant certdesk deals with, and a date there
 * is plain arithmetic rather than a time-zone database lookup.
 */
const JAPAN_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date written YYYY-MM-DD (ISO 8601), e.g. '2027-03-31'. */
export type JapanDate = string;

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/u;

/** The date in Japan at instant `at`, as YYYY-MM-DD. */
export function japanDateOf(at: Date): JapanDate {
  return new Date(at.getTime() + JAPAN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date written YYYY-MM-DD (no 2027-02-30, no 2027-2-3). */
export function isJapanDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (m === null) return false;
  const [, y, mo, d] = m;
  // Date.UTC rolls 30 February over to 2 March; the round trip catches such dates.
  const utc = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return utc.getUTCFullYear() === Number(y) && utc.toISOString().slice(0, 10) === text;
}

/** The first instant of `date` in Japan (00:00 JST). Throws unless given a date: a bug. */
export function startOfJapanDay(date: JapanDate): Date {
  if (!isJapanDate(date)) throw new Error(`startOfJapanDay needs a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) - JAPAN_OFFSET_MS);
}

/** The first instant of the day after `date` in Japan: the end of `date`, exclusive. */
export function startOfNextJapanDay(date: JapanDate): Date {
  return new Date(startOfJapanDay(date).getTime() + DAY_MS);
}

/** The same month and day `years` later, as a string that compares in date order (29 Feb stays 29 Feb). */
export function sameDayYearsLater(date: JapanDate, years: number): JapanDate {
  if (!isJapanDate(date)) throw new Error(`sameDayYearsLater needs a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}
