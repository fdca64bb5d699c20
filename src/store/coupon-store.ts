import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import type { CouponState } from '../domain/coupon-state.js';
import type { Db, Tx } from './db.js';
import { couponEvents, coupons } from './schema/tables.js';

export interface CouponRow {
  id: string;
  number: string;
  partner: string;
  state: CouponState;
  applicationId: string | null;
  /** The first instant it can no longer be locked (null: it never expires). */
  expiresAt: Date | null;
}

const couponColumns = {
  id: coupons.id,
  number: coupons.number,
  partner: coupons.partner,
  state: coupons.state,
  applicationId: coupons.applicationId,
  expiresAt: coupons.expiresAt,
};

export async function insertCoupons(
  db: Db | Tx,
  numbers: readonly string[],
  partner: string,
  now: Date,
  actor: string,
): Promise<number> {
  if (numbers.length === 0) return 0;
  const inserted = await db
    .insert(coupons)
    .values(numbers.map((number) => ({ number, partner, state: 'available' as const, createdAt: now, updatedAt: now })))
    .onConflictDoNothing()
    .returning({ id: coupons.id });
  if (inserted.length > 0) {
    await db
      .insert(couponEvents)
      .values(inserted.map(({ id }) => ({ couponId: id, at: now, fromState: null, toState: 'available', actor })));
  }
  return inserted.length;
}

export async function findCouponByNumber(db: Db | Tx, number: string): Promise<CouponRow | undefined> {
  const [row] = await db.select(couponColumns).from(coupons).where(eq(coupons.number, number));
  return row;
}

/**
 * Lock an available, unexpired coupon for an application. The conditional UPDATE is the
 * guard: of any number of concurrent callers exactly one sees the row still available,
 * and none sees it once `now` has reached its expiry (isCouponExpired, in SQL).
 */
export async function lockAvailableCoupon(
  tx: Tx,
  number: string,
  applicationId: string,
  now: Date,
  actor: string,
): Promise<CouponRow | undefined> {
  const [row] = await tx
    .update(coupons)
    .set({ state: 'locked', applicationId, updatedAt: now })
    .where(and(eq(coupons.number, number), eq(coupons.state, 'available'), or(isNull(coupons.expiresAt), gt(coupons.expiresAt, now))))
    .returning(couponColumns);
  if (row !== undefined) {
    await tx.insert(couponEvents).values({ couponId: row.id, at: now, fromState: 'available', toState: 'locked', applicationId, actor });
  }
  return row;
}

export async function listCouponNumbers(db: Db, state: CouponState, limit: number): Promise<string[]> {
  const rows = await db
    .select({ number: coupons.number })
    .from(coupons)
    .where(eq(coupons.state, state))
    .orderBy(asc(coupons.createdAt), asc(coupons.number))
    .limit(limit);
  return rows.map((r) => r.number);
}

/** locked → available (cancellation) or locked → consumed (final acceptance), for this application only. */
export async function settleLockedCoupon(
  tx: Tx,
  couponId: string,
  applicationId: string,
  toState: 'available' | 'consumed',
  now: Date,
  actor: string,
): Promise<boolean> {
  const [row] = await tx
    .update(coupons)
    .set({ state: toState, applicationId: toState === 'available' ? null : applicationId, updatedAt: now })
    .where(and(eq(coupons.id, couponId), eq(coupons.state, 'locked'), eq(coupons.applicationId, applicationId)))
    .returning({ id: coupons.id });
  if (row === undefined) return false;
  await tx.insert(couponEvents).values({ couponId, at: now, fromState: 'locked', toState, applicationId, actor });
  return true;
}
