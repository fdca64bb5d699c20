import { certificateFields } from '../ca/certificate-fields.js';
import { spkiSha256Hex } from '../ca/weak-keys.js';
import { and, asc, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { rowsOf } from './rows.js';
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

/** Stores a certificate, named also by its key's SHA-256 so every certificate of a key is found (BR 6.1.1.3). */
export async function insertCertificate(db: Db | Tx, cert: NewCertificate): Promise<string> {
  const [row] = await db
    .insert(certificates)
    .values({ ...cert, spkiSha256: spkiSha256Hex(certificateFields(cert.der).subjectPublicKeyInfo), status: 'valid' })
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

export interface CertificateListRow {
  id: string;
  serialNumber: string;
  email: string;
  nameJa: string;
  notBefore: Date;
  notAfter: Date;
  status: 'valid' | 'revoked';
}

const listColumns = {
  id: certificates.id,
  serialNumber: certificates.serialNumber,
  email: certificates.email,
  nameJa: sql<string>`concat_ws(' ', ${subscribers.registration}->>'lastNameJa', ${subscribers.registration}->>'firstNameJa')`,
  notBefore: certificates.notBefore,
  notAfter: certificates.notAfter,
  status: certificates.status,
};

/**
 * Certificates by email (contains), name (Japanese, kana or English, contains), serial
 * number (prefix, hex) or certificate code (exact, by its hash), newest first.
 */
export async function searchCertificates(db: Db, query: { text: string; codeHash: string | undefined }, limit: number): Promise<CertificateListRow[]> {
  const like = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const serial = query.text.toLowerCase().replace(/[^0-9a-f]/g, '');
  const reg = subscribers.registration;
  return db
    .select(listColumns)
    .from(certificates)
    .innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId))
    .where(
      or(
        ilike(certificates.email, like),
        sql`(${reg}->>'lastNameJa') || (${reg}->>'firstNameJa') ilike ${like.replace(/\s+/g, '')}`,
        sql`(${reg}->>'lastNameKana') || (${reg}->>'firstNameKana') ilike ${like.replace(/\s+/g, '')}`,
        sql`concat_ws(' ', ${reg}->>'firstNameEn', ${reg}->>'lastNameEn') ilike ${like}`,
        sql`concat_ws(' ', ${reg}->>'lastNameEn', ${reg}->>'firstNameEn') ilike ${like}`,
        serial.length >= 6 ? sql`${certificates.serialNumber} like ${`${serial}%`}` : undefined,
        query.codeHash === undefined ? undefined : eq(certificates.certificateCodeHash, query.codeHash),
      ),
    )
    .orderBy(desc(certificates.notBefore))
    .limit(limit);
}

export interface CertificateDetail extends CertificateListRow {
  subjectDn: string;
  subscriberId: string;
  applicationId: string | null;
  renewsCertificateId: string | null;
  revokedAt: Date | null;
  revocationReason: string | null;
}

export async function findCertificateDetail(db: Db, id: string): Promise<CertificateDetail | undefined> {
  const [row] = await db
    .select({
      ...listColumns,
      subjectDn: certificates.subjectDn,
      subscriberId: certificates.subscriberId,
      applicationId: certificates.applicationId,
      renewsCertificateId: certificates.renewsCertificateId,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
    })
    .from(certificates)
    .innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId))
    .where(eq(certificates.id, id));
  return row;
}

/** The whole line of renewals a certificate belongs to, oldest first (walked both ways, bounded). */
export async function listRenewalChain(db: Db, id: string): Promise<CertificateListRow[]> {
  const result = await db.execute(sql`
    with recursive back(id, renews, depth) as (
      select id, renews_certificate_id, 0 from certificates where id = ${id}
      union all
      select c.id, c.renews_certificate_id, b.depth + 1 from certificates c join back b on c.id = b.renews where b.depth < 50
    ),
    root as (select id from back order by depth desc limit 1),
    forward(id, depth) as (
      select id, 0 from root
      union all
      select c.id, f.depth + 1 from certificates c join forward f on c.renews_certificate_id = f.id where f.depth < 50
    )
    select id from forward order by depth`);
  const ids = rowsOf<{ id: string }>(result).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await db.select(listColumns).from(certificates).innerJoin(subscribers, eq(subscribers.id, certificates.subscriberId)).where(inArray(certificates.id, ids));
  return ids.map((chainId) => rows.find((r) => r.id === chainId)).filter((r): r is CertificateListRow => r !== undefined);
}
