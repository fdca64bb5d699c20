import { createHash } from 'node:crypto';
import { canonicalCertificateCode } from '../domain/certificate-code.js';
import { renewalRefusal } from '../domain/renewal-window.js';
import { findCertificateByCodeHash, listCertificatesOfSubscriber, type RenewalCandidateRow } from '../store/certificate-store.js';
import { countAttempt } from '../store/rate-limit-store.js';
import { verifyApplicationPassword } from './application-password.js';
import type { CoreDeps } from './deps.js';

export interface RenewalLookup {
  email: string;
  password: string;
  certificateCode: string;
  /** Who is asking (client address), for the per-client rate limit. */
  clientKey: string;
}

export type RenewalLookupResult =
  | { ok: true; value: { subscriberId: string; certificates: RenewalCandidateRow[] } }
  | { ok: false; code: 'renewal.notAvailable' | 'renewal.rateLimited' };

/** SPEC 1.1 step 3: lookups are rate-limited per client and per certificate code. */
export const lookupLimits = {
  perClient: { max: 20, windowMs: 15 * 60 * 1000 },
  perCertificateCode: { max: 10, windowMs: 60 * 60 * 1000 },
};

export function hashCertificateCode(canonicalCode: string): string {
  return createHash('sha256').update(`certdesk:certificate-code:${canonicalCode}`).digest('hex');
}

/**
 * Find the certificates a subscriber may renew now. Every failure answers the same
 * `renewal.notAvailable` (SPEC 1.1 step 3: nothing leaks which part was wrong); the
 * real reason goes to the log only.
 */
export async function findRenewableCertificates(deps: CoreDeps, input: RenewalLookup): Promise<RenewalLookupResult> {
  const now = deps.clock.now();
  const code = canonicalCertificateCode(input.certificateCode);
  const codeHash = hashCertificateCode(code ?? input.certificateCode.trim());

  const clientCount = await countAttempt(deps.db, `renewal-lookup:client:${input.clientKey}`, now, lookupLimits.perClient.windowMs);
  const codeCount = await countAttempt(deps.db, `renewal-lookup:code:${codeHash}`, now, lookupLimits.perCertificateCode.windowMs);
  if (clientCount > lookupLimits.perClient.max || codeCount > lookupLimits.perCertificateCode.max) {
    deps.log.warn({ event: 'renewal.lookup.rateLimited', clientCount, codeCount }, 'renewal lookup rate-limited');
    return { ok: false, code: 'renewal.rateLimited' };
  }

  const notAvailable = (reason: string): RenewalLookupResult => {
    deps.log.info({ event: 'renewal.lookup.refused', reason }, 'renewal lookup found nothing');
    return { ok: false, code: 'renewal.notAvailable' };
  };

  const row = code === undefined ? undefined : await findCertificateByCodeHash(deps.db, codeHash);
  // Verify a password even when there is no subscriber, so the answer takes as long.
  const isPasswordRight = await verifyApplicationPassword(row?.passwordHash, input.password);
  if (row === undefined) return notAvailable('unknownCertificateCode');
  if (row.email.toLowerCase() !== input.email.trim().toLowerCase()) return notAvailable('emailMismatch');
  if (!isPasswordRight) return notAvailable('wrongPassword');

  const all = await listCertificatesOfSubscriber(deps.db, row.subscriberId);
  const renewable = all.filter(
    (c) => renewalRefusal({ notAfter: c.notAfter, isRevoked: c.status === 'revoked', hasActiveRenewal: c.hasActiveRenewal }, now) === undefined,
  );
  if (renewable.length === 0) {
    const named = all.find((c) => c.certificateId === row.certificateId);
    const why = named && renewalRefusal({ notAfter: named.notAfter, isRevoked: named.status === 'revoked', hasActiveRenewal: named.hasActiveRenewal }, now);
    return notAvailable(why ?? 'noCertificateInWindow');
  }
  return { ok: true, value: { subscriberId: row.subscriberId, certificates: renewable } };
}
