import { randomInt, randomUUID } from 'node:crypto';
import { parseCouponBatchRequest, type CouponBatchRequestCode, type CouponProduct } from '../domain/coupon-batch.js';
import { makeCouponNumber } from '../domain/input/registration.js';
import type { JapanDate } from '../domain/japan-date.js';
import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { insertCouponBatch } from '../store/coupon-store.js';
import { isUniqueViolation } from '../store/errors.js';
import type { CoreDeps } from './deps.js';

export interface IssueCouponBatchDeps extends CoreDeps {
  /**
   * 15 uniformly random decimal digits per call: crypto.randomInt unless a test needs to
   * force a collision. The Luhn check digit is appended to them.
   */
  drawCouponPayload?: () => string;
}

export interface IssueCouponBatchInput {
  partner: string;
  count: number | string;
  product: string;
  /** The last day the coupons can be used, in Japan (YYYY-MM-DD). */
  expiresOn: string;
  /** Who asks: `operator:<id>` or `cli`. */
  actor: string;
}

export interface IssuedCouponBatch {
  batchId: string;
  partner: string;
  count: number;
  product: CouponProduct;
  expiresOn: JapanDate;
  expiresAt: Date;
}

/** How often a batch is drawn again after a number turned out to exist already. */
export const couponBatchAttempts = 3;

/**
 * 15 random digits from two calls: randomInt allows ranges below 2^48 only, and 10^8 ×
 * 10^7 outcomes, each uniform and independent, make every 15-digit payload equally likely.
 */
function drawPayload(): string {
  return `${String(randomInt(0, 100_000_000)).padStart(8, '0')}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** `count` distinct coupon numbers. A source that keeps repeating itself is a bug, not bad luck. */
function drawDistinctNumbers(count: number, draw: () => string): string[] {
  const numbers = new Set<string>();
  for (let draws = 0; numbers.size < count; draws += 1) {
    if (draws >= count * 2 + 100) throw new Error(`coupon numbers: ${draws} draws gave only ${numbers.size} distinct numbers`);
    numbers.add(makeCouponNumber(draw()));
  }
  return [...numbers];
}

/**
 * Issue a batch of coupons for a reseller partner (SPEC 2, issue #7): the batch row, its
 * coupons and their first events in one transaction, or nothing. With 10^15 possible
 * numbers a clash with an existing coupon is rare but possible; the unique index catches
 * it, the transaction rolls back whole, and the batch is drawn again.
 */
export async function issueCouponBatch(deps: IssueCouponBatchDeps, input: IssueCouponBatchInput): Promise<Result<IssuedCouponBatch, CouponBatchRequestCode>> {
  const now = deps.clock.now();
  const request = parseCouponBatchRequest(input, now);
  if (!request.ok) return fail(request.code);
  const { partner, count, product, expiresOn, expiresAt } = request.value;

  for (let attempt = 1; ; attempt += 1) {
    // Step 1: the numbers, outside the transaction (drawing them takes no lock).
    const numbers = drawDistinctNumbers(count, deps.drawCouponPayload ?? drawPayload);
    const batchId = randomUUID();
    try {
      // Step 2: everything in one transaction, the audit entry last (it holds the chain's head).
      await deps.db.transaction(async (tx) => {
        await insertCouponBatch(tx, { id: batchId, partner, product, expiresAt, createdAt: now, createdBy: input.actor }, numbers);
        // Never the numbers: the audit log is read by more people than may hold coupons.
        await appendAudit(tx, {
          at: now,
          actor: input.actor,
          action: 'couponBatch.issued',
          subjectType: 'couponBatch',
          subjectId: batchId,
          after: { partner, count, product, expiresOn, expiresAt: expiresAt.toISOString() },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'coupons_number_key') && attempt < couponBatchAttempts) {
        deps.log.warn({ event: 'couponBatch.numberCollision', attempt }, 'a drawn coupon number exists already: drawing the batch again');
        continue;
      }
      throw new Error(`issuing a batch of ${count} coupons (attempt ${attempt})`, { cause: error });
    }
    deps.log.info({ event: 'couponBatch.issued', batchId, count, product, expiresOn, actor: input.actor }, 'coupon batch issued');
    return ok({ batchId, partner, count, product, expiresOn, expiresAt });
  }
}
