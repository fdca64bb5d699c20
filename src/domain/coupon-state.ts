/**
 * The coupon ledger (SPEC 2): available → locked → consumed, locked → available on
 * cancellation, available → void by an operator. Nothing else.
 */
export const couponStates = ['available', 'locked', 'consumed', 'void'] as const;
export type CouponState = (typeof couponStates)[number];

export type CouponEvent = 'lock' | 'release' | 'consume' | 'void';

const transitions: Record<CouponState, Partial<Record<CouponEvent, CouponState>>> = {
  available: { lock: 'locked', void: 'void' },
  locked: { release: 'available', consume: 'consumed' },
  consumed: {},
  void: {},
};

export function nextCouponState(state: CouponState, event: CouponEvent): CouponState | undefined {
  return transitions[state][event];
}

export type CouponUnusableCode = 'coupon.locked' | 'coupon.consumed' | 'coupon.void' | 'coupon.expired';

/**
 * Whether a coupon's time is up: it can be locked only before `expiresAt`, the first
 * instant after its expiry date in Japan (null: demo and older coupons never expire).
 * A coupon locked in time is still consumed or released after it.
 */
export function isCouponExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/** Why a coupon cannot be used for a new application at `now`; the ledger state comes first. */
export function couponUnusableCode(coupon: { state: CouponState; expiresAt: Date | null }, now: Date): CouponUnusableCode | undefined {
  switch (coupon.state) {
    case 'available':
      return isCouponExpired(coupon.expiresAt, now) ? 'coupon.expired' : undefined;
    case 'locked':
      return 'coupon.locked';
    case 'consumed':
      return 'coupon.consumed';
    case 'void':
      return 'coupon.void';
  }
}
