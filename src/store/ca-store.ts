import { and, eq, isNotNull, notExists } from 'drizzle-orm';
import type { Db } from './db.js';
import { caCertificates, certificates, certificateSerials, compromisedKeys } from './schema/tables.js';

/** Reserves a serial number for good, in its own committed statement; false when it was used already. */
export async function reserveSerialNumber(db: Db, serialNumber: string, reservedFor: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(certificateSerials)
    .values({ serialNumber: serialNumber.toLowerCase(), reservedFor, reservedAt: now })
    .onConflictDoNothing()
    .returning({ serialNumber: certificateSerials.serialNumber });
  return rows.length === 1;
}

/** The certificate signed under a reserved serial, committed before it leaves the CA. */
export async function recordSignedSerial(db: Db, serialNumber: string, der: Uint8Array, at: Date): Promise<void> {
  await db.update(certificateSerials).set({ der, signedAt: at }).where(eq(certificateSerials.serialNumber, serialNumber.toLowerCase()));
}

export interface SignedSerialRow {
  serialNumber: string;
  signedAt: Date;
  der: Uint8Array;
}

/** Certificates signed for `reservedFor` that no certificate row holds: a pickup that died after the signature. */
export async function findUnstoredSignedSerials(db: Db, reservedFor: string): Promise<SignedSerialRow[]> {
  const rows = await db
    .select({ serialNumber: certificateSerials.serialNumber, signedAt: certificateSerials.signedAt, der: certificateSerials.der })
    .from(certificateSerials)
    .where(
      and(
        eq(certificateSerials.reservedFor, reservedFor),
        isNotNull(certificateSerials.der),
        notExists(db.select({ one: certificates.id }).from(certificates).where(eq(certificates.serialNumber, certificateSerials.serialNumber))),
      ),
    )
    .orderBy(certificateSerials.signedAt);
  return rows.flatMap((r) => (r.der === null || r.signedAt === null ? [] : [{ serialNumber: r.serialNumber, signedAt: r.signedAt, der: r.der }]));
}

export async function isKeyCompromised(db: Db, spkiSha256: string): Promise<boolean> {
  const [row] = await db.select({ spkiSha256: compromisedKeys.spkiSha256 }).from(compromisedKeys).where(eq(compromisedKeys.spkiSha256, spkiSha256));
  return row !== undefined;
}

export async function isSerialNumberReserved(db: Db, serialNumber: string): Promise<boolean> {
  const [row] = await db.select({ serialNumber: certificateSerials.serialNumber }).from(certificateSerials).where(eq(certificateSerials.serialNumber, serialNumber.toLowerCase()));
  return row !== undefined;
}

export interface CaCertificateRow {
  role: 'root' | 'issuing';
  sha256: string;
  subject: string;
  der: Uint8Array;
}

/**
 * The CA the database belongs to: recorded by the first process (a concurrent first
 * process inserts nothing), then read back, so every process compares with the same rows.
 */
export async function recordCaCertificates(db: Db, rows: readonly CaCertificateRow[], now: Date): Promise<CaCertificateRow[]> {
  await db
    .insert(caCertificates)
    .values(rows.map((row) => ({ ...row, registeredAt: now })))
    .onConflictDoNothing();
  return db.select({ role: caCertificates.role, sha256: caCertificates.sha256, subject: caCertificates.subject, der: caCertificates.der }).from(caCertificates);
}
