import { isCouponBatchId } from '../domain/coupon-batch.js';
import { couponNumberFromText, isValidCouponChecksum } from '../domain/input/registration.js';
import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { findCouponBatch, findCouponByNumber, voidAvailableCoupon, voidAvailableCouponsOfBatch } from '../store/coupon-store.js';
import type { CoreDeps } from './deps.js';

export type VoidCouponsInput =
  /** One coupon, by its number as typed (8-8, 16 digits, full-width digits). */
  | { kind: 'coupon'; couponNumber: string; actor: string }
  /** Every coupon of the batch that is still available. */
  | { kind: 'batch'; batchId: string; actor: string };

export type VoidCouponCode =
  | 'coupon.format'
  | 'coupon.checksum'
  | 'coupon.unknown'
  /** In an application now; it is consumed or released when that one is final or cancelled. */
  | 'coupon.locked'
  | 'coupon.consumed'
  | 'coupon.alreadyVoid';
export type VoidBatchCode = 'couponBatch.unknown';

export interface VoidedCoupons {
  /** How many this call voided: 1 for a coupon; for a batch, all those that were available. */
  voided: number;
  batchId: string | null;
  /** For a batch: what is left in the other states, untouched. */
  untouched?: { locked: number; consumed: number; void: number };
}

/**
 * available → void by an admin (SPEC 2): one coupon, or the rest of a batch. Only an
 * available coupon is voided; a locked or consumed one is refused with its state, and a
 * batch's locked and consumed coupons are left as they are. Each call is one transaction
 * with its audit entry: nothing is half done.
 */
export async function voidCoupons(deps: CoreDeps, input: VoidCouponsInput): Promise<Result<VoidedCoupons, VoidCouponCode | VoidBatchCode>> {
  return input.kind === 'coupon' ? voidOneCoupon(deps, input) : voidRestOfBatch(deps, input);
}

async function voidOneCoupon(deps: CoreDeps, input: { couponNumber: string; actor: string }): Promise<Result<VoidedCoupons, VoidCouponCode>> {
  const number = couponNumberFromText(input.couponNumber);
  if (number === undefined) return fail('coupon.format');
  if (!isValidCouponChecksum(number)) return fail('coupon.checksum');
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<Result<VoidedCoupons, VoidCouponCode>> => {
    const voided = await voidAvailableCoupon(tx, number, now, input.actor);
    if (voided === undefined) {
      const coupon = await findCouponByNumber(tx, number);
      switch (coupon?.state) {
        case undefined:
          return fail('coupon.unknown');
        case 'locked':
          return fail('coupon.locked');
        case 'consumed':
          return fail('coupon.consumed');
        case 'void':
          return fail('coupon.alreadyVoid');
        case 'available':
          // Locked when the update ran, released by a cancellation since: it was in use.
          return fail('coupon.locked');
      }
    }
    await appendAudit(tx, {
      at: now,
      actor: input.actor,
      action: 'coupon.voided',
      subjectType: 'coupon',
      subjectId: voided.id,
      before: { state: 'available' },
      after: { state: 'void', batchId: voided.batchId, count: 1 },
    });
    return ok({ voided: 1, batchId: voided.batchId });
  });
  deps.log.info({ event: result.ok ? 'coupon.voided' : 'coupon.voidRefused', couponLast4: number.slice(-4), ...(result.ok ? {} : { code: result.code }), actor: input.actor }, 'void coupon');
  return result;
}

async function voidRestOfBatch(deps: CoreDeps, input: { batchId: string; actor: string }): Promise<Result<VoidedCoupons, VoidBatchCode>> {
  if (!isCouponBatchId(input.batchId)) return fail('couponBatch.unknown');
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<Result<VoidedCoupons, VoidBatchCode>> => {
    if ((await findCouponBatch(tx, input.batchId)) === undefined) return fail('couponBatch.unknown');
    const voided = await voidAvailableCouponsOfBatch(tx, input.batchId, now, input.actor);
    const after = await findCouponBatch(tx, input.batchId);
    if (after === undefined) throw new Error(`coupon batch ${input.batchId} vanished while voiding it`);
    const untouched = { locked: after.states.locked, consumed: after.states.consumed, void: after.states.void - voided };
    // Voiding nothing changes nothing: no audit entry for a batch with nothing left to void.
    if (voided > 0) {
      await appendAudit(tx, {
        at: now,
        actor: input.actor,
        action: 'couponBatch.voided',
        subjectType: 'couponBatch',
        subjectId: input.batchId,
        after: { voided, ...untouched },
      });
    }
    return ok({ voided, batchId: input.batchId, untouched });
  });
  deps.log.info({ event: 'couponBatch.voided', batchId: input.batchId, ...(result.ok ? { voided: result.value.voided } : { code: result.code }), actor: input.actor }, 'void rest of coupon batch');
  return result;
}
