import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Registration as submitted (SPEC 3); the shape is owned by src/domain/input/registration.ts. */
export type RegistrationJson = Record<string, string>;

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  nameJa: text('name_ja').notNull(),
  nameKana: text('name_kana').notNull(),
  nameEn: text('name_en').notNull(),
  createdAt: instant('created_at').notNull(),
});

export const subscribers = pgTable(
  'subscribers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    registration: jsonb('registration').$type<RegistrationJson>().notNull(),
    /** When identity and organisation were last vetted (SPEC 4: reusable for 825 days). */
    vettedAt: instant('vetted_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('subscribers_email_idx').on(t.email)],
);

/** A batch of coupons issued at once for a reseller partner (SPEC 2, issue #7). */
export const couponBatches = pgTable('coupon_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  partner: text('partner').notNull(),
  product: text('product').notNull(),
  count: integer('count').notNull(),
  expiresAt: instant('expires_at').notNull(),
  createdAt: instant('created_at').notNull(),
  createdBy: text('created_by').notNull(),
});

export const coupons = pgTable(
  'coupons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    partner: text('partner').notNull(),
    state: text('state', { enum: ['available', 'locked', 'consumed', 'void'] }).notNull(),
    applicationId: uuid('application_id'),
    /** The batch it was issued in for a reseller partner (null: demo and older coupons). */
    batchId: uuid('batch_id').references(() => couponBatches.id),
    product: text('product').notNull().default('class2-standard'),
    /** The first instant it can no longer be used (the day after its expiry date, in Japan). */
    expiresAt: instant('expires_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('coupons_number_key').on(t.number),
    index('coupons_batch_idx').on(t.batchId),
    check('coupons_number_digits', sql`${t.number} ~ '^[0-9]{16}$'`),
  ],
);

export const couponEvents = pgTable(
  'coupon_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    couponId: uuid('coupon_id')
      .notNull()
      .references(() => coupons.id),
    at: instant('at').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    applicationId: uuid('application_id'),
    actor: text('actor').notNull(),
  },
  (t) => [index('coupon_events_coupon_idx').on(t.couponId, t.at)],
);

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['new', 'renewal'] }).notNull(),
    state: text('state', {
      enum: ['provisional', 'final', 'cancelled', 'approved', 'rejected', 'issued'],
    }).notNull(),
    acceptanceNumber: text('acceptance_number').notNull(),
    /** The idempotency key of the confirmation screen that submitted it (SPEC 1.1 step 5). */
    submissionKey: text('submission_key').notNull(),
    subscriberId: uuid('subscriber_id').references(() => subscribers.id),
    renewsCertificateId: uuid('renews_certificate_id'),
    couponId: uuid('coupon_id')
      .notNull()
      .references(() => coupons.id),
    email: text('email').notNull(),
    /** The page language the application was made in: its mails follow it. */
    lang: text('lang', { enum: ['ja', 'en'] }).notNull().default('ja'),
    registration: jsonb('registration').$type<RegistrationJson>().notNull(),
    passwordHash: text('password_hash').notNull(),
    provisionalAt: instant('provisional_at').notNull(),
    /** provisionalAt + 1 h: the deadline is data (STYLE §5). */
    finalAt: instant('final_at').notNull(),
    finalisedAt: instant('finalised_at'),
    /**
     * SHA-256 of the one-time cancellation link mailed at provisional acceptance: the
     * owner's way past a lookup that strangers have locked (issue #6 defect 8).
     */
    cancelTokenHash: text('cancel_token_hash'),
    cancelledAt: instant('cancelled_at'),
    decidedAt: instant('decided_at'),
    /** The operator reviewing it now, until claimExpiresAt (issue #7: two cannot act at once). */
    claimedBy: uuid('claimed_by'),
    claimExpiresAt: instant('claim_expires_at'),
    /** Why it was not approved: a reason code and the reviewer's words. */
    rejectionReason: text('rejection_reason'),
    rejectionNote: text('rejection_note'),
  },
  (t) => [
    uniqueIndex('applications_acceptance_number_key').on(t.acceptanceNumber),
    uniqueIndex('applications_submission_key_key').on(t.submissionKey),
    uniqueIndex('applications_cancel_token_hash_key').on(t.cancelTokenHash),
    // SPEC 1.1 step 2: at most one renewal in progress or done per certificate. The states
    // are renewalBlockingStates (src/domain/application-state.ts); a test keeps them equal.
    uniqueIndex('applications_one_renewal_per_certificate')
      .on(t.renewsCertificateId)
      .where(sql`state in ('provisional', 'final', 'approved', 'issued')`),
    index('applications_state_final_at_idx').on(t.state, t.finalAt),
  ],
);

