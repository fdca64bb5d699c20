import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { certificates, certificateSerials, compromisedKeys } from './schema/tables.js';

/** One line of the issuing CA's CRL. */
export interface RevokedCertificateRow {
  serialNumber: string;
  revokedAt: Date | null;
  revocationReason: string | null;
  notBefore: Date;
}

/** Every revoked certificate (S/MIME BR 4.10.1: an entry stays at least until the certificate expires; ours stay). */
export async function listRevokedCertificates(db: Db): Promise<RevokedCertificateRow[]> {
  return db
    .select({ serialNumber: certificates.serialNumber, revokedAt: certificates.revokedAt, revocationReason: certificates.revocationReason, notBefore: certificates.notBefore })
    .from(certificates)
    .where(eq(certificates.status, 'revoked'));
}

export async function countRevokedCertificates(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(certificates).where(eq(certificates.status, 'revoked'));
  return Number(row?.n ?? 0);
}

/** What OCSP says about one serial. */
export interface CertificateStatusRow {
  serialNumber: string;
  status: 'valid' | 'revoked';
  revokedAt: Date | null;
  revocationReason: string | null;
  notBefore: Date;
}

/** The stored certificates among `serialNumbers` (lower-case hex). */
export async function findCertificateStatuses(db: Db, serialNumbers: readonly string[]): Promise<CertificateStatusRow[]> {
  if (serialNumbers.length === 0) return [];
  return db
    .select({
      serialNumber: certificates.serialNumber,
      status: certificates.status,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
      notBefore: certificates.notBefore,
    })
    .from(certificates)
    .where(inArray(certificates.serialNumber, [...serialNumbers]));
}

/**
 * The serials among `serialNumbers` the CA has signed a certificate with, stored or not
 * (certificate_serials.signed_at): "assigned" in the sense of S/MIME BR 4.9.10.
 */
export async function findSignedSerialNumbers(db: Db, serialNumbers: readonly string[]): Promise<string[]> {
  if (serialNumbers.length === 0) return [];
  const rows = await db
    .select({ serialNumber: certificateSerials.serialNumber })
    .from(certificateSerials)
    .where(and(inArray(certificateSerials.serialNumber, [...serialNumbers]), isNotNull(certificateSerials.signedAt)));
  return rows.map((row) => row.serialNumber);
}

export interface RevocationTargetRow {
  id: string;
  serialNumber: string;
  status: 'valid' | 'revoked';
  revokedAt: Date | null;
  revocationReason: string | null;
  spkiSha256: string | null;
  der: Uint8Array;
}

/** The certificate, locked until the transaction ends, so two revocations of it run one after the other. */
export async function lockCertificateForRevocation(tx: Tx, certificateId: string): Promise<RevocationTargetRow | undefined> {
  const [row] = await tx.select(revocationTargetColumns).from(certificates).where(eq(certificates.id, certificateId)).for('update');
  return row;
}

const revocationTargetColumns = {
  id: certificates.id,
  serialNumber: certificates.serialNumber,
  status: certificates.status,
  revokedAt: certificates.revokedAt,
  revocationReason: certificates.revocationReason,
  spkiSha256: certificates.spkiSha256,
  der: certificates.der,
};

/**
 * Every certificate for one key, locked until the transaction ends, in serial order: two
 * revocations for keyCompromise of two certificates of the key lock in the same order,
 * so one waits for the other instead of both waiting forever.
 */
export async function lockCertificatesWithKey(tx: Tx, spkiSha256: string): Promise<{ id: string; serialNumber: string; status: 'valid' | 'revoked' }[]> {
  return tx
    .select({ id: certificates.id, serialNumber: certificates.serialNumber, status: certificates.status })
    .from(certificates)
    .where(eq(certificates.spkiSha256, spkiSha256))
    .orderBy(certificates.serialNumber)
    .for('update');
}

/**
 * Holds one key's history until the transaction ends: a revocation for keyCompromise and
 * a pickup storing a certificate for the key take it first, so the pickup either sees the
 * key recorded as compromised, or stores a certificate the revocation then finds.
 */
export async function lockKeyHistory(tx: Tx, spkiSha256: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`certdesk:key:${spkiSha256}`}, 0))`);
}

/** The certificate as a revocation reads it first, before it knows which rows to lock. */
export async function findCertificateForRevocation(tx: Tx, certificateId: string): Promise<RevocationTargetRow | undefined> {
  const [row] = await tx.select(revocationTargetColumns).from(certificates).where(eq(certificates.id, certificateId));
  return row;
}

/** A key the CA must never certify again (S/MIME BR 6.1.1.3); the first record of it stands. */
export async function recordCompromisedKey(tx: Db | Tx, key: { spkiSha256: string; reason: string; recordedAt: Date; source: string }): Promise<void> {
  await tx.insert(compromisedKeys).values(key).onConflictDoNothing();
}
