/**
 * Why a certificate was revoked: the CRLReason values of RFC 5280 5.3.1 (7 is unused),
 * by the names the certificates table stores in revocation_reason.
 */
export const crlReasonCodes = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReason = keyof typeof crlReasonCodes;

/**
 * The reasons a subscriber certificate may be revoked for. Not certificateHold: we do not
 * suspend (S/MIME BR 4.9.13 leaves suspension to the CPS, and a revocation here is final);
 * not cACompromise or aACompromise, which speak of CA certificates; not removeFromCRL,
 * which only a delta CRL carries (RFC 5280 5.3.1). unspecified is allowed, and written
 * as no reasonCode at all (S/MIME BR 7.2.2).
 */
export const subscriberRevocationReasons = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'privilegeWithdrawn',
] as const satisfies readonly RevocationReason[];

export type SubscriberRevocationReason = (typeof subscriberRevocationReasons)[number];

export function isRevocationReason(value: string): value is RevocationReason {
  return Object.hasOwn(crlReasonCodes, value);
}

export function isSubscriberRevocationReason(value: string): value is SubscriberRevocationReason {
  return (subscriberRevocationReasons as readonly string[]).includes(value);
}

/**
 * The reason as a CRL entry or OCSP RevokedInfo carries it: undefined for unspecified
 * (S/MIME BR 7.2.2: omit rather than say 0) and for a stored value we do not know.
 */
export function reasonCodeOf(stored: string | null): number | undefined {
  if (stored === null || !isRevocationReason(stored) || stored === 'unspecified') return undefined;
  return crlReasonCodes[stored];
}
