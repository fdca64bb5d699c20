import { randomBytes } from 'node:crypto';
import { canonicalCertificateCode, CERTIFICATE_CODE_LENGTH, formatCertificateCode } from '../domain/certificate-code.js';
import { pickupExpiresAt } from '../domain/pickup-code.js';
import { isRejectionReason, REJECTION_NOTE_MAX_LENGTH, type RejectionReason } from '../domain/rejection-reasons.js';
import { isFinalApproval, reviewRefusal, type ReviewRefusal } from '../domain/review.js';
import { vettingAgeOf } from '../domain/vetting.js';
import { appendAudit } from '../store/audit-store.js';
import { insertDecision, insertPickupCredential, lockReviewedApplication, markDecided, setClaim, findSubscriberVetting } from '../store/review-store.js';
import { insertSubscriber, updateSubscriberRegistration } from '../store/subscriber-store.js';
import { queueApplicationMail } from './application-mail.js';
import type { RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';
import { finaliseDueApplication } from './finalise-applications.js';
import { reviewViewOf } from './review-application.js';

export type DecisionCode = ReviewRefusal | 'review.unknown' | 'review.vettingExpired' | 'review.reasonRequired' | 'review.noteTooLong';

export type ApproveResult = { ok: true; value: { isComplete: boolean; approvals: number } } | { ok: false; code: DecisionCode };

/**
 * Approval (SPEC 2, issue #7), in one transaction. With REVIEW_APPROVALS distinct
 * approvals the review is complete: the applicant becomes a vetted subscriber (or the
 * renewing subscriber's registration is updated), the pickup credential is made — the
 * certificate code, stored only as a hash — and the 「審査完了」 mail with the code is
 * queued in the application's language. A renewal whose last vetting is older than 825
 * days (S/MIME BR) can be approved only with the vetting redone.
 */
export async function approveApplication(deps: RaDeps, input: { applicationId: string; operatorId: string; isVettingRedone: boolean }): Promise<ApproveResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ApproveResult> => {
    // Step 1: hold the application; a concurrent decision waits here and then sees ours.
    const application = await lockReviewedApplication(tx, input.applicationId);
    if (application === undefined) return { ok: false, code: 'review.unknown' };
    const view = await reviewViewOf(tx, application, deps.review.requiredApprovals);
    const refusal = reviewRefusal('approve', input.operatorId, view, now);
    if (refusal !== undefined) return { ok: false, code: refusal };
    // Due but not yet finalised by the job: final acceptance first (the coupon is consumed), then the decision.
    if (application.state === 'provisional') await finaliseDueApplication(tx, deps, application, now);

    // Step 2: a renewal may reuse the last vetting for 825 days, no longer.
    const previous = application.kind === 'renewal' && application.subscriberId !== null ? await findSubscriberVetting(tx, application.subscriberId) : undefined;
    const vettedAt = previous?.vettedAt ?? null;
    const isVettingReusable = vettedAt !== null && vettingAgeOf(vettedAt, now).isReusable;
    if (application.kind === 'renewal' && !isVettingReusable && !input.isVettingRedone) return { ok: false, code: 'review.vettingExpired' };

    await insertDecision(tx, { applicationId: application.id, operatorId: input.operatorId, decision: 'approve', isVettingRedone: input.isVettingRedone || application.kind === 'new', at: now });
    const actor = `operator:${input.operatorId}`;
    const approvals = view.approvedBy.length + 1;
    if (!isFinalApproval(view)) {
      // Four-eyes: this approval is recorded, and someone else takes it from here.
      await setClaim(tx, application.id, null, null);
      await appendAudit(tx, { at: now, actor, action: 'application.approvalRecorded', subjectType: 'application', subjectId: application.id, after: { approvals, required: deps.review.requiredApprovals } });
      return { ok: true, value: { isComplete: false, approvals } };
    }

    // Step 3: the applicant becomes a vetted subscriber.
    let subscriberId = application.subscriberId;
    const reg = application.registration;
    if (application.kind === 'new' || subscriberId === null) {
      subscriberId = await insertSubscriber(tx, {
        organisation: { nameJa: reg['orgNameJa'] ?? '', nameKana: reg['orgNameKana'] ?? '', nameEn: reg['orgNameEn'] ?? '' },
        email: application.email,
        passwordHash: application.passwordHash,
        registration: reg,
        vettedAt: now,
        now,
      });
    } else {
      await updateSubscriberRegistration(tx, subscriberId, { email: application.email, passwordHash: application.passwordHash, registration: reg, ...(input.isVettingRedone ? { vettedAt: now } : {}) }, now);
    }
    const isDecided = await markDecided(tx, application.id, { state: 'approved', at: now, subscriberId });
    if (!isDecided) throw new Error(`application ${application.id} left the final state while locked`);

    // Step 4: the pickup credential; the code exists in clear only in the mail.
    const certificateCode = formatCertificateCode(randomBytes(CERTIFICATE_CODE_LENGTH));
    const canonical = canonicalCertificateCode(certificateCode);
    if (canonical === undefined) throw new Error('a fresh certificate code that does not read back');
    const codeExpiresAt = pickupExpiresAt(now, deps.review.pickupCodeTtlDays);
    await insertPickupCredential(tx, { applicationId: application.id, codeHash: hashCertificateCode(canonical), expiresAt: codeExpiresAt, createdAt: now });
    await queueApplicationMail(tx, deps.site, application, { template: 'application.approved', certificateCode, pickupUrl: `${deps.site.publicUrl}/pickup`, codeExpiresAt }, now);
    await appendAudit(tx, {
      at: now,
      actor,
      action: 'application.approved',
      subjectType: 'application',
      subjectId: application.id,
      before: { state: 'final' },
      after: { state: 'approved', subscriberId, approvals, isVettingRedone: input.isVettingRedone, codeExpiresAt: codeExpiresAt.toISOString() },
    });
    return { ok: true, value: { isComplete: true, approvals } };
  });
  deps.log.info({ event: 'application.approve', applicationId: input.applicationId, ok: result.ok, ...(result.ok ? result.value : { code: result.code }) }, 'approval');
  return result;
}

