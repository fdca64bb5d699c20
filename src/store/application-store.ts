import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { ApplicationKind, ApplicationState } from '../domain/application-state.js';
import type { Db, Tx } from './db.js';
import { applications, type RegistrationJson } from './schema/tables.js';

export interface NewApplication {
  id: string;
  kind: ApplicationKind;
  acceptanceNumber: string;
  submissionKey: string;
  subscriberId: string | null;
  renewsCertificateId: string | null;
  couponId: string;
  email: string;
  lang: 'ja' | 'en';
  registration: RegistrationJson;
  passwordHash: string;
  provisionalAt: Date;
  finalAt: Date;
  cancelTokenHash: string;
}

export interface ApplicationRow {
  id: string;
  kind: ApplicationKind;
  state: ApplicationState;
  acceptanceNumber: string;
  email: string;
  lang: 'ja' | 'en';
  provisionalAt: Date;
  finalAt: Date;
  renewsCertificateId: string | null;
}

const applicationColumns = {
  id: applications.id,
  kind: applications.kind,
  state: applications.state,
  acceptanceNumber: applications.acceptanceNumber,
  email: applications.email,
  lang: applications.lang,
  provisionalAt: applications.provisionalAt,
  finalAt: applications.finalAt,
  renewsCertificateId: applications.renewsCertificateId,
};

export async function insertProvisionalApplication(tx: Tx, a: NewApplication): Promise<ApplicationRow> {
  const [row] = await tx
    .insert(applications)
    .values({ ...a, state: 'provisional' })
    .returning(applicationColumns);
  if (row === undefined) throw new Error('application insert returned no row');
  return row;
}

export async function findApplicationBySubmissionKey(db: Db | Tx, submissionKey: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select(applicationColumns).from(applications).where(eq(applications.submissionKey, submissionKey));
  return row;
}

export async function findApplicationById(db: Db | Tx, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select(applicationColumns).from(applications).where(eq(applications.id, id));
  return row;
}

/** The application row held for the rest of the transaction (cancellation, finalisation). */
export async function lockApplication(
  tx: Tx,
  id: string,
): Promise<(ApplicationRow & { couponId: string; passwordHash: string; registration: RegistrationJson; cancelledAt: Date | null }) | undefined> {
  const [row] = await tx
    .select({
      ...applicationColumns,
      couponId: applications.couponId,
      passwordHash: applications.passwordHash,
      registration: applications.registration,
      cancelledAt: applications.cancelledAt,
    })
    .from(applications)
    .where(eq(applications.id, id))
    .for('update');
  return row;
}

export interface CancellationLookupRow extends ApplicationRow {
  passwordHash: string;
  registration: RegistrationJson;
}

export async function findApplicationByAcceptanceNumber(db: Db, acceptanceNumber: string): Promise<CancellationLookupRow | undefined> {
  const [row] = await db
    .select({ ...applicationColumns, passwordHash: applications.passwordHash, registration: applications.registration })
    .from(applications)
    .where(eq(applications.acceptanceNumber, acceptanceNumber));
  return row;
}

export async function findApplicationByCancelTokenHash(db: Db, cancelTokenHash: string): Promise<{ id: string; finalAt: Date } | undefined> {
  const [row] = await db.select({ id: applications.id, finalAt: applications.finalAt }).from(applications).where(eq(applications.cancelTokenHash, cancelTokenHash));
  return row;
}

/** What a subscriber may see of their own application (cancellation and status pages). */
export interface ApplicationSummaryRow extends ApplicationRow {
  registration: RegistrationJson;
  cancelledAt: Date | null;
  finalisedAt: Date | null;
  decidedAt: Date | null;
  claimExpiresAt: Date | null;
  rejectionReason: string | null;
  /** Review decisions recorded so far (approvals of a four-eyes review). */
  decisions: number;
}

export async function findApplicationSummary(db: Db | Tx, id: string): Promise<ApplicationSummaryRow | undefined> {
  const [row] = await db
    .select({
      ...applicationColumns,
      registration: applications.registration,
      cancelledAt: applications.cancelledAt,
      finalisedAt: applications.finalisedAt,
      decidedAt: applications.decidedAt,
      claimExpiresAt: applications.claimExpiresAt,
      rejectionReason: applications.rejectionReason,
      // Spelt out: in a one-table select drizzle leaves columns unqualified, and "id" would be the decision's.
      decisions: sql<number>`(select count(*)::int from review_decisions d where d.application_id = applications.id)`,
    })
    .from(applications)
    .where(eq(applications.id, id));
  return row === undefined ? undefined : { ...row, decisions: Number(row.decisions) };
}

export async function markApplicationCancelled(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(applications).set({ state: 'cancelled', cancelledAt: at }).where(eq(applications.id, id));
}

/**
 * Claim provisional applications whose hour has passed. SKIP LOCKED lets several
 * workers share the work, and a cancellation holding a row is simply not waited for.
 */
export async function claimDueProvisionalApplications(tx: Tx, now: Date, limit: number) {
  return tx
    .select({ ...applicationColumns, couponId: applications.couponId, registration: applications.registration })
    .from(applications)
    .where(and(eq(applications.state, 'provisional'), lte(applications.finalAt, now)))
    .orderBy(asc(applications.finalAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function markApplicationFinal(tx: Tx, id: string, at: Date): Promise<void> {
  await tx
    .update(applications)
    .set({ state: 'final', finalisedAt: at })
    .where(and(eq(applications.id, id), eq(applications.state, 'provisional')));
}
