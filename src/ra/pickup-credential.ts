import { canonicalCertificateCode } from '../domain/certificate-code.js';
import { PICKUP_CODE_MAX_FAILURES } from '../domain/pickup-code.js';
import { appendAudit } from '../store/audit-store.js';
import type { ReviewedApplication } from '../store/review-store.js';
import { findPickupCredentialByCodeHash, findReviewedApplication, giveBackPickupAttempt, reservePickupAttempt, type PickupCredentialRow } from '../store/review-store.js';
import type { RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';

export type PickupCheck =
  | { ok: true; value: { credential: PickupCredentialRow; application: ReviewedApplication; canonicalCode: string } }
  | { ok: false; code: 'pickup.notFound' | 'pickup.expired' | 'pickup.locked' };

/**
 * The certificate code and application password of an approved application (SPEC 1.4,
 * issue #7): until it expires, at most five wrong passwords. A wrong code answers like an
 * unknown one, and so does a wrong password, which counts against the code; only the
 * password's holder learns that the code expired. A used code with the right password is
 * a match: its certificate stays downloadable. The lock after five wrong passwords is
 * said to anyone with the code, since the code exists only in the subscriber's mail.
 */
export async function checkPickupCredential(deps: RaDeps, input: { certificateCode: string; password: string }): Promise<PickupCheck> {
  const now = deps.clock.now();
  const canonical = canonicalCertificateCode(input.certificateCode);
  const credential = canonical === undefined ? undefined : await findPickupCredentialByCodeHash(deps.db, hashCertificateCode(canonical));
  const application = credential === undefined ? undefined : await findReviewedApplication(deps.db, credential.applicationId);
  // The attempt counts before the password is checked: a burst of guesses cannot all pass.
  const attempts = credential === undefined || application === undefined ? undefined : await reservePickupAttempt(deps.db, credential.id, PICKUP_CODE_MAX_FAILURES);
  // Verified whether or not the code exists: a miss costs the same time as a hit.
  const isPasswordRight = await deps.passwords.verify(application?.passwordHash, input.password);
  if (canonical === undefined || credential === undefined || application === undefined) return { ok: false, code: 'pickup.notFound' };
  if (attempts === undefined) return { ok: false, code: 'pickup.locked' };
  if (!isPasswordRight) {
    await appendAudit(deps.db, { at: now, actor: 'applicant', action: 'pickup.wrongPassword', subjectType: 'application', subjectId: application.id, after: { failedAttempts: attempts } });
    return { ok: false, code: attempts >= PICKUP_CODE_MAX_FAILURES ? 'pickup.locked' : 'pickup.notFound' };
  }
  await giveBackPickupAttempt(deps.db, credential.id);
  if (credential.usedAt === null && now.getTime() >= credential.expiresAt.getTime()) return { ok: false, code: 'pickup.expired' };
  return { ok: true, value: { credential, application, canonicalCode: canonical } };
}
