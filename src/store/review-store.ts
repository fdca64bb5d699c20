import { and, asc, desc, eq, gt, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { ApplicationKind, ApplicationState } from '../domain/application-state.js';
import type { Db, Tx } from './db.js';
import { applications, coupons, operators, pickupCredentials, reviewDecisions, subscribers, type RegistrationJson } from './schema/tables.js';

/** The states as the console counts them, with the hour applied (a due provisional application is final). */
export type QueueState = 'provisional' | 'waiting' | 'underReview' | 'approved' | 'rejected' | 'issued' | 'cancelled';

export interface QueueRow {
  id: string;
  acceptanceNumber: string;
  kind: ApplicationKind;
  nameJa: string;
  orgNameJa: string;
  email: string;
  finalAt: Date;
  partner: string;
  claimedByEmail: string | null;
  claimExpiresAt: Date | null;
  approvals: number;
}

export interface QueueFilter {
  kind?: ApplicationKind | undefined;
  /** Final at least this long ago. */
  olderThan?: Date | undefined;
  partner?: string | undefined;
}

export type QueueSort = 'finalAt' | 'kind' | 'name' | 'partner' | 'acceptanceNumber';

/** Final applications, as of `now` (the job need not have run), for review. */
const isEffectivelyFinal = (now: Date) => or(eq(applications.state, 'final'), and(eq(applications.state, 'provisional'), lte(applications.finalAt, now)));

// Spelt out: in a one-table select drizzle leaves columns unqualified, and "id" would be the decision's.
const approvalsOf = sql<number>`(select count(*)::int from review_decisions d where d.application_id = applications.id and d.decision = 'approve')`;

export async function listReviewQueue(db: Db, now: Date, filter: QueueFilter, sort: QueueSort, direction: 'asc' | 'desc', limit: number): Promise<QueueRow[]> {
  const conditions: (SQL | undefined)[] = [isEffectivelyFinal(now)];
  if (filter.kind !== undefined) conditions.push(eq(applications.kind, filter.kind));
  if (filter.olderThan !== undefined) conditions.push(lte(applications.finalAt, filter.olderThan));
  if (filter.partner !== undefined) conditions.push(eq(coupons.partner, filter.partner));
  const by = { finalAt: applications.finalAt, kind: applications.kind, name: sql`${applications.registration}->>'lastNameKana'`, partner: coupons.partner, acceptanceNumber: applications.acceptanceNumber }[sort];
  return db
    .select({
      id: applications.id,
      acceptanceNumber: applications.acceptanceNumber,
      kind: applications.kind,
      nameJa: sql<string>`concat_ws(' ', ${applications.registration}->>'lastNameJa', ${applications.registration}->>'firstNameJa')`,
      orgNameJa: sql<string>`coalesce(${applications.registration}->>'orgNameJa', '')`,
      email: applications.email,
      finalAt: applications.finalAt,
      partner: coupons.partner,
      claimedByEmail: sql<string | null>`case when ${applications.claimExpiresAt} > ${now} then ${operators.email} end`,
      claimExpiresAt: applications.claimExpiresAt,
      approvals: approvalsOf,
    })
    .from(applications)
    .innerJoin(coupons, eq(coupons.id, applications.couponId))
    .leftJoin(operators, eq(operators.id, applications.claimedBy))
    .where(and(...conditions))
    .orderBy(direction === 'asc' ? asc(by) : desc(by), asc(applications.finalAt))
    .limit(limit);
}

/** How many applications stand in each state now, and the oldest one waiting. */
export async function countApplicationsByState(db: Db, now: Date): Promise<{ counts: Record<QueueState, number>; oldestWaitingFinalAt: Date | null }> {
  const result = await db
    .select({
      state: sql<QueueState>`case
        when ${applications.state} = 'provisional' and ${applications.finalAt} > ${now} then 'provisional'
        when ${applications.state} in ('provisional', 'final') and (${applications.claimExpiresAt} > ${now} or ${approvalsOf} > 0) then 'underReview'
        when ${applications.state} in ('provisional', 'final') then 'waiting'
        else ${applications.state} end`,
      n: sql<number>`count(*)::int`,
      oldest: sql<Date | null>`min(case when ${applications.state} in ('provisional', 'final') and ${applications.finalAt} <= ${now} then ${applications.finalAt} end)`,
    })
    .from(applications)
    .groupBy(sql`1`);
  const counts: Record<QueueState, number> = { provisional: 0, waiting: 0, underReview: 0, approved: 0, rejected: 0, issued: 0, cancelled: 0 };
  let oldest: Date | null = null;
  for (const row of result) {
    counts[row.state] = Number(row.n);
    const candidate = row.oldest === null ? null : new Date(row.oldest);
    if (candidate !== null && (oldest === null || candidate < oldest)) oldest = candidate;
  }
  return { counts, oldestWaitingFinalAt: oldest };
}

/** The reseller partners that appear in the queue, for its filter. */
export async function listQueuePartners(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ partner: coupons.partner }).from(coupons).innerJoin(applications, eq(applications.couponId, coupons.id)).orderBy(asc(coupons.partner));
  return rows.map((r) => r.partner);
}

