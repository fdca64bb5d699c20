import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from './db.js';
import { rowsOf } from './rows.js';
import { outboxMessages } from './schema/tables.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface NewOutboxMessage {
  /** One mail per cause: a second insert with the same key is ignored. */
  dedupeKey: string;
  template: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** Written at, and due from. */
  now: Date;
}

/** A row a sender holds a lease on: everything needed to send it, and no more. */
export interface ClaimedOutboxMessage {
  id: string;
  template: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** Including the attempt this claim starts. */
  attempts: number;
}

export interface OutboxSummary {
  id: string;
  template: string;
  toAddress: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxMessageRow extends OutboxSummary {
  dedupeKey: string;
  textBody: string;
  htmlBody: string;
  lastError: string | null;
  messageId: string | null;
}

const summaryColumns = {
  id: outboxMessages.id,
  template: outboxMessages.template,
  toAddress: outboxMessages.toAddress,
  subject: outboxMessages.subject,
  status: outboxMessages.status,
  attempts: outboxMessages.attempts,
  nextAttemptAt: outboxMessages.nextAttemptAt,
  createdAt: outboxMessages.createdAt,
  sentAt: outboxMessages.sentAt,
};

const messageColumns = {
  ...summaryColumns,
  dedupeKey: outboxMessages.dedupeKey,
  textBody: outboxMessages.textBody,
  htmlBody: outboxMessages.htmlBody,
  lastError: outboxMessages.lastError,
  messageId: outboxMessages.messageId,
};

/** The error text kept per row; SMTP replies are short, a stack is not wanted here. */
const LAST_ERROR_MAX_CHARS = 1000;

/**
 * Write a mail into the outbox, normally in the transaction of the state change that
 * causes it (SPEC 5). Returns false when a mail with this dedupe key already exists.
 */
export async function insertOutboxMessage(db: Db | Tx, row: NewOutboxMessage): Promise<boolean> {
  const inserted = await db
    .insert(outboxMessages)
    .values({
      dedupeKey: row.dedupeKey,
      template: row.template,
      toAddress: row.toAddress,
      subject: row.subject,
      textBody: row.textBody,
      htmlBody: row.htmlBody,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: row.now,
      createdAt: row.now,
    })
    .onConflictDoNothing({ target: outboxMessages.dedupeKey })
    .returning({ id: outboxMessages.id });
  return inserted.length > 0;
}

/**
 * Take up to `limit` due pending mails for sending, in one statement: rows another
 * sender is claiming right now are skipped (SKIP LOCKED), and each claimed row's
 * next_attempt_at moves to now + leaseMs. The lease is what keeps two senders off the
 * same row after this statement commits, and what brings the row back if the sender
 * dies before it records the outcome. The attempt is counted here, before sending, so a
 * mail that crashes its sender every time still runs out of attempts.
 */
export async function claimDueMessages(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedOutboxMessage[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // MATERIALIZED: the locking subquery runs exactly once, whatever plan is chosen for the update.
  const result = await db.execute(sql`
    with due as materialized (
      select id
      from outbox_messages
      where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by next_attempt_at, created_at
      limit ${limit}
      for update skip locked
    )
    update outbox_messages as m
    set next_attempt_at = ${leaseUntil.toISOString()}::timestamptz, attempts = m.attempts + 1
    from due
    where m.id = due.id
    returning m.id as "id", m.template as "template", m.to_address as "toAddress", m.subject as "subject",
      m.text_body as "textBody", m.html_body as "htmlBody", m.attempts as "attempts"
  `);
  return rowsOf<ClaimedOutboxMessage>(result).map((row) => ({ ...row, attempts: Number(row.attempts) }));
}

/** Record the delivery, keeping the bodies as given: the caller has taken the one-time secrets out. */
export async function markSent(db: Db, id: string, now: Date, messageId: string, bodies: { textBody: string; htmlBody: string }): Promise<void> {
  await db
    .update(outboxMessages)
    .set({ status: 'sent', sentAt: now, messageId, lastError: null, textBody: bodies.textBody, htmlBody: bodies.htmlBody })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'pending')));
}

/**
 * Record a failed attempt: try again at `nextAttemptAt`, or give up (status 'failed')
 * when it is null; a given-up row keeps `now` as its last attempt time.
 */
export async function markAttemptFailed(db: Db, id: string, now: Date, error: string, nextAttemptAt: Date | null): Promise<void> {
  await db
    .update(outboxMessages)
    .set({
      status: nextAttemptAt === null ? 'failed' : 'pending',
      nextAttemptAt: nextAttemptAt ?? now,
      lastError: error.slice(0, LAST_ERROR_MAX_CHARS),
    })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'pending')));
}

/** Newest first, for the mail log views. */
export async function listOutbox(db: Db, limit: number): Promise<OutboxSummary[]> {
  return db.select(summaryColumns).from(outboxMessages).orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id)).limit(limit);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One mail with its bodies; undefined for an unknown id, or one that is not even a uuid. */
export async function findOutboxMessage(db: Db, id: string): Promise<OutboxMessageRow | undefined> {
  if (!uuidPattern.test(id)) return undefined;
  const [row] = await db.select(messageColumns).from(outboxMessages).where(eq(outboxMessages.id, id));
  return row;
}

export interface OutboxLogRow extends OutboxSummary {
  lastError: string | null;
}

/** The outbox as operators need it, newest first, optionally one status only. */
export async function listOutboxLog(db: Db, status: OutboxStatus | undefined, limit: number): Promise<OutboxLogRow[]> {
  return db
    .select({ ...summaryColumns, lastError: outboxMessages.lastError })
    .from(outboxMessages)
    .where(status === undefined ? undefined : eq(outboxMessages.status, status))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(limit);
}

/** A failed mail goes back to the queue, due now, with its attempts counted afresh. */
export async function requeueFailedMessage(db: Db | Tx, id: string, now: Date): Promise<{ toAddress: string; template: string } | undefined> {
  const [row] = await db
    .update(outboxMessages)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'failed')))
    .returning({ toAddress: outboxMessages.toAddress, template: outboxMessages.template });
  return row;
}
