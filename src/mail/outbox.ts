import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Db, Tx } from '../store/db.js';
import { claimDueMessages, insertOutboxMessage, markAttemptFailed, markSent, type ClaimedOutboxMessage } from '../store/outbox-store.js';
import { renderMail, type MailContext, type MailMessage } from './templates/render-mail.js';

/** Retry schedule (SPEC 5): 1 min, 2, 4, … doubling, never more than an hour apart. */
export const RETRY_BASE_DELAY_MS = 60_000;
export const RETRY_MAX_DELAY_MS = 60 * 60_000;
/** After this many failed attempts (about four hours of retries) a mail is given up: status 'failed'. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/**
 * How long a claimed mail is reserved for its sender. It must outlast a whole batch of
 * slow sends (DELIVERY_BATCH_SIZE × the SMTP timeouts in smtp.ts), or a second sender
 * could take a mail the first is still sending.
 */
export const OUTBOX_LEASE_MS = 10 * 60_000;
export const DELIVERY_BATCH_SIZE = 10;
/** Stable across resends, so a receiver can de-duplicate an at-least-once delivery. */
export const OUTBOX_ID_HEADER = 'X-Certdesk-Outbox-Id';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export interface EnqueueMailInput {
  /** One mail per cause, e.g. `application.provisional:<applicationId>`. */
  dedupeKey: string;
  to: string;
  message: MailMessage;
  context: MailContext;
  now: Date;
}

export interface DeliverMailDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  transport: MailTransport;
  /** The From header, e.g. `certdesk <no-reply@certdesk.invalid>`. */
  from: string;
}

export interface DeliveryReport {
  sent: number;
  /** Failed this time, to be retried later. */
  failed: number;
  /** Failed for the last time: now status 'failed'. */
  gaveUp: number;
}

// One plain addr-spec: no display name, no list, no header folding.
const singleAddress = /^[^\s@,;:<>()"\\[\]]+@[^\s@,;:<>()"\\[\]]+$/;

/**
 * Render a mail and write it to the outbox. Call it with the transaction of the state
 * change that causes the mail: both commit or neither does, so a crash between the two
 * cannot lose the mail or send one for a change that never happened. A second call with
 * the same dedupe key writes nothing.
 */
export async function enqueueMail(tx: Db | Tx, input: EnqueueMailInput): Promise<void> {
  if (!singleAddress.test(input.to)) throw new Error('enqueueing a mail: the recipient is not a single plain address');
  const rendered = renderMail(input.message, input.context);
  await insertOutboxMessage(tx, {
    dedupeKey: input.dedupeKey,
    template: input.message.template,
    toAddress: input.to,
    subject: rendered.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    now: input.now,
  });
}

/**
 * A sent mail's bodies without what only its recipient may hold: the one-time
 * cancellation link, the certificate code and the mailbox confirmation value. The mail has left; the copy we keep (for
 * the mail log) must not hand them to whoever reads the database.
 */
export function withoutSecrets(body: string): string {
  return body
    .replace(/(\/cancel\/link\/)[A-Za-z0-9_-]{43}/g, '$1…')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){4,5}\b/g, (code) => code.replace(/[^-]/g, '*'));
}

/** Exponential backoff after the given number of failed attempts (1 → 1 min), capped at an hour. */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.min(Math.max(Math.floor(attempts) - 1, 0), 30);
  return Math.min(RETRY_BASE_DELAY_MS * 2 ** exponent, RETRY_MAX_DELAY_MS);
}

/**
 * Send the mails that are due, once each: claim a batch under a lease, send them one by
 * one, and record each outcome. Delivery is at least once — a sender that dies after
 * sending but before recording it sends the mail again after the lease — and every copy
 * carries the same Message-ID and outbox id header for the receiver to de-duplicate.
 */
export async function deliverDueMail(deps: DeliverMailDeps, options?: { limit?: number }): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0, gaveUp: 0 };
  const claimed = await claimDueMessages(deps.db, deps.clock.now(), options?.limit ?? DELIVERY_BATCH_SIZE, OUTBOX_LEASE_MS);
  for (const message of claimed) {
    const outcome = await deliverOne(deps, message);
    report[outcome] += 1;
  }
  return report;
}

async function deliverOne(deps: DeliverMailDeps, message: ClaimedOutboxMessage): Promise<keyof DeliveryReport> {
  const logFields = { outboxId: message.id, template: message.template, toDomain: domainOf(message.toAddress), attempts: message.attempts };

  // A mail whose earlier attempts all ended without an outcome (its sender crashed each time) is not tried forever.
  if (message.attempts > MAX_DELIVERY_ATTEMPTS) {
    await markAttemptFailed(deps.db, message.id, deps.clock.now(), 'gave up: attempts interrupted without an outcome', null);
    deps.log.error({ event: 'mail.gaveUp', ...logFields }, 'mail given up after interrupted attempts');
    return 'gaveUp';
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.transport.send({
      from: deps.from,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: message.htmlBody,
      headers: { [OUTBOX_ID_HEADER]: message.id, 'Message-ID': `<${message.id}@${domainOf(deps.from) ?? 'certdesk.invalid'}>` },
    }));
  } catch (error) {
    const finishedAt = deps.clock.now();
    const reason = describeSendError(error);
    if (message.attempts >= MAX_DELIVERY_ATTEMPTS) {
      await markAttemptFailed(deps.db, message.id, finishedAt, reason, null);
      deps.log.error({ event: 'mail.gaveUp', ...logFields, error: reason }, 'mail given up');
      return 'gaveUp';
    }
    const nextAttemptAt = new Date(finishedAt.getTime() + retryDelayMs(message.attempts));
    await markAttemptFailed(deps.db, message.id, finishedAt, reason, nextAttemptAt);
    deps.log.warn({ event: 'mail.attemptFailed', ...logFields, error: reason, nextAttemptAt }, 'mail attempt failed');
    return 'failed';
  }

  try {
    await markSent(deps.db, message.id, deps.clock.now(), messageId, { textBody: withoutSecrets(message.textBody), htmlBody: withoutSecrets(message.htmlBody) });
  } catch (error) {
    // The mail left; the row stays leased and is sent again after the lease (at least once).
    deps.log.error({ event: 'mail.recordFailed', ...logFields }, 'mail sent but not recorded');
    throw new Error('recording a sent mail', { cause: error });
  }
  deps.log.info({ event: 'mail.sent', ...logFields }, 'mail sent');
  return 'sent';
}

/** The part after the last @ (of an address or a From header): logs carry this, never the address. */
function domainOf(address: string): string | undefined {
  return /@([^\s@<>]+)>?\s*$/.exec(address)?.[1];
}

/** Error text for logs and last_error, with any mail address an SMTP reply echoes cut to its domain. */
function describeSendError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const parts = [
    typeof e?.code === 'string' ? e.code : undefined,
    typeof e?.responseCode === 'number' ? String(e.responseCode) : undefined,
    typeof e?.command === 'string' ? e.command : undefined,
    error instanceof Error ? error.message : String(error),
  ].filter((p): p is string => p !== undefined && p !== '');
  return parts.join(' ').replace(/[^\s<>"'@:,;]+@([^\s<>"'@:,;]+)/g, '…@$1');
}