export const certificates = pgTable(
  'certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => subscribers.id),
    applicationId: uuid('application_id').references(() => applications.id),
    renewsCertificateId: uuid('renews_certificate_id'),
    serialNumber: text('serial_number').notNull(),
    subjectDn: text('subject_dn').notNull(),
    email: text('email').notNull(),
    notBefore: instant('not_before').notNull(),
    notAfter: instant('not_after').notNull(),
    status: text('status', { enum: ['valid', 'revoked'] }).notNull(),
    revokedAt: instant('revoked_at'),
    revocationReason: text('revocation_reason'),
    /** SHA-256 of the certificate code; the code itself is only ever mailed. */
    certificateCodeHash: text('certificate_code_hash').notNull(),
    der: bytea('der').notNull(),
    /** SHA-256 of the SubjectPublicKeyInfo (hex): finds every certificate of a key (BR 6.1.1.3). */
    spkiSha256: text('spki_sha256'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('certificates_serial_number_key').on(t.serialNumber),
    uniqueIndex('certificates_code_hash_key').on(t.certificateCodeHash),
    index('certificates_not_after_idx').on(t.notAfter),
    index('certificates_spki_sha256_idx').on(t.spkiSha256),
    // What the CRL lists (migration 0010).
    index('certificates_revoked_idx').on(t.serialNumber).where(sql`status = 'revoked'`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /**
     * SHA-256 of the form cookie of the browser that made it: one live session per browser,
     * however often a client posts with a session cookie it was told to replace.
     */
    formCookieHash: text('form_cookie_hash'),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [index('sessions_expires_at_idx').on(t.expiresAt), index('sessions_form_cookie_idx').on(t.formCookieHash)],
);

export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStartedAt: instant('window_started_at').notNull(),
  count: integer('count').notNull(),
});

