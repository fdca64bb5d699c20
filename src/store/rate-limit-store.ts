import { sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { rowsOf } from './rows.js';

/**
 * Fixed-window counters shared by every app process (the database is the one place
 * they all see). Returns the count including this attempt.
 */
export async function countAttempt(db: Db, key: string, now: Date, windowMs: number): Promise<number> {
  const windowStart = new Date(now.getTime() - windowMs);
  const result = await db.execute(sql`
    insert into rate_limits (key, window_started_at, count)
    values (${key}, ${now}, 1)
    on conflict (key) do update set
      count = case when rate_limits.window_started_at <= ${windowStart} then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at <= ${windowStart} then ${now} else rate_limits.window_started_at end
    returning count`);
  const row = rowsOf<{ count: number }>(result)[0];
  if (row === undefined) throw new Error('rate limit upsert returned no row');
  return Number(row.count);
}

/** Takes back one attempt counted in the current window (never below zero). */
export async function giveBackAttempt(db: Db, key: string): Promise<void> {
  await db.execute(sql`update rate_limits set count = count - 1 where key = ${key} and count > 0`);
}

/** Counters whose window ended long ago count nothing any more. */
export async function deleteStaleRateLimits(db: Db, before: Date): Promise<number> {
  const result = await db.execute(sql`delete from rate_limits where window_started_at < ${before} returning key`);
  return rowsOf<{ key: string }>(result).length;
}
