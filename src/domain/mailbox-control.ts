import { BITS_PER_CODE_CHARACTER } from './certificate-code.js';
import { DAY_MS } from './renewal-window.js';

/**
 * Mailbox control before issuance (SPEC 4; S/MIME BR 3.2.2.1 with the Random Value of
 * 1.6.1): a value of at least 112 random bits, sent to the address, comes back within
 * 24 hours of its creation; the certificate may be issued within 30 days of that.
 */
export const MAILBOX_VALUE_VALIDITY_MS = DAY_MS;
export const MAILBOX_VERIFICATION_REUSE_MS = 30 * DAY_MS;
export const RANDOM_VALUE_MIN_BITS = 112;
/** Wrong values before a sent value is void and a new one must be asked for. */
export const MAILBOX_VALUE_MAX_FAILURES = 5;
/** Values mailed to one application per day: the address is someone's inbox, not a target. */
export const MAILBOX_VALUES_PER_DAY = 5;

/** The least time between two values for one application: a burst of resends sends one. */
export const MAILBOX_VALUE_RESEND_INTERVAL_MS = 60_000;

export type MailboxSendRefusal = 'mailbox.sendLimitReached' | 'mailbox.sentMomentsAgo';

/** Why no new value may be mailed now, given the values of the last day (newest first). */
export function mailboxSendRefusal(sentInLastDay: readonly Date[], now: Date): MailboxSendRefusal | undefined {
  if (sentInLastDay.length >= MAILBOX_VALUES_PER_DAY) return 'mailbox.sendLimitReached';
  const newest = sentInLastDay[0];
  if (newest !== undefined && now.getTime() - newest.getTime() < MAILBOX_VALUE_RESEND_INTERVAL_MS) return 'mailbox.sentMomentsAgo';
  return undefined;
}

export interface MailboxChallengeView {
  sentAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  verifiedAt: Date | null;
}

/**
 * Whether the certificate code of the approval mail is the Random Value: only when it has
 * the entropy, and it comes back within 24 hours of the mail.
 */
export function isCodeAMailboxValue(code: { canonical: string; mailedAt: Date }, now: Date): boolean {
  return code.canonical.length * BITS_PER_CODE_CHARACTER >= RANDOM_VALUE_MIN_BITS && now.getTime() - code.mailedAt.getTime() <= MAILBOX_VALUE_VALIDITY_MS;
}

/** A verification that still allows issuance at `now`. */
export function isVerificationCurrent(challenge: MailboxChallengeView, now: Date): boolean {
  return challenge.verifiedAt !== null && now.getTime() - challenge.verifiedAt.getTime() <= MAILBOX_VERIFICATION_REUSE_MS;
}

export type MailboxValueRefusal = 'mailbox.expired' | 'mailbox.tooManyFailures';

/** Why a sent value can no longer be answered, or undefined when it can. */
export function mailboxValueRefusal(challenge: MailboxChallengeView, now: Date): MailboxValueRefusal | undefined {
  if (challenge.failedAttempts >= MAILBOX_VALUE_MAX_FAILURES) return 'mailbox.tooManyFailures';
  if (now.getTime() >= challenge.expiresAt.getTime()) return 'mailbox.expired';
  return undefined;
}

/** When a value sent at `sentAt` stops counting. */
export function mailboxValueExpiresAt(sentAt: Date): Date {
  return new Date(sentAt.getTime() + MAILBOX_VALUE_VALIDITY_MS);
}
