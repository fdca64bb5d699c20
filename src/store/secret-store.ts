import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { appSecrets } from './schema/tables.js';

/**
 * The named secret every app process shares, created by the first one that asks: the
 * insert does nothing when a concurrent process got there first, and both read the same
 * row back. One write per database lifetime, at start-up, never per request.
 */
export async function loadOrCreateSecret(db: Db, name: string, now: Date): Promise<Buffer> {
  await db.insert(appSecrets).values({ name, value: randomBytes(32), createdAt: now }).onConflictDoNothing();
  const [row] = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name));
  if (row === undefined) throw new Error(`secret ${name} missing right after it was created`);
  return Buffer.from(row.value);
}
