import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { caCertificates, certificateSerials } from './schema/tables.js';

/** Reserves a serial number for good, in its own committed statement; false when it was used already. */
export async function reserveSerialNumber(db: Db, serialNumber: string, reservedFor: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(certificateSerials)
    .values({ serialNumber: serialNumber.toLowerCase(), reservedFor, reservedAt: now })
    .onConflictDoNothing()
    .returning({ serialNumber: certificateSerials.serialNumber });
  return rows.length === 1;
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
