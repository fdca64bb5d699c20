import { createHash } from 'node:crypto';
import { countAttempt, giveBackAttempt } from '../store/rate-limit-store.js';
import type { CoreDeps } from './deps.js';

/**
 * Limits for the lookups that take a secret (SPEC 1.1 step 3, 1.3, 1.7), shaped so that a
 * stranger cannot turn them against the owner (issue #6 defect 8):
 * - every attempt counts against the client that makes it, and only that client;
 * - failures count per (subject, client), so one guesser locks only themselves;
 * - failures also count per subject from everyone, with a ceiling high enough that a
 *   stranger needs many networks to reach it, and low enough that distributed guessing of
 *   an 8-character password stays hopeless. The owner keeps a way past it that a guesser
 *   lacks: the one-time cancellation link in the provisional-acceptance mail.
 * A successful lookup costs the subject nothing (its failure, counted up front, is given back).
 */
export interface LookupLimits {
  perClient: { max: number; windowMs: number };
  failuresPerSubjectAndClient: { max: number; windowMs: number };
  failuresPerSubject: { max: number; windowMs: number };
}

const MINUTE = 60_000;

export const lookupLimits: LookupLimits = {
  perClient: { max: 20, windowMs: 15 * MINUTE },
  failuresPerSubjectAndClient: { max: 5, windowMs: 60 * MINUTE },
  failuresPerSubject: { max: 50, windowMs: 60 * MINUTE },
};

export type LookupPurpose = 'renewal' | 'cancel' | 'status' | 'pickup' | 'revoke';

export interface LookupAttempt {
  purpose: LookupPurpose;
  /** What is looked up: the certificate code or acceptance number, canonical. */
  subject: string;
  clientKey: string;
  /**
   * The client's network (an IPv6 /48; an IPv4 address as it is): failures on one subject
   * count per network, so a home network's many /64s are still one guesser.
   */
  networkKey: string;
}

export type LookupVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The subject as a counter key: hashed, so rate-limit rows never hold a code. */
const subjectKey = (a: LookupAttempt) => createHash('sha256').update(`${a.purpose}:${a.subject}`).digest('base64url').slice(0, 32);

const keys = (a: LookupAttempt) => ({
  client: `lookup:${a.purpose}:client:${a.clientKey}`,
  subjectAndClient: `lookup:${a.purpose}:fail:${subjectKey(a)}:${a.networkKey}`,
  subject: `lookup:${a.purpose}:fail:${subjectKey(a)}`,
});

/**
 * Counts this attempt against its client, and counts it as a failure up front against the
 * subject (per network and from everyone): a burst of parallel guesses cannot all pass a
 * check made before any of them failed. Says whether a limit stands in the way, and if one
 * does, how long that one lasts (Retry-After says the truth); a refused attempt was never
 * tried, so its failure is given back. A lookup that succeeds gives it back through
 * `lookupSucceeded`.
 */
export async function beginLookup(deps: CoreDeps, attempt: LookupAttempt, limits: LookupLimits = lookupLimits): Promise<LookupVerdict> {
  const now = deps.clock.now();
  const k = keys(attempt);
  const client = await countAttempt(deps.db, k.client, now, limits.perClient.windowMs);
  const subjectAndClient = await countAttempt(deps.db, k.subjectAndClient, now, limits.failuresPerSubjectAndClient.windowMs);
  const subject = await countAttempt(deps.db, k.subject, now, limits.failuresPerSubject.windowMs);
  const fired = [
    client > limits.perClient.max ? limits.perClient.windowMs : 0,
    subjectAndClient > limits.failuresPerSubjectAndClient.max ? limits.failuresPerSubjectAndClient.windowMs : 0,
    subject > limits.failuresPerSubject.max ? limits.failuresPerSubject.windowMs : 0,
  ];
  const longest = Math.max(...fired);
  if (longest === 0) return { ok: true };
  await giveBackFailure(deps, k);
  deps.log.warn({ event: 'lookup.rateLimited', purpose: attempt.purpose, client, subjectAndClient: subjectAndClient - 1, subject: subject - 1 }, 'lookup rate-limited');
  // At most the window: a fixed window ends sooner, never later.
  return { ok: false, retryAfterSeconds: Math.ceil(longest / 1000) };
}

/** The lookup found its subject: the failure counted up front is given back. */
export async function lookupSucceeded(deps: CoreDeps, attempt: LookupAttempt): Promise<void> {
  await giveBackFailure(deps, keys(attempt));
}

async function giveBackFailure(deps: CoreDeps, k: ReturnType<typeof keys>): Promise<void> {
  await giveBackAttempt(deps.db, k.subjectAndClient);
  await giveBackAttempt(deps.db, k.subject);
}
