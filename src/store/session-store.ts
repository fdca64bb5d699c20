import { and, eq, lt, ne } from 'drizzle-orm';
import type { Db } from './db.js';
import { sessions } from './schema/tables.js';

/** Sessions are keyed by the SHA-256 of the cookie value, so a database read leaks no cookie. */
export async function loadSession(
  db: Db,
  idHash: string,
  now: Date,
): Promise<{ data: Record<string, unknown>; createdAt: Date; expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ data: sessions.data, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.idHash, idHash));
  if (row === undefined || row.expiresAt.getTime() <= now.getTime()) return undefined;
  return row;
}

/**
 * Store a session under `idHash`, and in the same transaction forget the id it replaces
 * (rotation): a failure leaves the old session as it was, never neither.
 */
export async function storeSession(
  db: Db,
  session: { idHash: string; replacesIdHash: string | undefined; formCookieHash?: string | undefined; data: Record<string, unknown>; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    if (session.replacesIdHash !== undefined && session.replacesIdHash !== session.idHash) {
      await tx.delete(sessions).where(eq(sessions.idHash, session.replacesIdHash));
    }
    // One live session per browser: a new row replaces whatever that browser's form cookie made before.
    if (session.formCookieHash !== undefined) {
      await tx.delete(sessions).where(and(eq(sessions.formCookieHash, session.formCookieHash), ne(sessions.idHash, session.idHash)));
    }
    await tx
      .insert(sessions)
      .values({ idHash: session.idHash, data: session.data, formCookieHash: session.formCookieHash ?? null, createdAt: session.createdAt, expiresAt: session.expiresAt })
      .onConflictDoUpdate({ target: sessions.idHash, set: { data: session.data, expiresAt: session.expiresAt } });
  });
}

/** Slide the idle expiry of a session that was only read. */
export async function extendSession(db: Db, idHash: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt }).where(eq(sessions.idHash, idHash));
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const deleted = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ idHash: sessions.idHash });
  return deleted.length;
}

export async function countSessions(db: Db): Promise<number> {
  const rows = await db.select({ idHash: sessions.idHash }).from(sessions);
  return rows.length;
}
