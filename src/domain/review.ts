import { effectiveState, type ApplicationState } from './application-state.js';

/**
 * Review by RA operators (SPEC 2, issue #7). An operator takes an application (a claim,
 * for a limited time) before deciding, so two cannot act on it at once; approvals come
 * from as many distinct operators as the deployment requires (four-eyes with 2); nobody
 * approves twice; one rejection ends the application.
 */
export const REVIEW_CLAIM_MS = 30 * 60 * 1000;

/** The deployment's review rules (configuration: REVIEW_APPROVALS, PICKUP_CODE_TTL_DAYS). */
export interface ReviewPolicy {
  requiredApprovals: number;
  pickupCodeTtlDays: number;
}

export interface ReviewView {
  state: ApplicationState;
  finalAt: Date;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** Operators who approved so far, in order. */
  approvedBy: readonly string[];
  requiredApprovals: number;
}

export type ReviewRefusal =
  | 'review.notReviewable'
  | 'review.claimedByOther'
  | 'review.notClaimed'
  | 'review.alreadyApproved';

export type ReviewAction = 'claim' | 'release' | 'approve' | 'reject';

export function isClaimHeld(view: Pick<ReviewView, 'claimedBy' | 'claimExpiresAt'>, now: Date): boolean {
  return view.claimedBy !== null && view.claimExpiresAt !== null && view.claimExpiresAt.getTime() > now.getTime();
}

/** Why `operatorId` may not do `action` now, or undefined when they may. */
export function reviewRefusal(action: ReviewAction, operatorId: string, view: ReviewView, now: Date): ReviewRefusal | undefined {
  if (effectiveState(view.state, view.finalAt, now) !== 'final') return 'review.notReviewable';
  const isHeldByOther = isClaimHeld(view, now) && view.claimedBy !== operatorId;
  const isHeldByMe = isClaimHeld(view, now) && view.claimedBy === operatorId;
  switch (action) {
    case 'claim':
      if (isHeldByOther) return 'review.claimedByOther';
      // The second approval must come from someone else (four-eyes).
      return view.approvedBy.includes(operatorId) ? 'review.alreadyApproved' : undefined;
    case 'release':
      return isHeldByMe ? undefined : 'review.notClaimed';
    case 'approve':
      if (isHeldByOther) return 'review.claimedByOther';
      if (!isHeldByMe) return 'review.notClaimed';
      return view.approvedBy.includes(operatorId) ? 'review.alreadyApproved' : undefined;
    case 'reject':
      if (isHeldByOther) return 'review.claimedByOther';
      return isHeldByMe ? undefined : 'review.notClaimed';
  }
}

/** Whether this approval is the one that completes the review. */
export function isFinalApproval(view: Pick<ReviewView, 'approvedBy' | 'requiredApprovals'>): boolean {
  return view.approvedBy.length + 1 >= view.requiredApprovals;
}
