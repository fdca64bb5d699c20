import { canonicalAcceptanceNumber } from '../domain/acceptance-number.js';
import { effectiveState, nextState, type ApplicationKind, type ApplicationState } from '../domain/application-state.js';
import { findApplicationByAcceptanceNumber, lockApplication } from '../store/application-store.js';
import { markApplicationCancelled } from '../store/application-store.js';
import { activeWindow } from '../domain/maintenance.js';
import { appendAudit } from '../store/audit-store.js';
import { listMaintenanceWindowsNotEndedBy } from '../store/maintenance-store.js';
import { settleLockedCoupon } from '../store/coupon-store.js';
import { countAttempt } from '../store/rate-limit-store.js';
import { queueApplicationMail } from './application-mail.js';
import { verifyApplicationPassword } from './application-password.js';
import type { CoreDeps, RaDeps } from './deps.js';

export const cancelLookupLimits = {
  perClient: { max: 20, windowMs: 15 * 60 * 1000 },
  perAcceptanceNumber: { max: 10, windowMs: 60 * 60 * 1000 },
};

export interface CancellableApplication {
  applicationId: string;
  kind: ApplicationKind;
  acceptanceNumber: string;
  provisionalAt: Date;
  finalAt: Date;
  /** As of now, with the hour applied (SPEC 1.3: refused after the hour even if no job ran). */
  state: ApplicationState;
  nameJa: string;
}

export type CancelLookupResult =
  | { ok: true; value: CancellableApplication }
  | { ok: false; code: 'cancel.notFound' | 'cancel.rateLimited' };

/**
 * SPEC 1.3: identify the application by acceptance number, email and application
 * password. Any mismatch answers the same `cancel.notFound`; the reason is logged.
 * Once identified, the subscriber is told its real state (final, already cancelled…).
 */
export async function findApplicationToCancel(
  deps: CoreDeps,
  input: { acceptanceNumber: string; email: string; password: string; clientKey: string },
): Promise<CancelLookupResult> {
  const now = deps.clock.now();
  const acceptanceNumber = canonicalAcceptanceNumber(input.acceptanceNumber).slice(0, 40);
  const clientCount = await countAttempt(deps.db, `cancel-lookup:client:${input.clientKey}`, now, cancelLookupLimits.perClient.windowMs);
  const numberCount = await countAttempt(deps.db, `cancel-lookup:number:${acceptanceNumber}`, now, cancelLookupLimits.perAcceptanceNumber.windowMs);
  if (clientCount > cancelLookupLimits.perClient.max || numberCount > cancelLookupLimits.perAcceptanceNumber.max) {
    deps.log.warn({ event: 'cancel.lookup.rateLimited', clientCount, numberCount }, 'cancellation lookup rate-limited');
    return { ok: false, code: 'cancel.rateLimited' };
  }
  const row = await findApplicationByAcceptanceNumber(deps.db, acceptanceNumber);
  const isPasswordRight = await verifyApplicationPassword(row?.passwordHash, input.password);
  const refuse = (reason: string): CancelLookupResult => {
    deps.log.info({ event: 'cancel.lookup.refused', reason }, 'cancellation lookup found nothing');
    return { ok: false, code: 'cancel.notFound' };
  };
  if (row === undefined) return refuse('unknownAcceptanceNumber');
  if (row.email.toLowerCase() !== input.email.trim().toLowerCase()) return refuse('emailMismatch');
  if (!isPasswordRight) return refuse('wrongPassword');
  return {
    ok: true,
    value: {
      applicationId: row.id,
      kind: row.kind,
      acceptanceNumber: row.acceptanceNumber,
      provisionalAt: row.provisionalAt,
      finalAt: row.finalAt,
      state: effectiveState(row.state, row.finalAt, now),
      nameJa: [row.registration['lastNameJa'], row.registration['firstNameJa']].filter(Boolean).join(' '),
    },
  };
}

export type CancelResult =
  | { ok: true; value: { acceptanceNumber: string; cancelledAt: Date } }
  | { ok: false; code: 'application.notCancellable' | 'cancel.notFound' | 'cancel.maintenance' };

/**
 * SPEC 1.3: within the hour, cancel and release the coupon for reuse at once, in one
 * transaction. The row lock orders this against the finalisation job: whichever comes
 * second sees the other's result.
 */
export async function cancelApplication(deps: RaDeps, input: { applicationId: string }): Promise<CancelResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<CancelResult> => {
    // SPEC 1.3: not during maintenance, whichever door the request came in by.
    if (activeWindow(await listMaintenanceWindowsNotEndedBy(tx, now), now) !== undefined) return { ok: false, code: 'cancel.maintenance' };
    const application = await lockApplication(tx, input.applicationId);
    if (application === undefined) return { ok: false, code: 'cancel.notFound' };
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
      after: { state: 'cancelled', couponId: application.couponId, couponState: 'available' },
    });
    await queueApplicationMail(tx, deps.site, application, { template: 'application.cancelled', cancelledAt: now }, now);
    return { ok: true, value: { acceptanceNumber: application.acceptanceNumber, cancelledAt: now } };
  });
  deps.log.info({ event: result.ok ? 'application.cancelled' : 'application.cancelRefused', applicationId: input.applicationId }, 'cancellation');
  return result;
}
