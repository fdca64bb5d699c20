import { createHash } from 'node:crypto';
import { canonicalAcceptanceNumber } from '../domain/acceptance-number.js';
import { findApplicationByAcceptanceNumber, findApplicationIdByCancelTokenHash } from '../store/application-store.js';
import type { RaDeps } from './deps.js';
import { isLookupAllowed, recordLookupFailure, type LookupPurpose } from './lookup-guard.js';

export type OwnApplicationLookupResult =
  | { ok: true; value: { applicationId: string } }
  | { ok: false; code: 'application.notFound' | 'application.rateLimited' };

/**
 * SPEC 1.3 and 1.7: a subscriber names their application by acceptance number, email and
 * application password. Any mismatch answers the same `application.notFound` after the
 * same work (one row lookup, one argon2 verification, one failure count); the reason is
 * logged. Limits: lookup-guard.ts.
 */
export async function findOwnApplication(
  deps: RaDeps,
  input: { purpose: Extract<LookupPurpose, 'cancel' | 'status'>; acceptanceNumber: string; email: string; password: string; clientKey: string },
): Promise<OwnApplicationLookupResult> {
  const acceptanceNumber = canonicalAcceptanceNumber(input.acceptanceNumber).slice(0, 40);
  const attempt = { purpose: input.purpose, subject: acceptanceNumber, clientKey: input.clientKey };
  if (!(await isLookupAllowed(deps, attempt))) return { ok: false, code: 'application.rateLimited' };
  const row = acceptanceNumber === '' ? undefined : await findApplicationByAcceptanceNumber(deps.db, acceptanceNumber);
  const isPasswordRight = await deps.passwords.verify(row?.passwordHash, input.password);
  const isEmailRight = row !== undefined && row.email.toLowerCase() === input.email.trim().toLowerCase();
  if (row !== undefined && isEmailRight && isPasswordRight) return { ok: true, value: { applicationId: row.id } };
  await recordLookupFailure(deps, attempt);
  const reason = row === undefined ? 'unknownAcceptanceNumber' : !isEmailRight ? 'emailMismatch' : 'wrongPassword';
  deps.log.info({ event: `${input.purpose}.lookup.refused`, reason }, 'application lookup found nothing');
  return { ok: false, code: 'application.notFound' };
}

/** The one-time cancellation link's token (32 random bytes, base64url) as stored. */
export function hashCancelToken(token: string): string {
  return createHash('sha256').update(`certdesk:cancel-token:${token}`).digest('hex');
}

/**
 * The application a cancellation link names: the owner's way in without the lookup and
 * its limits (issue #6 defect 8). The token is 256 random bits, mailed only to the
 * application's address; a guess is hopeless, so it needs no limit of its own.
 */
export async function findApplicationByCancelLink(deps: Pick<RaDeps, 'db'>, token: string): Promise<string | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return findApplicationIdByCancelTokenHash(deps.db, hashCancelToken(token));
}
