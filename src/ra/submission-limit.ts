import { countAttempt } from '../store/rate-limit-store.js';
import type { CoreDeps } from './deps.js';

/**
 * Submissions per client and hour. A submission answers whether a coupon number is
 * unknown, locked or used (SPEC 3 wants that said clearly), so without a limit the form
 * would be an oracle for guessing coupon numbers.
 */
export const submissionLimit = { max: 20, windowMs: 60 * 60 * 1000 };

export async function isSubmissionAllowed(deps: CoreDeps, clientKey: string): Promise<boolean> {
  const count = await countAttempt(deps.db, `submission:client:${clientKey}`, deps.clock.now(), submissionLimit.windowMs);
  if (count > submissionLimit.max) {
    deps.log.warn({ event: 'submission.rateLimited', count }, 'application submissions rate-limited');
    return false;
  }
  return true;
}
