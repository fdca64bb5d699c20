import { eq, lt } from 'drizzle-orm';
import type { Db } from './db.js';
import { sessions } from './schema/tables.js';

/** Sessions are keyed by the SHA-256 of the cookie value, so a database read leaks no cookie. */
export async function loadSession(
  db: Db,
  idHash: string,
  now: Date,
): Promise<{ data: Record<string, unknown>; expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ data: sessions.data, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.idHash, idHash));
  if (row === undefined || row.expiresAt.getTime() <= now.getTime()) return undefined;
  return row;
}

export async function saveSession(
  db: Db,
  idHash: string,
  data: Record<string, unknown>,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .insert(sessions)
    .values({ idHash, data, createdAt: now, expiresAt })
    .onConflictDoUpdate({ target: sessions.idHash, set: { data, expiresAt } });
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const deleted = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ idHash: sessions.idHash });
  return deleted.length;
}