/**
 * Append-only: a trigger (migration 0001) refuses UPDATE and DELETE. Tamper-evident: each
 * entry carries its place in one sequence for the whole cluster and the SHA-256 over the
 * previous entry's hash and its own content (audit_entry_hash, migration 0005).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    at: instant('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectType, t.subjectId), uniqueIndex('audit_log_seq_key').on(t.seq), index('audit_log_at_idx').on(t.at)],
);

/** The head of the audit chain: one row, locked by every append, so the sequence has no gaps. */
export const auditHead = pgTable(
  'audit_head',
  {
    id: integer('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [check('audit_head_single_row', sql`${t.id} = 1`)],
);

/**
 * The durable outbox (SPEC 5): a mail is written in the same transaction as the state
 * change that causes it, rendered, and delivered later by a job that retries.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** One mail per cause, e.g. "application.provisional:<id>": a retried cause sends nothing twice. */
    dedupeKey: text('dedupe_key').notNull(),
    template: text('template').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: instant('created_at').notNull(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_messages_dedupe_key_key').on(t.dedupeKey),
    index('outbox_messages_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Operator-scheduled maintenance (SPEC 1.5). */
export const maintenanceWindows = pgTable(
  'maintenance_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    messageJa: text('message_ja').notNull(),
    messageEn: text('message_en').notNull(),
    createdAt: instant('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    index('maintenance_windows_ends_at_idx').on(t.endsAt),
    check('maintenance_windows_order', sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

/**
 * Secrets every app process must share (the key behind stateless CSRF tokens and sealed
 * session values): created once by whichever process starts first.
 */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
  createdAt: instant('created_at').notNull(),
});

/** RA operators (SPEC 2): password + TOTP, a role, a one-time set-up link. */
export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased. */
    email: text('email').notNull(),
    role: text('role', { enum: ['reviewer', 'admin'] }).notNull(),
    passwordHash: text('password_hash'),
    /** Base32 TOTP secret, once enrolled. */
    totpSecret: text('totp_secret'),
    /** The secret shown during enrolment, until a code from it is entered. */
    totpPendingSecret: text('totp_pending_secret'),
    /** The last TOTP time step accepted: a code is good once (replay refused). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: instant('locked_until'),
    /** SHA-256 of the one-time set-up link's token, valid until setupExpiresAt. */
    setupTokenHash: text('setup_token_hash'),
    setupExpiresAt: instant('setup_expires_at'),
    disabledAt: instant('disabled_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [uniqueIndex('operators_email_key').on(t.email), uniqueIndex('operators_setup_token_key').on(t.setupTokenHash)],
);

/** Console sessions: apart from the portal's, with their own cookie (issue #7). */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    createdAt: instant('created_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [index('console_sessions_expires_at_idx').on(t.expiresAt)],
);

/** One row per reviewer's decision: nobody decides one application twice. */
export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    decision: text('decision', { enum: ['approve', 'reject'] }).notNull(),
    reasonCode: text('reason_code'),
    note: text('note'),
    /** The reviewer checked identity and organisation anew (rather than reusing the last vetting). */
    isVettingRedone: boolean('is_vetting_redone').notNull().default(false),
    at: instant('at').notNull(),
  },
  (t) => [uniqueIndex('review_decisions_once_key').on(t.applicationId, t.operatorId)],
);

/**
 * The pickup credential of an approved application: the certificate code, stored only as
 * its hash, single-use, until expiresAt, with a bounded number of wrong attempts.
 */
export const pickupCredentials = pgTable(
  'pickup_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    codeHash: text('code_hash').notNull(),
    expiresAt: instant('expires_at').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    usedAt: instant('used_at'),
    /**
     * Set while a pickup signs with this credential (claimed before signing, cleared if the
     * CA refuses): two browsers racing with one code never both get a certificate signed.
     */
    issuingSince: instant('issuing_since'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [uniqueIndex('pickup_credentials_application_key').on(t.applicationId), uniqueIndex('pickup_credentials_code_key').on(t.codeHash)],
);

/**
 * Mailbox control before issuance (SPEC 4, S/MIME BR 3.2.2): a random value sent to the
 * address and returned within 24 h; issuance needs one returned in the last 30 days. The
 * certificate code of the approval mail is such a value when it comes back in time
 * (method certificateCode, no valueHash: the credential holds it); otherwise pickup mails
 * a one-time value (method oneTimeValue). Rows are evidence, never deleted.
 */
export const mailboxChallenges = pgTable(
  'mailbox_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Insertion order: the newest value is the one asked for, even within one clock tick. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    email: text('email').notNull(),
    method: text('method', { enum: ['certificateCode', 'oneTimeValue'] }).notNull(),
    valueHash: text('value_hash'),
    sentAt: instant('sent_at').notNull(),
    expiresAt: instant('expires_at').notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    verifiedAt: instant('verified_at'),
  },
  (t) => [index('mailbox_challenges_application_idx').on(t.applicationId, t.seq)],
);

/**
 * Every serial number the CA has used or is about to use (S/MIME BR 7.1: never reused):
 * reserved in a committed transaction before the signature, kept even if signing fails.
 */
export const certificateSerials = pgTable('certificate_serials', {
  serialNumber: text('serial_number').primaryKey(),
  reservedAt: instant('reserved_at').notNull(),
  /** What it was reserved for: "application:<id>", "demo", … */
  reservedFor: text('reserved_for').notNull(),
  /** Set by the CA right after its signature: a certificate signed but never stored is still known. */
  signedAt: instant('signed_at'),
  der: bytea('der'),
});

/**
 * Keys the CA must never certify again (S/MIME BR 6.1.1.3): a key revoked for
 * keyCompromise, or one shown to be weak. By SubjectPublicKeyInfo SHA-256 (hex).
 */
export const compromisedKeys = pgTable('compromised_keys', {
  spkiSha256: text('spki_sha256').primaryKey(),
  reason: text('reason').notNull(),
  recordedAt: instant('recorded_at').notNull(),
  /** Who said so: "revocation:<certificate id>", "operator:<id>", … */
  source: text('source').notNull(),
});

/**
 * The CA this database belongs to: the first process to start records its root and
 * issuing certificate, and every process after must hold the same ones, so several
 * processes on one PostgreSQL issue under one CA.
 */
export const caCertificates = pgTable('ca_certificates', {
  role: text('role', { enum: ['root', 'issuing'] }).primaryKey(),
  sha256: text('sha256').notNull(),
  subject: text('subject').notNull(),
  der: bytea('der').notNull(),
  registeredAt: instant('registered_at').notNull(),
});

/**
 * The CRLs relying parties fetch (S/MIME BR 4.9.7), one row per CA: lastNumber hands out
 * CRL numbers (each taken in its own committed statement, so no two processes ever sign
 * the same one), and number … entryCount hold the newest CRL published, replaced only by
 * one with a higher number (migration 0010).
 */
export const crlState = pgTable(
  'crl_state',
  {
    role: text('role', { enum: ['root', 'issuing'] }).primaryKey(),
    lastNumber: bigint('last_number', { mode: 'number' }).notNull(),
    number: bigint('number', { mode: 'number' }),
    thisUpdate: instant('this_update'),
    nextUpdate: instant('next_update'),
    der: bytea('der'),
    /** How many certificates it lists: fewer than are revoked means a revocation is not in it yet. */
    entryCount: integer('entry_count'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [check('crl_state_role', sql`${t.role} in ('root', 'issuing')`), check('crl_state_number_handed_out', sql`${t.number} is null or ${t.number} <= ${t.lastNumber}`)],
);

/** Delegated OCSP responder certificates (RFC 6960 4.2.2.2): one per serving process and key, for the record. */
export const ocspResponders = pgTable('ocsp_responders', {
  serialNumber: text('serial_number').primaryKey(),
  der: bytea('der').notNull(),
  notBefore: instant('not_before').notNull(),
  notAfter: instant('not_after').notNull(),
  createdAt: instant('created_at').notNull(),
});
