/**
 * SPEC 1.1 step 2: a certificate can be renewed from 30 days before notAfter until
 * 365 days after it (both instants included), if it is not revoked and no other
 * renewal of it is in progress or done.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RenewalWindowPolicy {
  opensBeforeNotAfterMs: number;
  closesAfterNotAfterMs: number;
}

export const defaultRenewalWindow: RenewalWindowPolicy = {
  opensBeforeNotAfterMs: 30 * DAY_MS,
  closesAfterNotAfterMs: 365 * DAY_MS,
};

export interface RenewalCandidate {
  notAfter: Date;
  isRevoked: boolean;
  hasActiveRenewal: boolean;
}

export type RenewalRefusal = 'tooEarly' | 'tooLate' | 'revoked' | 'alreadyRenewing';

export function renewalWindowOf(notAfter: Date, policy = defaultRenewalWindow): { opensAt: Date; closesAt: Date } {
  return {
    opensAt: new Date(notAfter.getTime() - policy.opensBeforeNotAfterMs),
    closesAt: new Date(notAfter.getTime() + policy.closesAfterNotAfterMs),
  };
}

/** Why a certificate cannot be renewed at `now`, or undefined when it can. */
export function renewalRefusal(
  candidate: RenewalCandidate,
  now: Date,
  policy = defaultRenewalWindow,
): RenewalRefusal | undefined {
  if (candidate.isRevoked) return 'revoked';
  if (candidate.hasActiveRenewal) return 'alreadyRenewing';
  const { opensAt, closesAt } = renewalWindowOf(candidate.notAfter, policy);
  if (now.getTime() < opensAt.getTime()) return 'tooEarly';
  if (now.getTime() > closesAt.getTime()) return 'tooLate';
  return undefined;
}

export function isInRenewalWindow(candidate: RenewalCandidate, now: Date, policy = defaultRenewalWindow): boolean {
  return renewalRefusal(candidate, now, policy) === undefined;
}
