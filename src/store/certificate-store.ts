import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { renewalBlockingStates } from '../domain/application-state.js';
import type { Db, Tx } from './db.js';
import { applications, certificates, organisations, subscribers, type RegistrationJson } from './schema/tables.js';

export interface NewCertificate {
  subscriberId: string;
  applicationId: string | null;
  renewsCertificateId: string | null;
  serialNumber: string;
  subjectDn: string;
  email: string;
  notBefore: Date;
  notAfter: Date;
  certificateCodeHash: string;
  der: Uint8Array;
  createdAt: Date;
}

export async function insertCertificate(db: Db | Tx, cert: NewCertificate): Promise<string> {
  const [row] = await db
    .insert(certificates)
    .values({ ...cert, status: 'valid' })
    .returning({ id: certificates.id });
  if (row === undefined) throw new Error('certificate insert returned no row');
  return row.id;
}

export async function revokeCertificate(db: Db | Tx, id: string, at: Date, reason: string): Promise<void> {
  await db
    .update(certificates)
    .set({ status: 'revoked', revokedAt: at, revocationReason: reason })
    .where(eq(certificates.id, id));
}

/** What a renewal lookup needs to decide, for the certificate a code names. */
export interface RenewalLookupRow {
  certificateId: string;
  subscriberId: string;
  email: string;
  passwordHash: string;
}

export async function findCertificateByCodeHash(db: Db, codeHash: string): Promise<RenewalLookupRow | undefined> {
  const [row] = await db
    .select({
      certificateId: certificates.id,
      subscriberId: certificates.subscriberId,
      email: subscribers.email,
      passwordHash: subscribers.passwordHash,
    })
    .from(certificates)
    .innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId))
    .where(eq(certificates.certificateCodeHash, codeHash));
  return row;
}

export interface RenewalCandidateRow {
  certificateId: string;
  subscriberId: string;
  serialNumber: string;
  subjectDn: string;
  email: string;
  notBefore: Date;
  notAfter: Date;
  status: 'valid' | 'revoked';
  hasActiveRenewal: boolean;
  nameJa: string;
  orgNameJa: string;
}

const activeRenewal = sql<boolean>`exists (
  select 1 from ${applications}
  where ${applications.renewsCertificateId} = ${certificates.id}
    and ${inArray(applications.state, [...renewalBlockingStates])})`;

const candidateColumns = {
  certificateId: certificates.id,
  subscriberId: certificates.subscriberId,
  serialNumber: certificates.serialNumber,
  subjectDn: certificates.subjectDn,
  email: certificates.email,
  notBefore: certificates.notBefore,
  notAfter: certificates.notAfter,
  status: certificates.status,
  hasActiveRenewal: activeRenewal,
  nameJa: sql<string>`(${subscribers.registration}->>'lastNameJa') || ' ' || (${subscribers.registration}->>'firstNameJa')`,
  orgNameJa: organisations.nameJa,
};

export async function listCertificatesOfSubscriber(db: Db, subscriberId: string): Promise<RenewalCandidateRow[]> {
  return db
    .select(candidateColumns)
    .from(certificates)
    .innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId))
    .innerJoin(organisations, eq(organisations.id, subscribers.organisationId))
    .where(eq(certificates.subscriberId, subscriberId))
    .orderBy(asc(certificates.notAfter));
}

export async function findCandidates(db: Db | Tx, ids: readonly string[]): Promise<RenewalCandidateRow[]> {
  if (ids.length === 0) return [];
  return db
    .select(candidateColumns)
    .from(certificates)
    .innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId))
    .innerJoin(organisations, eq(organisations.id, subscribers.organisationId))
    .where(inArray(certificates.id, [...ids]));
}

/** The certificate row locked for the rest of the transaction (renewal submission). */
export async function lockCertificateForRenewal(
  tx: Tx,
  certificateId: string,
  subscriberId: string,
): Promise<{ id: string } | undefined> {
  const [row] = await tx
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.id, certificateId), eq(certificates.subscriberId, subscriberId)))
    .for('update');
  return row;
}

export interface SubscriberRegistration {
  subscriberId: string;
  organisationId: string;
  email: string;
  passwordHash: string;
  registration: RegistrationJson;
}

export async function findSubscriberRegistration(db: Db | Tx, subscriberId: string): Promise<SubscriberRegistration | undefined> {
  const [row] = await db
    .select({
      subscriberId: subscribers.id,
      organisationId: subscribers.organisationId,
      email: subscribers.email,
      passwordHash: subscribers.passwordHash,
      registration: subscribers.registration,
    })
    .from(subscribers)
    .where(eq(subscribers.id, subscriberId));
  return row;
}

export async function countCertificates(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(certificates);
  return Number(row?.n ?? 0);
}
