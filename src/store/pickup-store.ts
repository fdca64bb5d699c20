import { and, desc, eq, gte, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { certificates, mailboxChallenges, pickupCredentials } from './schema/tables.js';

export interface MailboxChallengeRow {
  id: string;
  applicationId: string;
  email: string;
  method: 'certificateCode' | 'oneTimeValue';
  valueHash: string | null;
  sentAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  verifiedAt: Date | null;
}

const challengeColumns = {
  id: mailboxChallenges.id,
  applicationId: mailboxChallenges.applicationId,
  email: mailboxChallenges.email,
  method: mailboxChallenges.method,
  valueHash: mailboxChallenges.valueHash,
  sentAt: mailboxChallenges.sentAt,
  expiresAt: mailboxChallenges.expiresAt,
  failedAttempts: mailboxChallenges.failedAttempts,
  verifiedAt: mailboxChallenges.verifiedAt,
};

export async function insertMailboxChallenge(db: Db | Tx, row: Omit<MailboxChallengeRow, 'id' | 'failedAttempts'>): Promise<string> {
  const [inserted] = await db.insert(mailboxChallenges).values(row).returning({ id: mailboxChallenges.id });
  if (inserted === undefined) throw new Error('mailbox challenge insert returned no row');
  return inserted.id;
}

/** The newest verification of this application's address, however old. */
export async function findLatestMailboxVerification(db: Db | Tx, applicationId: string, email: string): Promise<MailboxChallengeRow | undefined> {
  const [row] = await db
    .select(challengeColumns)
    .from(mailboxChallenges)
    .where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.email, email), isNotNull(mailboxChallenges.verifiedAt)))
    .orderBy(desc(mailboxChallenges.verifiedAt))
    .limit(1);
  return row;
}

/** The newest one-time value mailed and not yet answered: the one the form asks for. */
export async function findOpenMailboxValue(db: Db | Tx, applicationId: string): Promise<MailboxChallengeRow | undefined> {
  const [row] = await db
    .select(challengeColumns)
    .from(mailboxChallenges)
    .where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.method, 'oneTimeValue'), isNull(mailboxChallenges.verifiedAt)))
    .orderBy(desc(mailboxChallenges.seq))
    .limit(1);
  return row;
}

export async function lockMailboxChallenge(tx: Tx, id: string): Promise<MailboxChallengeRow | undefined> {
  const [row] = await tx.select(challengeColumns).from(mailboxChallenges).where(eq(mailboxChallenges.id, id)).for('update');
  return row;
}

/** When the one-time values since `since` were mailed, newest first. */
export async function listMailboxValueTimesSince(db: Db | Tx, applicationId: string, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ sentAt: mailboxChallenges.sentAt })
    .from(mailboxChallenges)
    .where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.method, 'oneTimeValue'), gte(mailboxChallenges.sentAt, since)))
    .orderBy(desc(mailboxChallenges.seq));
  return rows.map((r) => r.sentAt);
}

export async function countMailboxFailure(tx: Tx, id: string): Promise<void> {
  await tx.update(mailboxChallenges).set({ failedAttempts: sql`${mailboxChallenges.failedAttempts} + 1` }).where(eq(mailboxChallenges.id, id));
}

export async function markMailboxVerified(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(mailboxChallenges).set({ verifiedAt: at }).where(eq(mailboxChallenges.id, id));
}

/**
 * Claims the credential for one signature: only an unused one that no other pickup holds,
 * or whose holder vanished (a crash mid-signature) before `staleBefore`.
 */
export async function claimPickupForIssuing(tx: Tx, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const rows = await tx
    .update(pickupCredentials)
    .set({ issuingSince: now })
    .where(and(eq(pickupCredentials.id, id), isNull(pickupCredentials.usedAt), or(isNull(pickupCredentials.issuingSince), lt(pickupCredentials.issuingSince, staleBefore))))
    .returning({ id: pickupCredentials.id });
  return rows.length === 1;
}

/** Whether the claim made at `since` is still this pickup's (not used, not taken over). */
export async function isPickupClaimHeld(db: Db | Tx, id: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: pickupCredentials.id })
    .from(pickupCredentials)
    .where(and(eq(pickupCredentials.id, id), isNull(pickupCredentials.usedAt), eq(pickupCredentials.issuingSince, since)));
  return row !== undefined;
}

/** Lets go of a claim this pickup holds (the CA refused, or signing failed). */
export async function releasePickupClaim(db: Db | Tx, id: string, since: Date): Promise<void> {
  await db.update(pickupCredentials).set({ issuingSince: null }).where(and(eq(pickupCredentials.id, id), eq(pickupCredentials.issuingSince, since)));
}

/** Used up by the issuance that holds the claim made at `since`; false when the claim was lost. */
export async function markPickupIssued(tx: Tx, id: string, since: Date, at: Date): Promise<boolean> {
  const rows = await tx
    .update(pickupCredentials)
    .set({ usedAt: at })
    .where(and(eq(pickupCredentials.id, id), isNull(pickupCredentials.usedAt), eq(pickupCredentials.issuingSince, since)))
    .returning({ id: pickupCredentials.id });
  return rows.length === 1;
}

export interface IssuedCertificateRow {
  id: string;
  serialNumber: string;
  email: string;
  notBefore: Date;
  notAfter: Date;
  status: 'valid' | 'revoked';
  der: Uint8Array;
  spkiSha256: string | null;
}

const issuedColumns = {
  id: certificates.id,
  serialNumber: certificates.serialNumber,
  email: certificates.email,
  notBefore: certificates.notBefore,
  notAfter: certificates.notAfter,
  status: certificates.status,
  der: certificates.der,
  spkiSha256: certificates.spkiSha256,
};

export async function findCertificateOfApplication(db: Db | Tx, applicationId: string): Promise<IssuedCertificateRow | undefined> {
  const [row] = await db.select(issuedColumns).from(certificates).where(eq(certificates.applicationId, applicationId));
  return row;
}

export async function findIssuedCertificate(db: Db | Tx, id: string): Promise<IssuedCertificateRow | undefined> {
  const [row] = await db.select(issuedColumns).from(certificates).where(eq(certificates.id, id));
  return row;
}
