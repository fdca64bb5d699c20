import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { crlState } from './schema/tables.js';

export type CrlRole = 'root' | 'issuing';

/**
 * The next CRL number for `role`, in one statement of its own that commits at once: two
 * processes publishing together get two numbers, and a number whose signature fails is
 * never handed out again (RFC 5280 5.2.3: monotonically increasing).
 */
export async function takeCrlNumber(db: Db, role: CrlRole, now: Date): Promise<number> {
  const [row] = await db
    .insert(crlState)
    .values({ role, lastNumber: 1, updatedAt: now })
    .onConflictDoUpdate({ target: crlState.role, set: { lastNumber: sql`${crlState.lastNumber} + 1`, updatedAt: now } })
    .returning({ number: crlState.lastNumber });
  if (row === undefined) throw new Error(`taking a CRL number for ${role}: no row returned`);
  return Number(row.number);
}

export interface PublishedCrlRow {
  role: CrlRole;
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  der: Uint8Array;
  entryCount: number;
}

/**
 * Makes `crl` the one served, unless one with a higher number is there already (a process
 * that took its number later and finished first): what is served never goes backwards.
 * True when it was stored.
 */
export async function storePublishedCrl(db: Db, crl: PublishedCrlRow, now: Date): Promise<boolean> {
  const rows = await db
    .update(crlState)
    .set({ number: crl.number, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, der: crl.der, entryCount: crl.entryCount, updatedAt: now })
    .where(and(eq(crlState.role, crl.role), or(isNull(crlState.number), lt(crlState.number, crl.number))))
    .returning({ role: crlState.role });
  return rows.length === 1;
}

/** The CRL served for `role`, if one was published. */
export async function findPublishedCrl(db: Db, role: CrlRole): Promise<PublishedCrlRow | undefined> {
  const [row] = await db
    .select({ role: crlState.role, number: crlState.number, thisUpdate: crlState.thisUpdate, nextUpdate: crlState.nextUpdate, der: crlState.der, entryCount: crlState.entryCount })
    .from(crlState)
    .where(eq(crlState.role, role));
  if (row === undefined || row.number === null || row.thisUpdate === null || row.nextUpdate === null || row.der === null || row.entryCount === null) return undefined;
  return { role: row.role, number: Number(row.number), thisUpdate: row.thisUpdate, nextUpdate: row.nextUpdate, der: new Uint8Array(row.der), entryCount: row.entryCount };
}
