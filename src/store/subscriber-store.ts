import { eq } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { organisations, subscribers, type RegistrationJson } from './schema/tables.js';

export interface NewSubscriber {
  organisation: { nameJa: string; nameKana: string; nameEn: string };
  email: string;
  passwordHash: string;
  registration: RegistrationJson;
  vettedAt: Date | null;
  now: Date;
}

export async function insertSubscriber(db: Db | Tx, s: NewSubscriber): Promise<string> {
  const [org] = await db
    .insert(organisations)
    .values({ ...s.organisation, createdAt: s.now })
    .returning({ id: organisations.id });
  if (org === undefined) throw new Error('organisation insert returned no row');
  const [row] = await db
    .insert(subscribers)
    .values({
      organisationId: org.id,
      email: s.email,
      passwordHash: s.passwordHash,
      registration: s.registration,
      vettedAt: s.vettedAt,
      createdAt: s.now,
      updatedAt: s.now,
    })
    .returning({ id: subscribers.id });
  if (row === undefined) throw new Error('subscriber insert returned no row');
  return row.id;
}

/** A renewal's approval: the subscriber's registration becomes the renewal's, and the vetting date moves when it was redone. */
export async function updateSubscriberRegistration(db: Db | Tx, id: string, change: { email: string; passwordHash: string; registration: RegistrationJson; vettedAt?: Date }, now: Date): Promise<void> {
  await db
    .update(subscribers)
    .set({ email: change.email, passwordHash: change.passwordHash, registration: change.registration, ...(change.vettedAt === undefined ? {} : { vettedAt: change.vettedAt }), updatedAt: now })
    .where(eq(subscribers.id, id));
}
