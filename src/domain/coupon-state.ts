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

/** Why a coupon in `state` cannot be used for a new application. */
export function couponUnusableCode(state: CouponState): 'coupon.locked' | 'coupon.consumed' | 'coupon.void' | undefined {
  switch (state) {
    case 'available':
      return undefined;
    case 'locked':
      return 'coupon.locked';
    case 'consumed':
      return 'coupon.consumed';
    case 'void':
      return 'coupon.void';
  }
}
