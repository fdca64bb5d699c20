import { describe, expect, it } from 'vitest';
import { couponUnusableCode, isCouponExpired, nextCouponState } from '../../src/domain/coupon-state.js';

describe(nextCouponState.name, () => {
  it('follows available → locked → consumed', () => {
    expect(nextCouponState('available', 'lock')).toBe('locked');
    expect(nextCouponState('locked', 'consume')).toBe('consumed');
  });
  it('releases a locked coupon back to available on cancellation', () => {
    expect(nextCouponState('locked', 'release')).toBe('available');
  });
  it('voids only an available coupon', () => {
    expect(nextCouponState('available', 'void')).toBe('void');
    expect(nextCouponState('locked', 'void')).toBeUndefined();
  });
  it('never locks a coupon twice or revives a consumed one', () => {
    expect(nextCouponState('locked', 'lock')).toBeUndefined();
    expect(nextCouponState('consumed', 'release')).toBeUndefined();
    expect(nextCouponState('void', 'lock')).toBeUndefined();
  });
});

describe(couponUnusableCode.name, () => {
  const now = new Date('2027-03-31T14:59:59.999Z');
  it('names why a coupon cannot be used', () => {
    expect(couponUnusableCode({ state: 'available', expiresAt: null }, now)).toBeUndefined();
    expect(couponUnusableCode({ state: 'locked', expiresAt: null }, now)).toBe('coupon.locked');
    expect(couponUnusableCode({ state: 'consumed', expiresAt: null }, now)).toBe('coupon.consumed');
    expect(couponUnusableCode({ state: 'void', expiresAt: null }, now)).toBe('coupon.void');
  });

  it('refuses an available coupon from its expiry instant on, and not a moment before', () => {
    const expiresAt = new Date('2027-03-31T15:00:00Z');
    expect(couponUnusableCode({ state: 'available', expiresAt }, now)).toBeUndefined();
    expect(couponUnusableCode({ state: 'available', expiresAt }, expiresAt)).toBe('coupon.expired');
  });

  it('names the ledger state of an expired coupon rather than its expiry', () => {
    const expiresAt = new Date('2027-01-01T00:00:00Z');
    expect(couponUnusableCode({ state: 'consumed', expiresAt }, now)).toBe('coupon.consumed');
    expect(couponUnusableCode({ state: 'void', expiresAt }, now)).toBe('coupon.void');
    expect(couponUnusableCode({ state: 'locked', expiresAt }, now)).toBe('coupon.locked');
  });
});

describe(isCouponExpired.name, () => {
  it('never expires a coupon without an expiry', () => {
    expect(isCouponExpired(null, new Date('2100-01-01T00:00:00Z'))).toBe(false);
  });
  it('expires at the instant itself', () => {
    const at = new Date('2027-03-31T15:00:00Z');
    expect(isCouponExpired(at, new Date(at.getTime() - 1))).toBe(false);
    expect(isCouponExpired(at, at)).toBe(true);
  });
});
