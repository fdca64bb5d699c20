import { REVIEW_CLAIM_MS, reviewRefusal, type ReviewAction, type ReviewRefusal, type ReviewView } from '../domain/review.js';
import { appendAudit } from '../store/audit-store.js';
import type { Tx } from '../store/db.js';
import { listDecisions, lockReviewedApplication, setClaim, type ReviewedApplication } from '../store/review-store.js';
import type { RaDeps } from './deps.js';

/** The review view of a locked application: what the domain's rules read. */
export async function reviewViewOf(tx: Tx, application: ReviewedApplication, requiredApprovals: number): Promise<ReviewView> {
  const decisions = await listDecisions(tx, application.id);
  return {
    state: application.state,
    finalAt: application.finalAt,
    claimedBy: application.claimedBy,
    claimExpiresAt: application.claimExpiresAt,
    approvedBy: decisions.filter((d) => d.decision === 'approve').map((d) => d.operatorId),
    requiredApprovals,
  };
}

export type ClaimResult = { ok: true; value: { claimExpiresAt: Date | null } } | { ok: false; code: ReviewRefusal | 'review.unknown' };

/**
 * An operator takes an application for review (or gives it back), so two cannot act on it
 * at once (issue #7). The claim lasts REVIEW_CLAIM_MS; taking it again extends it. The row
 * lock orders concurrent claims: the second sees the first's claim and is refused.
 */
export async function changeClaim(deps: RaDeps, input: { applicationId: string; operatorId: string; action: Extract<ReviewAction, 'claim' | 'release'> }): Promise<ClaimResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx): Promise<ClaimResult> => {
    const application = await lockReviewedApplication(tx, input.applicationId);
    if (application === undefined) return { ok: false, code: 'review.unknown' };
    const refusal = reviewRefusal(input.action, input.operatorId, await reviewViewOf(tx, application, deps.review.requiredApprovals), now);
    if (refusal !== undefined) return { ok: false, code: refusal };
    const expiresAt = input.action === 'claim' ? new Date(now.getTime() + REVIEW_CLAIM_MS) : null;
    await setClaim(tx, application.id, input.action === 'claim' ? input.operatorId : null, expiresAt);
    await appendAudit(tx, {
      at: now,
      actor: `operator:${input.operatorId}`,
      action: input.action === 'claim' ? 'review.claimed' : 'review.released',
      subjectType: 'application',
      subjectId: application.id,
      before: { claimedBy: application.claimedBy, claimExpiresAt: application.claimExpiresAt?.toISOString() ?? null },
      after: { claimedBy: input.action === 'claim' ? input.operatorId : null, claimExpiresAt: expiresAt?.toISOString() ?? null },
    });
    return { ok: true, value: { claimExpiresAt: expiresAt } };
  });
  deps.log.info({ event: `review.${input.action}`, applicationId: input.applicationId, ok: result.ok }, 'review claim');
  return result;
}
