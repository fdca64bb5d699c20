/**
 * RA operators (SPEC 2, issue #7): who may do what in the console, and the limits on
 * signing in. Pure: the console asks `can` on every route and action, server-side.
 */
export const operatorRoles = ['reviewer', 'admin'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export const consoleActions = ['review', 'viewCertificates', 'revokeCertificates', 'manageCoupons', 'manageMaintenance', 'viewMail', 'resendMail', 'viewAudit'] as const;
export type ConsoleAction = (typeof consoleActions)[number];

const permissions: Record<OperatorRole, readonly ConsoleAction[]> = {
  // Reviewers vet applications, look certificates up and revoke them (a compromised key
  // cannot wait for an admin); nothing that changes money-like things (coupons), the
  // service (maintenance) or other people's mail.
  reviewer: ['review', 'viewCertificates', 'revokeCertificates'],
  admin: consoleActions,
};

export function can(role: OperatorRole, action: ConsoleAction): boolean {
  return permissions[role].includes(action);
}

export function isOperatorRole(value: string): value is OperatorRole {
  return (operatorRoles as readonly string[]).includes(value);
}

/** Five failed sign-ins lock the account for fifteen minutes (issue #7). */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_LOCK_MS = 15 * 60 * 1000;

/** A set-up link works once, for a day. */
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/** A console session ends after 30 minutes without a request, and 8 hours after sign-in. */
export const CONSOLE_IDLE_MS = 30 * 60 * 1000;
export const CONSOLE_ABSOLUTE_MS = 8 * 60 * 60 * 1000;

export function isLockedOut(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** After a failed attempt: the new count, and the lock it brings when it reaches the maximum. */
export function afterFailedSignIn(failures: number, now: Date): { failures: number; lockedUntil: Date | null } {
  const next = failures + 1;
  return next >= SIGN_IN_MAX_FAILURES ? { failures: 0, lockedUntil: new Date(now.getTime() + SIGN_IN_LOCK_MS) } : { failures: next, lockedUntil: null };
}

/** Operator e-mail addresses are compared lower-cased. */
export function canonicalOperatorEmail(email: string): string {
  return email.trim().toLowerCase();
}
