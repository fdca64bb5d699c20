import { inArray } from 'drizzle-orm';
import type { Db } from './db.js';
import { ocspResponders } from './schema/tables.js';

export interface OcspResponderRow {
  serialNumber: string;
  der: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  createdAt: Date;
}

/** Keeps the certificate of a responder a process made (its key stays in that process). */
export async function recordOcspResponder(db: Db, row: OcspResponderRow): Promise<void> {
  await db.insert(ocspResponders).values(row);
}

/** The serials among `serialNumbers` that name a responder certificate of ours. */
export async function findOcspResponderSerialNumbers(db: Db, serialNumbers: readonly string[]): Promise<string[]> {
  if (serialNumbers.length === 0) return [];
  const rows = await db.select({ serialNumber: ocspResponders.serialNumber }).from(ocspResponders).where(inArray(ocspResponders.serialNumber, [...serialNumbers]));
  return rows.map((row) => row.serialNumber);
}
