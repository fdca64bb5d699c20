import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { rowsOf } from './rows.js';
import { auditHead, auditLog } from './schema/tables.js';

export interface AuditEntry {
  at: Date;
  /** Who: `operator:<id>`, `subscriber:<id>`, `applicant`, `system:<job>`, `cli`. */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: Record<string, unknown> | undefined;
  after?: Record<string, unknown> | undefined;
}

/**
 * Append entries to the chain, in order, inside the caller's transaction. The head row is
 * locked (FOR UPDATE), so every writer in the cluster takes the next numbers in turn and
 * hashes over its predecessor; append_audit_entries (migration 0011) is the one way in and
 * audit_entry_hash (migration 0005) the one definition of the hash, shared with the
 * verification. The lock is held until the caller commits: append last in a transaction,
 * so it is held briefly. Returns the new head.
 */
export async function appendAuditEntries(db: Db | Tx, entries: readonly AuditEntry[]): Promise<{ seq: number; hash: string }> {
  const result = await db.execute(sql`select head_seq, head_hash from append_audit_entries(${JSON.stringify(entries.map(auditEntryJson))}::jsonb)`);
  const row = rowsOf<{ head_seq: string | number; head_hash: string }>(result)[0];
  if (row === undefined) throw new Error('appending to the audit chain: no head (migration 0011 missing?)');
  return { seq: Number(row.head_seq), hash: row.head_hash };
}

/** Append one entry (appendAuditEntries); its number and hash are the new head's. */
export function appendAudit(db: Db | Tx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  return appendAuditEntries(db, [entry]);
}

/** An entry as append_audit_entries reads it; an absent before/after stays absent (SQL NULL). */
function auditEntryJson(entry: AuditEntry): Record<string, unknown> {
  return {
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    ...(entry.before === undefined ? {} : { before: entry.before }),
    ...(entry.after === undefined ? {} : { after: entry.after }),
  };
}

/** One entry as the chain verification sees it: what is stored, and what its hash must be. */
export interface AuditChainRow {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
  expectedHash: string;
}

/** Every entry in chain order, with the hash recomputed from its columns as they are now. */
export async function listAuditChain(db: Db | Tx): Promise<AuditChainRow[]> {
  const result = await db.execute(sql`
    select id, seq, prev_hash, hash,
      audit_entry_hash(prev_hash, seq, at, actor, action, subject_type, subject_id, before, after) as expected_hash
    from audit_log order by seq nulls first, id`);
  return rowsOf<{ id: string | number; seq: string | number | null; prev_hash: string | null; hash: string | null; expected_hash: string }>(result).map((r) => ({
    id: Number(r.id),
    seq: r.seq === null ? null : Number(r.seq),
    prevHash: r.prev_hash,
    hash: r.hash,
    expectedHash: r.expected_hash,
  }));
}

export async function findAuditHead(db: Db | Tx): Promise<{ seq: number; hash: string } | undefined> {
  const [row] = await db.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead).where(eq(auditHead.id, 1));
  return row;
}

export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  hash: string;
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  until?: Date | undefined;
}

/** The newest entries that match, for the console's audit page. */

/** The columns of an AuditRow, for every listing. */
const auditRowColumns = {
  seq: auditLog.seq,
  at: auditLog.at,
  actor: auditLog.actor,
  action: auditLog.action,
  subjectType: auditLog.subjectType,
  subjectId: auditLog.subjectId,
  before: auditLog.before,
  after: auditLog.after,
  hash: auditLog.hash,
};
export async function listAuditEntries(db: Db, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (filter.actor !== undefined) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action));
  if (filter.subjectId !== undefined) conditions.push(eq(auditLog.subjectId, filter.subjectId));
  if (filter.from !== undefined) conditions.push(gte(auditLog.at, filter.from));
  if (filter.until !== undefined) conditions.push(lt(auditLog.at, filter.until));
  return db
    .select(auditRowColumns)
    .from(auditLog)
    .where(conditions.length === 0 ? undefined : and(...conditions))
    .orderBy(desc(auditLog.seq))
    .limit(limit);
}

/** The entries about one subject, oldest first (an application's history). */
export async function listAuditOfSubject(db: Db, subjectType: string, subjectId: string): Promise<AuditRow[]> {
  return db
    .select(auditRowColumns)
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, subjectType), eq(auditLog.subjectId, subjectId)))
    .orderBy(asc(auditLog.seq));
}
