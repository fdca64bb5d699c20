import { couponExpiryDateOf } from '../domain/coupon-batch.js';
import { isCouponExpired, type CouponState } from '../domain/coupon-state.js';
import { couponNumberFromText, isValidCouponChecksum } from '../domain/input/registration.js';
import type { JapanDate } from '../domain/japan-date.js';
import { fail, ok, type Result } from '../domain/result.js';
import { findCouponWithHistory, type CouponEventRow } from '../store/coupon-store.js';
import type { CoreDeps } from './deps.js';

export interface CouponDetails {
  /** 16 digits. */
  number: string;
  state: CouponState;
  /** Its expiry has passed: it can no longer be locked (one locked in time is still consumed or released). */
  isExpired: boolean;
  partner: string;
  /** null: a demo or older coupon, issued outside a batch. */
  batchId: string | null;
  product: string;
  /** The first instant it can no longer be used, and the last day it can, in Japan (null: never expires). */
  expiresAt: Date | null;
  expiresOn: JapanDate | null;
  /** The application it is locked for or consumed by. */
  applicationId: string | null;
  createdAt: Date;
  /** Every transition of its ledger, oldest first: available → locked → consumed, locked → available, available → void. */
  history: CouponEventRow[];
}

export type FindCouponCode = 'coupon.format' | 'coupon.checksum' | 'coupon.unknown';

/**
 * An admin's look-up of one coupon (issue #7), by its number as typed: 8-8 or 16 digits,
 * full-width digits and dashes allowed. A read: nothing changes. Admins are not guessing
 * numbers, so unlike the portal's answers this one says exactly what is wrong.
 */
export async function findCoupon(deps: CoreDeps, input: { couponNumber: string }): Promise<Result<CouponDetails, FindCouponCode>> {
  const number = couponNumberFromText(input.couponNumber);
  if (number === undefined) return fail('coupon.format');
  if (!isValidCouponChecksum(number)) return fail('coupon.checksum');
  const now = deps.clock.now();
  const coupon = await findCouponWithHistory(deps.db, number);
  deps.log.info({ event: 'coupon.lookedUp', couponLast4: number.slice(-4), isFound: coupon !== undefined }, 'coupon looked up');
  if (coupon === undefined) return fail('coupon.unknown');
  return ok({
    number: coupon.number,
    state: coupon.state,
    isExpired: isCouponExpired(coupon.expiresAt, now),
    partner: coupon.partner,
    batchId: coupon.batchId,
    product: coupon.product,
    expiresAt: coupon.expiresAt,
    expiresOn: coupon.expiresAt === null ? null : couponExpiryDateOf(coupon.expiresAt),
    applicationId: coupon.applicationId,
    createdAt: coupon.createdAt,
    history: coupon.history,
  });
}
