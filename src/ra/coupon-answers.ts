import { couponUnusableCode, type CouponUnusableCode } from '../domain/coupon-state.js';
import { findCouponByNumber } from '../store/coupon-store.js';
import type { Db, Tx } from '../store/db.js';
import { countAttempt } from '../store/rate-limit-store.js';
import type { CoreDeps } from './deps.js';

/**
 * SPEC 3 wants an unknown, used or locked coupon named clearly, which makes every answer
 * about a coupon an oracle for guessing numbers. Three bounds keep it from being farmed:
 * - per client: checks at 「次へ」 (and submissions at 「送信」, submission-limit.ts);
 * - for everyone together: at most `refusalCeiling.max` specific refusals a minute; past
 *   it, a refused coupon is answered only "cannot be checked now" (issue #6 defect 9).
 *   A valid coupon is never refused by this, so subscribers are not stopped by it.
 */
export const couponCheckLimit = { max: 30, windowMs: 60 * 60_000 };
export const couponRefusalCeiling = { max: 60, windowMs: 60_000 };

export type CouponRefusalCode = 'coupon.unknown' | CouponUnusableCode;
export type CouponAnswerCode = CouponRefusalCode | 'coupon.checkUnavailable';

/** Why `couponNumber` cannot be used at `now` (a read: nothing is locked), or undefined. */
export async function couponRefusalOf(db: Db | Tx, couponNumber: string, now: Date): Promise<CouponRefusalCode | undefined> {
  const coupon = await findCouponByNumber(db, couponNumber);
  return coupon === undefined ? 'coupon.unknown' : couponUnusableCode(coupon, now);
}

/** The refusal as the subscriber is told it: specific while under the ceiling, generic past it. */
export async function answerCouponRefusal(deps: CoreDeps, code: CouponRefusalCode): Promise<CouponAnswerCode> {
  const count = await countAttempt(deps.db, 'coupon-refusals:all', deps.clock.now(), couponRefusalCeiling.windowMs);
  if (count <= couponRefusalCeiling.max) return code;
  deps.log.warn({ event: 'coupon.refusalCeiling', count }, 'coupon refusals over the ceiling: answering generically');
  return 'coupon.checkUnavailable';
}

export type CouponCheckResult = { ok: true } | { ok: false; code: CouponAnswerCode | 'coupon.rateLimited' };

/** 「次へ」: is the coupon usable? A read, no lock; 「送信」 stays the one place that locks. */
export async function checkCoupon(deps: CoreDeps, input: { couponNumber: string; clientKey: string }): Promise<CouponCheckResult> {
  const now = deps.clock.now();
  const count = await countAttempt(deps.db, `coupon-check:client:${input.clientKey}`, now, couponCheckLimit.windowMs);
  if (count > couponCheckLimit.max) {
    deps.log.warn({ event: 'coupon.check.rateLimited', count }, 'coupon checks rate-limited');
    return { ok: false, code: 'coupon.rateLimited' };
  }
  const refusal = await couponRefusalOf(deps.db, input.couponNumber, now);
  return refusal === undefined ? { ok: true } : { ok: false, code: await answerCouponRefusal(deps, refusal) };
}
