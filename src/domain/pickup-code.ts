import { DAY_MS } from './renewal-window.js';

/**
 * The pickup credential of an approved application (issue #7): the certificate code,
 * single-use, valid PICKUP_CODE_TTL_DAYS, at most five wrong attempts.
 */
export const PICKUP_CODE_MAX_FAILURES = 5;
export const DEFAULT_PICKUP_CODE_TTL_DAYS = 30;

export interface PickupCredentialView {
  expiresAt: Date;
  failedAttempts: number;
  usedAt: Date | null;
}

export type PickupRefusal = 'pickup.used' | 'pickup.expired' | 'pickup.locked';

export function pickupRefusal(credential: PickupCredentialView, now: Date): PickupRefusal | undefined {
  if (credential.usedAt !== null) return 'pickup.used';
  if (now.getTime() >= credential.expiresAt.getTime()) return 'pickup.expired';
  if (credential.failedAttempts >= PICKUP_CODE_MAX_FAILURES) return 'pickup.locked';
  return undefined;
}

export function pickupExpiresAt(approvedAt: Date, ttlDays: number): Date {
  return new Date(approvedAt.getTime() + ttlDays * DAY_MS);
}
