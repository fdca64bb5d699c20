import { cancellationRefusal, progressOf, type ApplicationProgress, type CancellationRefusal } from '../domain/application-progress.js';
import { nextState, type ApplicationKind } from '../domain/application-state.js';
import { activeWindow } from '../domain/maintenance.js';
import { findApplicationSummary, lockApplication, markApplicationCancelled } from '../store/application-store.js';
import { appendAudit } from '../store/audit-store.js';
import { settleLockedCoupon } from '../store/coupon-store.js';
import { listMaintenanceWindowsNotEndedBy } from '../store/maintenance-store.js';
import { queueApplicationMail } from './application-mail.js';
import type { CoreDeps, RaDeps } from './deps.js';

/** An application as its owner sees it on the cancellation and status pages. */
export interface OwnApplication {
  applicationId: string;
  kind: ApplicationKind;
  acceptanceNumber: string;
  nameJa: string;
  provisionalAt: Date;
  /** 本受付日時(取り消し期限) */
  finalAt: Date;
  cancelledAt: Date | undefined;
  progress: ApplicationProgress;
  /** Why it was not approved (a reason code), once rejected. */
  rejectionReason: string | undefined;
  /** Why it cannot be cancelled now, or undefined: the RA's answer, not a view's (issue #7 item 10). */
  cancellationRefusal: CancellationRefusal | 'maintenance' | undefined;
}

export async function describeOwnApplication(deps: CoreDeps, applicationId: string): Promise<OwnApplication | undefined> {
  const now = deps.clock.now();
  const row = await findApplicationSummary(deps.db, applicationId);
  if (row === undefined) return undefined;
  const refusal = cancellationRefusal(row.state, row.finalAt, now);
  const isMaintenance = refusal === undefined && activeWindow(await listMaintenanceWindowsNotEndedBy(deps.db, now), now) !== undefined;
  return {
    applicationId: row.id,
    kind: row.kind,
    acceptanceNumber: row.acceptanceNumber,
    nameJa: [row.registration['lastNameJa'], row.registration['firstNameJa']].filter(Boolean).join(' '),
    provisionalAt: row.provisionalAt,
    finalAt: row.finalAt,
    cancelledAt: row.cancelledAt ?? undefined,
    progress: progressOf(row.state, row.finalAt, now, (row.claimExpiresAt !== null && row.claimExpiresAt.getTime() > now.getTime()) || row.decisions > 0),
    rejectionReason: row.rejectionReason ?? undefined,
    cancellationRefusal: isMaintenance ? 'maintenance' : refusal,
  };
}

export type CancelResult =
  | { ok: true; value: { acceptanceNumber: string; cancelledAt: Date } }
  | { ok: false; code: 'application.notCancellable' | 'application.notFound' | 'cancel.maintenance' };

/**
 * SPEC 1.3: within the hour, cancel and release the coupon for reuse at once, in one
 * transaction. The row lock orders this against the finalisation job: whichever comes
 * second sees the other's result.
 */
export async function cancelApplication(deps: RaDeps, input: { applicationId: string; via: 'lookup' | 'mailLink' }): Promise<CancelResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<CancelResult> => {
    // SPEC 1.3: not during maintenance, whichever door the request came in by.
    if (activeWindow(await listMaintenanceWindowsNotEndedBy(tx, now), now) !== undefined) return { ok: false, code: 'cancel.maintenance' };
    const application = await lockApplication(tx, input.applicationId);
    if (application === undefined) return { ok: false, code: 'application.notFound' };
    // A second click on 取り消す, or a replay: the answer is the first one's.
    if (application.state === 'cancelled' && application.cancelledAt !== null) {
      return { ok: true, value: { acceptanceNumber: application.acceptanceNumber, cancelledAt: application.cancelledAt } };
    }
    const next = nextState(application.state, 'cancel', application.finalAt, now);
    if (!next.ok) return { ok: false, code: 'application.notCancellable' };
    await markApplicationCancelled(tx, application.id, now);
    const isReleased = await settleLockedCoupon(tx, application.couponId, application.id, 'available', now, `subscriber:${application.email}`);
    if (!isReleased) throw new Error(`provisional application ${application.id} without its locked coupon`);
    await appendAudit(tx, {
      at: now,
      actor: 'subscriber',
      action: 'application.cancelled',
      subjectType: 'application',
      subjectId: application.id,
      before: { state: application.state },
      after: { state: 'cancelled', couponId: application.couponId, couponState: 'available', via: input.via },
    });
    await queueApplicationMail(tx, deps.site, application, { template: 'application.cancelled', cancelledAt: now }, now);
    return { ok: true, value: { acceptanceNumber: application.acceptanceNumber, cancelledAt: now } };
  });
  deps.log.info({ event: result.ok ? 'application.cancelled' : 'application.cancelRefused', applicationId: input.applicationId, via: input.via }, 'cancellation');
  return result;
}
