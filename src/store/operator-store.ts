import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { OperatorRole } from '../domain/operator.js';
import type { Db, Tx } from './db.js';
import { consoleSessions, operators } from './schema/tables.js';

export interface OperatorRow {
  id: string;
  email: string;
  role: OperatorRole;
  passwordHash: string | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
  failedSignIns: number;
  lockedUntil: Date | null;
  setupExpiresAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

const operatorColumns = {
  id: operators.id,
  email: operators.email,
  role: operators.role,
  passwordHash: operators.passwordHash,
  totpSecret: operators.totpSecret,
  totpPendingSecret: operators.totpPendingSecret,
  totpLastStep: operators.totpLastStep,
  failedSignIns: operators.failedSignIns,
  lockedUntil: operators.lockedUntil,
  setupExpiresAt: operators.setupExpiresAt,
  disabledAt: operators.disabledAt,
  createdAt: operators.createdAt,
};

export async function insertOperator(
  tx: Db | Tx,
  o: { email: string; role: OperatorRole; setupTokenHash: string; setupExpiresAt: Date; now: Date },
): Promise<OperatorRow> {
  const [row] = await tx
    .insert(operators)
    .values({ email: o.email, role: o.role, setupTokenHash: o.setupTokenHash, setupExpiresAt: o.setupExpiresAt, createdAt: o.now, updatedAt: o.now })
    .returning(operatorColumns);
  if (row === undefined) throw new Error('operator insert returned no row');
  return row;
}

export async function findOperatorByEmail(db: Db | Tx, email: string): Promise<OperatorRow | undefined> {
  const [row] = await db.select(operatorColumns).from(operators).where(eq(operators.email, email));
  return row;
}

export async function findOperatorById(db: Db | Tx, id: string): Promise<OperatorRow | undefined> {
  const [row] = await db.select(operatorColumns).from(operators).where(eq(operators.id, id));
  return row;
}

/** The operator a set-up link names, while it is valid. */
export async function findOperatorBySetupToken(db: Db | Tx, setupTokenHash: string, now: Date): Promise<OperatorRow | undefined> {
  const [row] = await db
    .select(operatorColumns)
    .from(operators)
    .where(and(eq(operators.setupTokenHash, setupTokenHash), gt(operators.setupExpiresAt, now), isNull(operators.disabledAt)));
  return row;
}

/** The operator row held for the rest of the transaction (sign-in, set-up). */
export async function lockOperator(tx: Tx, id: string): Promise<OperatorRow | undefined> {
  const [row] = await tx.select(operatorColumns).from(operators).where(eq(operators.id, id)).for('update');
  return row;
}

export async function listOperators(db: Db): Promise<OperatorRow[]> {
  return db.select(operatorColumns).from(operators).orderBy(asc(operators.createdAt));
}

export type OperatorChange = Partial<{
  passwordHash: string | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
  failedSignIns: number;
  lockedUntil: Date | null;
  setupTokenHash: string | null;
  setupExpiresAt: Date | null;
  disabledAt: Date | null;
}>;

export async function updateOperator(tx: Db | Tx, id: string, change: OperatorChange, now: Date): Promise<void> {
  await tx
    .update(operators)
    .set({ ...change, updatedAt: now })
    .where(eq(operators.id, id));
}

// ---------------------------------------------------------------------------
// Console sessions: their own table and cookie; a portal session is worth nothing here.

export async function insertConsoleSession(db: Db | Tx, s: { idHash: string; operatorId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db.insert(consoleSessions).values(s);
}

export async function loadConsoleSession(
  db: Db,
  idHash: string,
  now: Date,
): Promise<{ operatorId: string; createdAt: Date; expiresAt: Date; email: string; role: OperatorRole } | undefined> {
  const [row] = await db
    .select({ operatorId: consoleSessions.operatorId, createdAt: consoleSessions.createdAt, expiresAt: consoleSessions.expiresAt, email: operators.email, role: operators.role })
    .from(consoleSessions)
    .innerJoin(operators, eq(operators.id, consoleSessions.operatorId))
    // A disabled operator's sessions end at once.
    .where(and(eq(consoleSessions.idHash, idHash), gt(consoleSessions.expiresAt, now), isNull(operators.disabledAt)));
  return row;
}

export async function extendConsoleSession(db: Db, idHash: string, expiresAt: Date): Promise<void> {
  await db.update(consoleSessions).set({ expiresAt }).where(eq(consoleSessions.idHash, idHash));
}

export async function deleteConsoleSession(db: Db, idHash: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash));
}

export async function deleteConsoleSessionsOf(db: Db | Tx, operatorId: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.operatorId, operatorId));
}

export async function deleteExpiredConsoleSessions(db: Db, now: Date): Promise<number> {
  const deleted = await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now)).returning({ idHash: consoleSessions.idHash });
  return deleted.length;
}

export async function countOperators(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(operators);
  return Number(row?.n ?? 0);
}
