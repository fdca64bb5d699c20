import { canonicalCertificateCode } from '../domain/certificate-code.js';
import { pickupRefusal, type PickupRefusal } from '../domain/pickup-code.js';
import { appendAudit } from '../store/audit-store.js';
import type { Tx } from '../store/db.js';
import { countPickupFailure, findPickupCredentialByCodeHash, findReviewedApplication, lockPickupCredential, markPickupUsed } from '../store/review-store.js';
import type { RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';

export type PickupCheck =
  | { ok: true; value: { credentialId: string; applicationId: string } }
  | { ok: false; code: 'pickup.notFound' | PickupRefusal };

/**
 * The certificate code and application password of an approved application (SPEC 1.4,
 * issue #7): single-use, until it expires, at most five wrong passwords. A wrong code
 * answers like an unknown one; a wrong password counts against the code. The answer
 * for a used or expired code is said clearly, since only the code's holder can get it.
 */
export async function checkPickupCredential(deps: RaDeps, input: { certificateCode: string; password: string }): Promise<PickupCheck> {
  const now = deps.clock.now();
  const canonical = canonicalCertificateCode(input.certificateCode);
  const credential = canonical === undefined ? undefined : await findPickupCredentialByCodeHash(deps.db, hashCertificateCode(canonical));
  const application = credential === undefined ? undefined : await findReviewedApplication(deps.db, credential.applicationId);
  const isPasswordRight = await deps.passwords.verify(application?.passwordHash, input.password);
  if (credential === undefined || application === undefined) return { ok: false, code: 'pickup.notFound' };
  const refusal = pickupRefusal(credential, now);
  if (refusal !== undefined) return { ok: false, code: refusal };
  if (!isPasswordRight) {
    await deps.db.transaction(async (tx) => {
      await countPickupFailure(tx, credential.id);
      await appendAudit(tx, { at: now, actor: 'applicant', action: 'pickup.wrongPassword', subjectType: 'application', subjectId: application.id, after: { failedAttempts: credential.failedAttempts + 1 } });
    });
    return { ok: false, code: credential.failedAttempts + 1 >= 5 ? 'pickup.locked' : 'pickup.notFound' };
  }
  return { ok: true, value: { credentialId: credential.id, applicationId: application.id } };
}

/**
 * Use the credential up, inside the transaction that issues the certificate: of two
 * pickups racing with one code, one gets it and the other is told it was used.
 */
export async function consumePickupCredential(tx: Tx, credentialId: string, now: Date): Promise<{ ok: true } | { ok: false; code: PickupRefusal | 'pickup.notFound' }> {
  const credential = await lockPickupCredential(tx, credentialId);
  if (credential === undefined) return { ok: false, code: 'pickup.notFound' };
  const refusal = pickupRefusal(credential, now);
  if (refusal !== undefined) return { ok: false, code: refusal };
  return (await markPickupUsed(tx, credentialId, now)) ? { ok: true } : { ok: false, code: 'pickup.used' };
}
