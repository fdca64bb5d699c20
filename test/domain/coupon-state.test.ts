import { describe, expect, it } from 'vitest';
import { couponUnusableCode, nextCouponState } from '../../src/domain/coupon-state.js';

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
  it('names why a coupon cannot be used', () => {
    expect(couponUnusableCode('available')).toBeUndefined();
    expect(couponUnusableCode('locked')).toBe('coupon.locked');
    expect(couponUnusableCode('consumed')).toBe('coupon.consumed');
    expect(couponUnusableCode('void')).toBe('coupon.void');
  });
});
