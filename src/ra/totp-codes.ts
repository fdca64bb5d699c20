import { timingSafeEqual } from 'node:crypto';
import { generateSecret, generateSync, generateURI } from 'otplib';
import { acceptableSteps, isReplayedStep, TOTP_PERIOD_SECONDS } from '../domain/totp.js';

/** A new TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app scans (RFC 6238, SHA-1, 6 digits, 30 s). */
export function totpUri(issuer: string, label: string, secret: string): string {
  return generateURI({ issuer, label, secret, period: TOTP_PERIOD_SECONDS, digits: 6 });
}

/** The code of one time step. */
export function totpCodeAt(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS, period: TOTP_PERIOD_SECONDS });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; code: 'totp.wrong' | 'totp.replayed' };

/**
 * Whether `code` is right for `secret` at `now` (±1 step), and not a replay of a step
 * already accepted. Every acceptable step is compared, in constant time, whatever matches.
 */
export function checkTotp(secret: string, code: string, now: Date, lastAcceptedStep: number | null): TotpCheck {
  const typed = code.normalize('NFKC').replace(/\s+/g, '');
  // Six digits exactly; anything else cannot be right (and is compared all the same).
  const presented = Buffer.from(/^\d{6}$/.test(typed) ? typed : 'xxxxxx');
  let matched: number | undefined;
  for (const step of acceptableSteps(now)) {
    const expected = Buffer.from(totpCodeAt(secret, step));
    if (timingSafeEqual(expected, presented) && matched === undefined) matched = step;
  }
  if (matched === undefined) return { ok: false, code: 'totp.wrong' };
  return isReplayedStep(matched, lastAcceptedStep) ? { ok: false, code: 'totp.replayed' } : { ok: true, step: matched };
}