export interface ReviewedApplication {
  id: string;
  kind: ApplicationKind;
  state: ApplicationState;
  acceptanceNumber: string;
  email: string;
  lang: 'ja' | 'en';
  registration: RegistrationJson;
  passwordHash: string;
  provisionalAt: Date;
  finalAt: Date;
  decidedAt: Date | null;
  subscriberId: string | null;
  renewsCertificateId: string | null;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  rejectionReason: string | null;
  rejectionNote: string | null;
  couponId: string;
  couponNumber: string;
  partner: string;
}

const reviewedColumns = {
  id: applications.id,
  kind: applications.kind,
  state: applications.state,
  acceptanceNumber: applications.acceptanceNumber,
  email: applications.email,
  lang: applications.lang,
  registration: applications.registration,
  passwordHash: applications.passwordHash,
  provisionalAt: applications.provisionalAt,
  finalAt: applications.finalAt,
  decidedAt: applications.decidedAt,
  subscriberId: applications.subscriberId,
  renewsCertificateId: applications.renewsCertificateId,
  claimedBy: applications.claimedBy,
  claimExpiresAt: applications.claimExpiresAt,
  rejectionReason: applications.rejectionReason,
  rejectionNote: applications.rejectionNote,
  couponId: applications.couponId,
  couponNumber: coupons.number,
  partner: coupons.partner,
};

export async function findReviewedApplication(db: Db | Tx, id: string): Promise<ReviewedApplication | undefined> {
  const [row] = await db.select(reviewedColumns).from(applications).innerJoin(coupons, eq(coupons.id, applications.couponId)).where(eq(applications.id, id));
  return row;
}

/** The application held for the rest of the review transaction: claims and decisions queue here. */
export async function lockReviewedApplication(tx: Tx, id: string): Promise<ReviewedApplication | undefined> {
  const [row] = await tx
    .select(reviewedColumns)
    .from(applications)
    .innerJoin(coupons, eq(coupons.id, applications.couponId))
    .where(eq(applications.id, id))
    .for('update', { of: applications });
  return row;
}

export async function setClaim(tx: Tx, id: string, operatorId: string | null, expiresAt: Date | null): Promise<void> {
  await tx.update(applications).set({ claimedBy: operatorId, claimExpiresAt: expiresAt }).where(eq(applications.id, id));
}

export interface DecisionRow {
  operatorId: string;
  operatorEmail: string;
  decision: 'approve' | 'reject';
  reasonCode: string | null;
  note: string | null;
  isVettingRedone: boolean;
  at: Date;
}

export async function listDecisions(db: Db | Tx, applicationId: string): Promise<DecisionRow[]> {
  return db
    .select({
      operatorId: reviewDecisions.operatorId,
      operatorEmail: operators.email,
      decision: reviewDecisions.decision,
      reasonCode: reviewDecisions.reasonCode,
      note: reviewDecisions.note,
      isVettingRedone: reviewDecisions.isVettingRedone,
      at: reviewDecisions.at,
    })
    .from(reviewDecisions)
    .innerJoin(operators, eq(operators.id, reviewDecisions.operatorId))
    .where(eq(reviewDecisions.applicationId, applicationId))
    .orderBy(asc(reviewDecisions.at), asc(reviewDecisions.id));
}

export async function insertDecision(
  tx: Tx,
  d: { applicationId: string; operatorId: string; decision: 'approve' | 'reject'; reasonCode?: string | undefined; note?: string | undefined; isVettingRedone: boolean; at: Date },
): Promise<void> {
  await tx.insert(reviewDecisions).values({ ...d, reasonCode: d.reasonCode ?? null, note: d.note ?? null });
}

