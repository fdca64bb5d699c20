import { createHash } from 'node:crypto';
import { canonicalAcceptanceNumber } from '../domain/acceptance-number.js';
import { findApplicationByAcceptanceNumber, findApplicationByCancelTokenHash } from '../store/application-store.js';
import type { RaDeps } from './deps.js';
import { beginLookup, lookupSucceeded, type LookupPurpose } from './lookup-guard.js';

export type OwnApplicationLookupResult =
  | { ok: true; value: { applicationId: string } }
  | { ok: false; code: 'application.notFound' }
  | { ok: false; code: 'application.rateLimited'; retryAfterSeconds: number };

/**
 * SPEC 1.3 and 1.7: a subscriber names their application by acceptance number, email and
 * application password. Any mismatch answers the same `application.notFound` after the
 * same work (one row lookup, one argon2 verification; the failure was counted up front); the reason is
 * logged. Limits: lookup-guard.ts.
 */
export async function findOwnApplication(
  deps: RaDeps,
  input: { purpose: Extract<LookupPurpose, 'cancel' | 'status'>; acceptanceNumber: string; email: string; password: string; clientKey: string; networkKey: string },
): Promise<OwnApplicationLookupResult> {
  const acceptanceNumber = canonicalAcceptanceNumber(input.acceptanceNumber).slice(0, 40);
  const attempt = { purpose: input.purpose, subject: acceptanceNumber, clientKey: input.clientKey, networkKey: input.networkKey };
  const verdict = await beginLookup(deps, attempt);
  if (!verdict.ok) return { ok: false, code: 'application.rateLimited', retryAfterSeconds: verdict.retryAfterSeconds };
  const row = acceptanceNumber === '' ? undefined : await findApplicationByAcceptanceNumber(deps.db, acceptanceNumber);
  const isPasswordRight = await deps.passwords.verify(row?.passwordHash, input.password);
  const isEmailRight = row !== undefined && row.email.toLowerCase() === input.email.trim().toLowerCase();
  if (row !== undefined && isEmailRight && isPasswordRight) {
    await lookupSucceeded(deps, attempt);
    return { ok: true, value: { applicationId: row.id } };
  }
  const reason = row === undefined ? 'unknownAcceptanceNumber' : !isEmailRight ? 'emailMismatch' : 'wrongPassword';
  deps.log.info({ event: `${input.purpose}.lookup.refused`, reason }, 'application lookup found nothing');
  return { ok: false, code: 'application.notFound' };
}

/** The one-time cancellation link's token (32 random bytes, base64url) as stored. */
export function hashCancelToken(token: string): string {
  return createHash('sha256').update(`certdesk:cancel-token:${token}`).digest('hex');
}

/** A link clicked late still says what happened (the application is final now); after this, it names nothing. */
export const CANCEL_LINK_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * The application a cancellation link names: the owner's way in without the lookup and
 * its limits (issue #6 defect 8). The token is 256 random bits, mailed only to the
 * application's address; a guess is hopeless, so it needs no limit of its own. It works
 * until a day after the cancellation deadline, then names nothing, so an old mail does
 * not show the application to whoever finds it.
 */
export async function findApplicationByCancelLink(deps: Pick<RaDeps, 'db' | 'clock'>, token: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await findApplicationByCancelTokenHash(deps.db, hashCancelToken(token));
  if (row === undefined || deps.clock.now().getTime() >= row.finalAt.getTime() + CANCEL_LINK_GRACE_MS) return undefined;
  return row.id;
}
