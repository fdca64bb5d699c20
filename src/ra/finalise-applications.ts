import type { ApplicationKind } from '../domain/application-state.js';
import { appendAudit } from '../store/audit-store.js';
import { claimDueProvisionalApplications, markApplicationFinal } from '../store/application-store.js';
import { settleLockedCoupon } from '../store/coupon-store.js';
import type { Tx } from '../store/db.js';
import type { RegistrationJson } from '../store/schema/tables.js';
import { queueApplicationMail } from './application-mail.js';
import type { RaDeps } from './deps.js';

/**
 * Final acceptance of one due provisional application, in the caller's transaction (with
 * the row locked): state final, coupon consumed, audited, mailed. The job does it for
 * every due application; a review that reaches one before the job does it first.
 */
export async function finaliseDueApplication(
  tx: Tx,
  deps: Pick<RaDeps, 'site'>,
  application: { id: string; kind: ApplicationKind; acceptanceNumber: string; email: string; lang: 'ja' | 'en'; registration: RegistrationJson; couponId: string; finalAt: Date },
  now: Date,
  actor = 'system:finalise',
): Promise<void> {
  await markApplicationFinal(tx, application.id, now);
  const isConsumed = await settleLockedCoupon(tx, application.couponId, application.id, 'consumed', now, actor);
  if (!isConsumed) throw new Error(`application ${application.id} reached final without its locked coupon`);
  await appendAudit(tx, {
    at: now,
    actor,
    action: 'application.finallyAccepted',
    subjectType: 'application',
    subjectId: application.id,
    before: { state: 'provisional' },
    after: { state: 'final', finalAt: application.finalAt.toISOString(), couponId: application.couponId },
  });
  await queueApplicationMail(tx, deps.site, application, { template: 'application.final', finalisedAt: application.finalAt }, now);
}

/**
 * SPEC 1.1 step 7: one hour after provisional acceptance the application is final and
 * its coupon consumed, in one transaction per batch. The job only catches up: the
 * deadline is data (finalAt) and every reader applies it already (effectiveState), so
 * a late, repeated or concurrent run changes nothing that was not due.
 */
export async function finaliseDueApplications(deps: RaDeps, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 50;
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const finalised = await deps.db.transaction(async (tx) => {
      const due = await claimDueProvisionalApplications(tx, now, batchSize);
      for (const application of due) await finaliseDueApplication(tx, deps, application, now);
      return due.length;
    });
    total += finalised;
    if (finalised < batchSize) break;
  }
  if (total > 0) deps.log.info({ event: 'applications.finalised', count: total }, 'applications finally accepted');
  return total;
}
