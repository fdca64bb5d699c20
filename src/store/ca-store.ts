import { and, eq, isNotNull, notExists, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { rowsOf } from './rows.js';
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

/** A signature the CA is about to make, as its bookkeeping records it first. */
export interface SigningIntent {
  serialNumber: string;
  /** What the serial is for: "application:<id>", "pickup:<id>", "demo", … */
  reservedFor: string;
  /** The key to be certified: its canonical SubjectPublicKeyInfo SHA-256 (weak-keys.ts spkiSha256Hex). */
  spkiSha256: string;
  tbsSha256: string;
  at: Date;
}

export type ReservationOutcome = 'reserved' | 'serialTaken' | 'keyCompromised';

/**
 * For each intent, in one committed statement: a key on record as compromised is refused,
 * else the serial is reserved for good and the coming signature audited (migration 0011
 * reserve_serials_for_signing). One outcome per intent, in order.
 */
export async function reserveSerialsForSigning(db: Db, intents: readonly SigningIntent[]): Promise<ReservationOutcome[]> {
  const batch = intents.map((intent) => ({ ...intent, at: intent.at.toISOString() }));
  const result = await db.execute(sql`select serial, outcome from reserve_serials_for_signing(${JSON.stringify(batch)}::jsonb)`);
  const rows = rowsOf<{ serial: string; outcome: ReservationOutcome }>(result);
  if (rows.length !== intents.length || rows.some((row, index) => row.serial !== intents[index]?.serialNumber.toLowerCase())) {
    throw new Error(`reserving serials: ${rows.length} outcomes for ${intents.length} intents`);
  }
  return rows.map((row) => row.outcome);
}

/** A certificate the CA signed under a serial it reserved. */
export interface SignedCertificateRecord {
  serialNumber: string;
  der: Uint8Array;
  certificateSha256: string;
  at: Date;
}

/**
 * The signed certificates kept with their serials and audited, committed in one statement
 * before they leave the CA (migration 0011 record_signed_certificates): a certificate that
 * is signed but never stored by its caller is still on record.
 */
export async function recordSignedCertificates(db: Db, records: readonly SignedCertificateRecord[]): Promise<void> {
  const batch = records.map((record) => ({
    serialNumber: record.serialNumber,
    derHex: Buffer.from(record.der.buffer, record.der.byteOffset, record.der.byteLength).toString('hex'),
    certificateSha256: record.certificateSha256,
    at: record.at.toISOString(),
  }));
  await db.execute(sql`select record_signed_certificates(${JSON.stringify(batch)}::jsonb)`);
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

export async function isKeyCompromised(db: Db | Tx, spkiSha256: string): Promise<boolean> {
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