export type RejectResult = { ok: true } | { ok: false; code: DecisionCode };

/**
 * Rejection: one ends the application (issue #7). The reason goes to the applicant; the
 * coupon stays consumed (the seed: 本受付後は…クーポンを再度購入いただく必要があります).
 */
export async function rejectApplication(deps: RaDeps, input: { applicationId: string; operatorId: string; reason: string; note: string }): Promise<RejectResult> {
  if (!isRejectionReason(input.reason)) return { ok: false, code: 'review.reasonRequired' };
  const reason: RejectionReason = input.reason;
  const note = input.note.trim();
  if ([...note].length > REJECTION_NOTE_MAX_LENGTH) return { ok: false, code: 'review.noteTooLong' };
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<RejectResult> => {
    const application = await lockReviewedApplication(tx, input.applicationId);
    if (application === undefined) return { ok: false, code: 'review.unknown' };
    const refusal = reviewRefusal('reject', input.operatorId, await reviewViewOf(tx, application, deps.review.requiredApprovals), now);
    if (refusal !== undefined) return { ok: false, code: refusal };
    if (application.state === 'provisional') await finaliseDueApplication(tx, deps, application, now);
    await insertDecision(tx, { applicationId: application.id, operatorId: input.operatorId, decision: 'reject', reasonCode: reason, note, isVettingRedone: false, at: now });
    const isDecided = await markDecided(tx, application.id, { state: 'rejected', at: now, rejectionReason: reason, rejectionNote: note });
    if (!isDecided) throw new Error(`application ${application.id} left the final state while locked`);
    await queueApplicationMail(tx, deps.site, application, { template: 'application.rejected', reason, note }, now);
    await appendAudit(tx, { at: now, actor: `operator:${input.operatorId}`, action: 'application.rejected', subjectType: 'application', subjectId: application.id, before: { state: 'final' }, after: { state: 'rejected', reason } });
    return { ok: true };
  });
  deps.log.info({ event: 'application.reject', applicationId: input.applicationId, ok: result.ok }, 'rejection');
  return result;
}
