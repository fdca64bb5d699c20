import { certificateFields } from '../ca/certificate-fields.js';
import { spkiSha256Hex } from '../ca/weak-keys.js';
import { fail, ok, type Result } from '../domain/result.js';
import { isSubscriberRevocationReason, type SubscriberRevocationReason } from '../domain/revocation-reason.js';
import { appendAuditEntries, type AuditEntry } from '../store/audit-store.js';
import { revokeCertificate as markCertificateRevoked } from '../store/certificate-store.js';
import type { Tx } from '../store/db.js';
import {
  findCertificateForRevocation,
  lockCertificateForRevocation,
  lockCertificatesWithKey,
  lockKeyHistory,
  recordCompromisedKey,
  type RevocationTargetRow,
} from '../store/revocation-store.js';
import type { CaDeps } from './ca-signing.js';
import { publishIssuingCrl } from './publish-crl.js';

export interface RevokeCertificateInput {
  readonly certificateId: string;
  /** An RFC 5280 CRLReason name; only subscriberRevocationReasons are accepted. */
  readonly reason: string;
  /** Who asks, as the audit log names actors: `operator:<id>`, `subscriber:<id>`, `cli`. */
  readonly actor: string;
  /** When the certificate counts as revoked (the CRL's revocationDate); not after now. */
  readonly at: Date;
  /** What the operator wrote down (kept in the audit entry only). */
  readonly note?: string;
}

export interface RevokedCertificate {
  readonly certificateId: string;
  readonly serialNumber: string;
  readonly revokedAt: Date;
  readonly reason: SubscriberRevocationReason;
  /** The CRL that lists it; undefined when its publication failed (the CRL job publishes it within a minute). */
  readonly crlNumber: number | undefined;
  /** For keyCompromise: the serials of the other certificates for the same key, revoked with it. */
  readonly sameKeyRevoked: readonly string[];
}

export type RevokeCertificateCode =
  | 'revocation.certificateNotFound'
  | 'revocation.alreadyRevoked'
  | 'revocation.reasonNotAllowed'
  | 'revocation.timeInFuture';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The certificate to revoke, locked until the transaction ends, and whether it is revoked
 * already. Any reason but keyCompromise locks the one certificate. keyCompromise takes
 * every certificate for the key down (S/MIME BR 4.9.1.1 (3)): the key's lock first (the
 * pickup's storing transaction takes it too), then its certificates in serial order, so two
 * such revocations for one key wait for each other rather than deadlock.
 */
async function lockForRevocation(
  tx: Tx,
  certificateId: string,
  reason: SubscriberRevocationReason,
): Promise<{ target: RevocationTargetRow; spkiSha256: string; isRevoked: boolean; sameKey: { id: string; serialNumber: string }[] } | undefined> {
  const target = reason === 'keyCompromise' ? await findCertificateForRevocation(tx, certificateId) : await lockCertificateForRevocation(tx, certificateId);
  if (target === undefined) return undefined;
  // Rows from before migration 0009 have no spki_sha256: the same hash, from the certificate.
  const spkiSha256 = target.spkiSha256 ?? spkiSha256Hex(certificateFields(target.der).subjectPublicKeyInfo);
  if (reason !== 'keyCompromise') return { target, spkiSha256, isRevoked: target.status === 'revoked', sameKey: [] };
  await lockKeyHistory(tx, spkiSha256);
  const rows = await lockCertificatesWithKey(tx, spkiSha256);
  // Its status now that it is locked; a row without spki_sha256 is locked on its own.
  const lockedTarget = rows.find((row) => row.id === target.id) ?? (await lockCertificateForRevocation(tx, target.id));
  return { target, spkiSha256, isRevoked: lockedTarget?.status === 'revoked', sameKey: rows.filter((row) => row.id !== target.id && row.status === 'valid') };
}

/**
 * Revokes a subscriber certificate (SPEC 2, S/MIME BR 4.9). One transaction marks it
 * revoked, records its key as compromised when that is the reason (S/MIME BR 6.1.1.3: it
 * is never certified again; S/MIME BR 4.9.1.1 (3): every valid certificate for the key is
 * revoked with it, each audited) and appends the audit entry; then the issuing CRL is
 * published at once. OCSP reads the status from the database, so its next answer says
 * revoked too: the revocation is public within seconds (S/MIME BR 4.9.1.1: 24 hours).
 */
export async function revokeCertificate(deps: CaDeps, input: RevokeCertificateInput): Promise<Result<RevokedCertificate, RevokeCertificateCode>> {
  // Step 1: what may be asked.
  if (!isSubscriberRevocationReason(input.reason)) return fail('revocation.reasonNotAllowed');
  const reason = input.reason;
  const now = deps.clock.now();
  if (input.at.getTime() > now.getTime()) return fail('revocation.timeInFuture');
  if (!uuidPattern.test(input.certificateId)) return fail('revocation.certificateNotFound');
  const revokedAt = new Date(Math.floor(input.at.getTime() / 1000) * 1000);

  // Step 2: one transaction for the state change, the key history and the audit entry.
  const outcome = await deps.db.transaction(async (tx): Promise<Result<{ serialNumber: string; sameKeyRevoked: string[] }, RevokeCertificateCode>> => {
    const locked = await lockForRevocation(tx, input.certificateId, reason);
    if (locked === undefined) return fail('revocation.certificateNotFound');
    const { target, spkiSha256, sameKey } = locked;
    if (locked.isRevoked) return fail('revocation.alreadyRevoked');
    await markCertificateRevoked(tx, target.id, revokedAt, reason);
    for (const other of sameKey) await markCertificateRevoked(tx, other.id, revokedAt, reason);
    if (reason === 'keyCompromise') {
      await recordCompromisedKey(tx, { spkiSha256, reason: 'keyCompromise', recordedAt: now, source: `revocation:${target.id}` });
    }
    const sameKeyRevoked = sameKey.map((other) => other.serialNumber);
    const revokedEntry = (id: string, after: Record<string, unknown>): AuditEntry => ({
      at: now,
      actor: input.actor,
      action: 'certificate.revoked',
      subjectType: 'certificate',
      subjectId: id,
      before: { status: 'valid' },
      after: { status: 'revoked', revokedAt: revokedAt.toISOString(), reason, ...after },
    });
    await appendAuditEntries(tx, [
      revokedEntry(target.id, {
        serialNumber: target.serialNumber,
        ...(reason === 'keyCompromise' ? { compromisedKey: spkiSha256, sameKeyRevoked } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      }),
      ...sameKey.map((other) => revokedEntry(other.id, { serialNumber: other.serialNumber, compromisedKey: spkiSha256, revokedWith: target.id })),
    ]);
    return ok({ serialNumber: target.serialNumber, sameKeyRevoked });
  });
  if (!outcome.ok) return outcome;

  // Step 3: a CRL that lists it, after the commit (publish-crl.ts explains why that order).
  let crlNumber: number | undefined;
  try {
    crlNumber = (await publishIssuingCrl(deps)).crlNumber;
  } catch (error) {
    // The revocation stands; the CRL job sees a CRL that lists too few and publishes again.
    deps.log.error({ err: error, event: 'crl.publishFailed', certificateId: input.certificateId }, 'revoked, but the CRL could not be published yet');
  }
  const { serialNumber, sameKeyRevoked } = outcome.value;
  deps.log.info({ event: 'certificate.revoked', certificateId: input.certificateId, serialNumber, reason, crlNumber, sameKeyRevoked }, 'certificate revoked');
  return ok({ certificateId: input.certificateId, serialNumber, revokedAt, reason, crlNumber, sameKeyRevoked });
}
