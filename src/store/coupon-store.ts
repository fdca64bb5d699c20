import { and, asc, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { CouponState } from '../domain/coupon-state.js';
import type { Db, Tx } from './db.js';
import { rowsOf } from './rows.js';
import { couponBatches, couponEvents, coupons } from './schema/tables.js';

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

/**
 * Numbers of the coupons made for `partner` outside any batch (the demo's), oldest first.
 * Batches are left out whatever their partner is called: they are reseller partners'
 * coupons, which the demo must never print.
 */
export async function listUnbatchedCouponNumbers(db: Db, partner: string, state: CouponState, limit: number): Promise<string[]> {
  const rows = await db
    .select({ number: coupons.number })
    .from(coupons)
    .where(and(eq(coupons.partner, partner), isNull(coupons.batchId), eq(coupons.state, state)))
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

// ---------------------------------------------------------------------------
// Batches for reseller partners (issue #7)

export interface NewCouponBatch {
  id: string;
  partner: string;
  product: string;
  expiresAt: Date;
  createdAt: Date;
  /** Who issued it: `operator:<id>` or `cli`; also the actor of its coupons' first events. */
  createdBy: string;
}

/** Rows per INSERT: at 8 parameters a row, far below PostgreSQL's 65,535 per statement. */
export const couponInsertChunkSize = 500;

/**
 * A batch row, its coupons and their first ('available') events, in the caller's
 * transaction. A number that exists already fails its statement on coupons_number_key,
 * and so the whole transaction: the caller draws new numbers and tries again.
 */
export async function insertCouponBatch(tx: Tx, batch: NewCouponBatch, numbers: readonly string[]): Promise<void> {
  await tx.insert(couponBatches).values({ ...batch, count: numbers.length });
  for (let i = 0; i < numbers.length; i += couponInsertChunkSize) {
    await tx.insert(coupons).values(
      numbers.slice(i, i + couponInsertChunkSize).map((number) => ({
        number,
        partner: batch.partner,
        state: 'available' as const,
        batchId: batch.id,
        product: batch.product,
        expiresAt: batch.expiresAt,
        createdAt: batch.createdAt,
        updatedAt: batch.createdAt,
      })),
    );
  }
  // One statement for all the events, from the rows just written.
  await tx.execute(sql`
    insert into coupon_events (coupon_id, at, from_state, to_state, actor)
    select id, ${batch.createdAt}::timestamptz, null, 'available', ${batch.createdBy}
    from coupons where batch_id = ${batch.id}`);
}

export interface CouponBatchRow {
  id: string;
  partner: string;
  product: string;
  count: number;
  expiresAt: Date;
  createdAt: Date;
  createdBy: string;
  /** How many of its coupons are in each state now. */
  states: Record<CouponState, number>;
}

const countInState = (state: CouponState) => sql<number>`count(${coupons.id}) filter (where ${coupons.state} = ${state})`.mapWith(Number);

function selectBatchesWithCounts(db: Db | Tx) {
  return db
    .select({
      id: couponBatches.id,
      partner: couponBatches.partner,
      product: couponBatches.product,
      count: couponBatches.count,
      expiresAt: couponBatches.expiresAt,
      createdAt: couponBatches.createdAt,
      createdBy: couponBatches.createdBy,
      available: countInState('available'),
      locked: countInState('locked'),
      consumed: countInState('consumed'),
      void: countInState('void'),
    })
    .from(couponBatches)
    .leftJoin(coupons, eq(coupons.batchId, couponBatches.id))
    .groupBy(couponBatches.id)
    .$dynamic();
}

type BatchWithCounts = Awaited<ReturnType<typeof selectBatchesWithCounts>>[number];
const toBatchRow = ({ available, locked, consumed, void: voided, ...batch }: BatchWithCounts): CouponBatchRow => ({
  ...batch,
  states: { available, locked, consumed, void: voided },
});

/** One batch with its counts per state, or undefined. `batchId` must be a UUID (the caller checks). */
export async function findCouponBatch(db: Db | Tx, batchId: string): Promise<CouponBatchRow | undefined> {
  const [row] = await selectBatchesWithCounts(db).where(eq(couponBatches.id, batchId));
  return row === undefined ? undefined : toBatchRow(row);
}

/** The newest batches first, with their counts per state. */
export async function listCouponBatches(db: Db | Tx, limit: number): Promise<CouponBatchRow[]> {
  const rows = await selectBatchesWithCounts(db).orderBy(desc(couponBatches.createdAt), desc(couponBatches.id)).limit(limit);
  return rows.map(toBatchRow);
}

export interface BatchCouponRow {
  number: string;
  state: CouponState;
  partner: string;
  product: string;
  expiresAt: Date | null;
}

/** Every coupon of a batch, in number order (the CSV's rows). */
export async function listBatchCoupons(db: Db | Tx, batchId: string): Promise<BatchCouponRow[]> {
  return db
    .select({ number: coupons.number, state: coupons.state, partner: coupons.partner, product: coupons.product, expiresAt: coupons.expiresAt })
    .from(coupons)
    .where(eq(coupons.batchId, batchId))
    .orderBy(asc(coupons.number));
}

export interface CouponEventRow {
  at: Date;
  /** null for the event that created the coupon. */
  fromState: CouponState | null;
  toState: CouponState;
  applicationId: string | null;
  actor: string;
}

export interface CouponWithHistoryRow extends CouponRow {
  batchId: string | null;
  product: string;
  createdAt: Date;
  /** Oldest first. */
  history: CouponEventRow[];
}

/** A coupon and every event of its ledger, oldest first. */
export async function findCouponWithHistory(db: Db | Tx, number: string): Promise<CouponWithHistoryRow | undefined> {
  const [coupon] = await db
    .select({ ...couponColumns, batchId: coupons.batchId, product: coupons.product, createdAt: coupons.createdAt })
    .from(coupons)
    .where(eq(coupons.number, number));
  if (coupon === undefined) return undefined;
  const events = await db
    .select({ at: couponEvents.at, fromState: couponEvents.fromState, toState: couponEvents.toState, applicationId: couponEvents.applicationId, actor: couponEvents.actor })
    .from(couponEvents)
    .where(eq(couponEvents.couponId, coupon.id))
    .orderBy(asc(couponEvents.at), asc(couponEvents.id));
  // The event columns are text; only this store writes them, always from CouponState.
  return { ...coupon, history: events.map((e) => ({ ...e, fromState: e.fromState as CouponState | null, toState: e.toState as CouponState })) };
}

/**
 * available → void for one coupon. The conditional UPDATE is the guard against a
 * concurrent lock: exactly one of them finds the coupon still available.
 */
export async function voidAvailableCoupon(tx: Tx, number: string, now: Date, actor: string): Promise<{ id: string; batchId: string | null } | undefined> {
  const [row] = await tx
    .update(coupons)
    .set({ state: 'void', updatedAt: now })
    .where(and(eq(coupons.number, number), eq(coupons.state, 'available')))
    .returning({ id: coupons.id, batchId: coupons.batchId });
  if (row !== undefined) {
    await tx.insert(couponEvents).values({ couponId: row.id, at: now, fromState: 'available', toState: 'void', actor });
  }
  return row;
}

/**
 * available → void for every coupon of a batch still available, and their events, in one
 * statement. A coupon being locked meanwhile is waited for and then skipped: PostgreSQL
 * re-checks the condition on the row the lock left.
 */
export async function voidAvailableCouponsOfBatch(tx: Tx, batchId: string, now: Date, actor: string): Promise<number> {
  const result = await tx.execute(sql`
    with voided as (
      update coupons set state = 'void', updated_at = ${now}::timestamptz
      where batch_id = ${batchId} and state = 'available'
      returning id
    ), events as (
      insert into coupon_events (coupon_id, at, from_state, to_state, actor)
      select id, ${now}::timestamptz, 'available', 'void', ${actor} from voided
    )
    select count(*)::int as voided from voided`);
  return Number(rowsOf<{ voided: number | string }>(result)[0]?.voided ?? 0);
}