/** The decision that ends the review, conditional on the state it was decided in: of two racing, one changes it. */
export async function markDecided(
  tx: Tx,
  id: string,
  change: { state: 'approved' | 'rejected'; at: Date; subscriberId?: string; rejectionReason?: string; rejectionNote?: string | null },
): Promise<boolean> {
  const rows = await tx
    .update(applications)
    .set({
      state: change.state,
      decidedAt: change.at,
      claimedBy: null,
      claimExpiresAt: null,
      ...(change.subscriberId === undefined ? {} : { subscriberId: change.subscriberId }),
      ...(change.rejectionReason === undefined ? {} : { rejectionReason: change.rejectionReason, rejectionNote: change.rejectionNote ?? null }),
    })
    .where(and(eq(applications.id, id), eq(applications.state, 'final')))
    .returning({ id: applications.id });
  return rows.length === 1;
}

/** Approved → issued, once: false when the application was not (or no longer) approved. */
export async function markApplicationIssued(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .update(applications)
    .set({ state: 'issued' })
    .where(and(eq(applications.id, id), eq(applications.state, 'approved')))
    .returning({ id: applications.id });
  return rows.length === 1;
}

export async function insertPickupCredential(tx: Tx, p: { applicationId: string; codeHash: string; expiresAt: Date; createdAt: Date }): Promise<void> {
  await tx.insert(pickupCredentials).values(p);
}

export interface PickupCredentialRow {
  id: string;
  applicationId: string;
  codeHash: string;
  expiresAt: Date;
  failedAttempts: number;
  usedAt: Date | null;
  issuingSince: Date | null;
  /** When the code was made and mailed. */
  createdAt: Date;
}

const pickupColumns = {
  id: pickupCredentials.id,
  applicationId: pickupCredentials.applicationId,
  codeHash: pickupCredentials.codeHash,
  expiresAt: pickupCredentials.expiresAt,
  failedAttempts: pickupCredentials.failedAttempts,
  usedAt: pickupCredentials.usedAt,
  issuingSince: pickupCredentials.issuingSince,
  createdAt: pickupCredentials.createdAt,
};

export async function findPickupCredentialByCodeHash(db: Db | Tx, codeHash: string): Promise<PickupCredentialRow | undefined> {
  const [row] = await db.select(pickupColumns).from(pickupCredentials).where(eq(pickupCredentials.codeHash, codeHash));
  return row;
}

export async function findPickupCredentialOf(db: Db | Tx, applicationId: string): Promise<PickupCredentialRow | undefined> {
  const [row] = await db.select(pickupColumns).from(pickupCredentials).where(eq(pickupCredentials.applicationId, applicationId));
  return row;
}

export async function lockPickupCredential(tx: Tx, id: string): Promise<PickupCredentialRow | undefined> {
  const [row] = await tx.select(pickupColumns).from(pickupCredentials).where(eq(pickupCredentials.id, id)).for('update');
  return row;
}

/**
 * Counts a sign-in attempt against the code before its password is checked, so parallel
 * guesses cannot all pass one read of the count: the new count, or undefined when `max`
 * attempts have failed already (the code is locked).
 */
export async function reservePickupAttempt(db: Db | Tx, id: string, max: number): Promise<number | undefined> {
  const [row] = await db
    .update(pickupCredentials)
    .set({ failedAttempts: sql`${pickupCredentials.failedAttempts} + 1` })
    .where(and(eq(pickupCredentials.id, id), lt(pickupCredentials.failedAttempts, max)))
    .returning({ failedAttempts: pickupCredentials.failedAttempts });
  return row?.failedAttempts;
}

/** The password was right: the attempt reserved for it is no failure. */
export async function giveBackPickupAttempt(db: Db | Tx, id: string): Promise<void> {
  await db
    .update(pickupCredentials)
    .set({ failedAttempts: sql`${pickupCredentials.failedAttempts} - 1` })
    .where(and(eq(pickupCredentials.id, id), gt(pickupCredentials.failedAttempts, 0)));
}

/** When the subscriber's identity and organisation were last vetted. */
export async function findSubscriberVetting(db: Db | Tx, subscriberId: string): Promise<{ vettedAt: Date | null; registration: RegistrationJson } | undefined> {
  const [row] = await db.select({ vettedAt: subscribers.vettedAt, registration: subscribers.registration }).from(subscribers).where(eq(subscribers.id, subscriberId));
  return row;
}
