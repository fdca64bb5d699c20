import { canonicalCertificateCode } from '../domain/certificate-code.js';
import { isSubscriberRevocationReason, type SubscriberRevocationReason } from '../domain/revocation-reason.js';
import { findCertificateByCodeHash, findCertificateDetail, type CertificateDetail } from '../store/certificate-store.js';
import type { CaDeps } from './ca-signing.js';
import type { RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';
import { beginLookup, lookupSucceeded } from './lookup-guard.js';
import { revokeCertificate, type RevokedCertificate } from './revoke-certificate.js';

/**
 * A subscriber revokes their own certificate (issue #10): named by its certificate code and
 * the password of its latest application, answered uniformly on any mismatch, under the
 * lookup limits; then a reason a subscriber may give (RFC 5280 5.3.1 as S/MIME BR 4.9.1.1
 * lists the subscriber's causes). privilegeWithdrawn is the CA's to say, not theirs.
 */
export const ownRevocationReasons = ['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'unspecified'] as const satisfies readonly SubscriberRevocationReason[];
export type OwnRevocationReason = (typeof ownRevocationReasons)[number];

export function isOwnRevocationReason(value: string): value is OwnRevocationReason {
  return isSubscriberRevocationReason(value) && (ownRevocationReasons as readonly string[]).includes(value);
}

export type OwnCertificateLookupResult =
  | { ok: true; value: { certificateId: string } }
  | { ok: false; code: 'revoke.notFound' }
  | { ok: false; code: 'revoke.rateLimited'; retryAfterSeconds: number };

export async function findOwnCertificate(deps: RaDeps, input: { certificateCode: string; password: string; clientKey: string; networkKey: string }): Promise<OwnCertificateLookupResult> {
  const code = canonicalCertificateCode(input.certificateCode);
  const attempt = { purpose: 'revoke', subject: code ?? input.certificateCode.trim().slice(0, 64), clientKey: input.clientKey, networkKey: input.networkKey } as const;
  const verdict = await beginLookup(deps, attempt);
  if (!verdict.ok) return { ok: false, code: 'revoke.rateLimited', retryAfterSeconds: verdict.retryAfterSeconds };
  const row = code === undefined ? undefined : await findCertificateByCodeHash(deps.db, hashCertificateCode(code));
  // Verified whether or not the code exists: a miss costs the same time as a hit.
  const isPasswordRight = await deps.passwords.verify(row?.passwordHash, input.password);
  if (row === undefined || !isPasswordRight) {
    deps.log.info({ event: 'revoke.lookup.refused', reason: row === undefined ? 'unknownCertificateCode' : 'wrongPassword' }, 'revocation lookup found nothing');
    return { ok: false, code: 'revoke.notFound' };
  }
  await lookupSucceeded(deps, attempt);
  return { ok: true, value: { certificateId: row.certificateId } };
}

/** The certificate a revocation session names, as the confirmation page shows it. */
export async function describeOwnCertificate(deps: Pick<RaDeps, 'db'>, certificateId: string): Promise<CertificateDetail | undefined> {
  return findCertificateDetail(deps.db, certificateId);
}

export type OwnRevocationResult = { ok: true; value: RevokedCertificate } | { ok: false; code: 'revoke.reasonMissing' | 'revoke.alreadyRevoked' | 'revoke.notFound' };

export async function revokeOwnCertificate(deps: RaDeps & CaDeps, input: { certificateId: string; reason: string }): Promise<OwnRevocationResult> {
  if (!isOwnRevocationReason(input.reason)) return { ok: false, code: 'revoke.reasonMissing' };
  const detail = await findCertificateDetail(deps.db, input.certificateId);
  if (detail === undefined) return { ok: false, code: 'revoke.notFound' };
  const revoked = await revokeCertificate(deps, { certificateId: input.certificateId, reason: input.reason, actor: `subscriber:${detail.subscriberId}`, at: deps.clock.now() });
  if (revoked.ok) return revoked;
  return { ok: false, code: revoked.code === 'revocation.alreadyRevoked' ? 'revoke.alreadyRevoked' : 'revoke.notFound' };
}
