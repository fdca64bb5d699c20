import { isCouponBatchId, writeCouponBatchCsv } from '../domain/coupon-batch.js';
import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { findCouponBatch, listBatchCoupons } from '../store/coupon-store.js';
import type { CoreDeps } from './deps.js';

export interface ExportedCouponBatch {
  batchId: string;
  /** The CSV file: UTF-8 with a byte-order mark, CRLF (writeCouponBatchCsv). */
  csv: Uint8Array;
  count: number;
  /** A name to save it under: the partner's name stays out of it (it may hold anything but controls). */
  fileName: string;
}

/**
 * The batch as a CSV file for the reseller partner (issue #7), every coupon with its state
 * now. The numbers are what subscribers pay with, so each export is written to the audit
 * log (who, how many; never the numbers), in the same transaction as the read.
 */
export async function exportCouponBatch(deps: CoreDeps, input: { batchId: string; actor: string }): Promise<Result<ExportedCouponBatch, 'couponBatch.unknown'>> {
  if (!isCouponBatchId(input.batchId)) return fail('couponBatch.unknown');
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<Result<ExportedCouponBatch, 'couponBatch.unknown'>> => {
    const batch = await findCouponBatch(tx, input.batchId);
    if (batch === undefined) return fail('couponBatch.unknown');
    const coupons = await listBatchCoupons(tx, batch.id);
    const csv = writeCouponBatchCsv(
      coupons.map((c) => {
        if (c.expiresAt === null) throw new Error(`coupon of batch ${batch.id} without an expiry`);
        return { number: c.number, partner: c.partner, product: c.product, expiresAt: c.expiresAt, state: c.state };
      }),
    );
    await appendAudit(tx, { at: now, actor: input.actor, action: 'couponBatch.exported', subjectType: 'couponBatch', subjectId: batch.id, after: { count: coupons.length } });
    return ok({ batchId: batch.id, csv, count: coupons.length, fileName: `coupons-${batch.id}.csv` });
  });
  deps.log.info({ event: 'couponBatch.exported', batchId: input.batchId, ...(result.ok ? { count: result.value.count } : { code: result.code }), actor: input.actor }, 'coupon batch exported');
  return result;
}
