import { createHash } from 'node:crypto';
import { canonicalCertificateCode } from '../domain/certificate-code.js';
import { renewalRefusal } from '../domain/renewal-window.js';
import { findCertificateByCodeHash, listCertificatesOfSubscriber, type RenewalCandidateRow } from '../store/certificate-store.js';
import type { RaDeps } from './deps.js';
import { beginLookup, lookupSucceeded } from './lookup-guard.js';

export interface RenewalLookup {
  email: string;
  password: string;
  certificateCode: string;
  /** Who is asking (client address), for the per-client rate limit. */
  clientKey: string;
  /** The client's network, for failures on one code (lookup-guard.ts). */
  networkKey: string;
}

export type RenewalLookupResult =
  | { ok: true; value: { subscriberId: string; certificates: RenewalCandidateRow[] } }
  | { ok: false; code: 'renewal.notAvailable' }
  | { ok: false; code: 'renewal.rateLimited'; retryAfterSeconds: number };

export function hashCertificateCode(canonicalCode: string): string {
  return createHash('sha256').update(`certdesk:certificate-code:${canonicalCode}`).digest('hex');
}

/** No subscriber has this id: the certificate list of a failed lookup is this one's (empty). */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** The certificates of `subscriberId` that can be renewed at `now` (SPEC 1.1 step 2). */
export function renewableAmong(all: readonly RenewalCandidateRow[], now: Date): RenewalCandidateRow[] {
  return all.filter((c) => renewalRefusal({ notAfter: c.notAfter, isRevoked: c.status === 'revoked', hasActiveRenewal: c.hasActiveRenewal }, now) === undefined);
}

/**
 * Find the certificates a subscriber may renew now. Every failure answers the same
 * `renewal.notAvailable` (SPEC 1.1 step 3: nothing leaks which part was wrong), after
 * the same work: one certificate lookup, one argon2 verification, one list of
 * certificates (the failure counted up front), whichever part was wrong (issue #6 defect 10).
 * The real reason goes to the log only.
 */
export async function findRenewableCertificates(deps: RaDeps, input: RenewalLookup): Promise<RenewalLookupResult> {
  const now = deps.clock.now();
  const code = canonicalCertificateCode(input.certificateCode);
  const attempt = { purpose: 'renewal', subject: code ?? input.certificateCode.trim().slice(0, 64), clientKey: input.clientKey, networkKey: input.networkKey } as const;
  const verdict = await beginLookup(deps, attempt);
  if (!verdict.ok) return { ok: false, code: 'renewal.rateLimited', retryAfterSeconds: verdict.retryAfterSeconds };

  const row = code === undefined ? undefined : await findCertificateByCodeHash(deps.db, hashCertificateCode(code));
  // Verify a password even when there is no subscriber, so the answer takes as long.
  const isPasswordRight = await deps.passwords.verify(row?.passwordHash, input.password);
  const isEmailRight = row !== undefined && row.email.toLowerCase() === input.email.trim().toLowerCase();
  const isIdentified = row !== undefined && isEmailRight && isPasswordRight;
  const all = await listCertificatesOfSubscriber(deps.db, isIdentified ? row.subscriberId : NOBODY);
  const renewable = renewableAmong(all, now);
  if (isIdentified && renewable.length > 0) {
    await lookupSucceeded(deps, attempt);
    return { ok: true, value: { subscriberId: row.subscriberId, certificates: renewable } };
  }

  let reason: string;
  if (row === undefined) reason = 'unknownCertificateCode';
  else if (!isEmailRight) reason = 'emailMismatch';
  else if (!isPasswordRight) reason = 'wrongPassword';
  else {
    const named = all.find((c) => c.certificateId === row.certificateId);
    reason = (named && renewalRefusal({ notAfter: named.notAfter, isRevoked: named.status === 'revoked', hasActiveRenewal: named.hasActiveRenewal }, now)) ?? 'noCertificateInWindow';
  }
  deps.log.info({ event: 'renewal.lookup.refused', reason }, 'renewal lookup found nothing');
  return { ok: false, code: 'renewal.notAvailable' };
}

/**
 * The renewable certificates among those a lookup found, as they stand now: the choice
 * page shows this, so a certificate renewed meanwhile (another tab) drops out.
 */
export async function listRenewableCertificates(deps: Pick<RaDeps, 'db' | 'clock'>, subscriberId: string, certificateIds: readonly string[]): Promise<RenewalCandidateRow[]> {
  const all = await listCertificatesOfSubscriber(deps.db, subscriberId);
  return renewableAmong(all, deps.clock.now()).filter((c) => certificateIds.includes(c.certificateId));
}
