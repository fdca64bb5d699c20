import { describe, expect, it } from 'vitest';
import { DAY_MS, isInRenewalWindow, renewalRefusal, renewalWindowOf } from '../../src/domain/renewal-window.js';

const notAfter = new Date('2026-12-31T15:00:00Z');
const at = (ms: number) => new Date(notAfter.getTime() + ms);
const candidate = { notAfter, isRevoked: false, hasActiveRenewal: false };

describe(renewalRefusal.name, () => {
  it('opens exactly 30 days before notAfter', () => {
    expect(renewalRefusal(candidate, at(-30 * DAY_MS))).toBeUndefined();
  });
  it('is too early one millisecond before the window opens', () => {
    expect(renewalRefusal(candidate, at(-30 * DAY_MS - 1))).toBe('tooEarly');
  });
  it('is still open exactly 365 days after notAfter', () => {
    expect(renewalRefusal(candidate, at(365 * DAY_MS))).toBeUndefined();
  });
  it('is too late one millisecond after the window closes', () => {
    expect(renewalRefusal(candidate, at(365 * DAY_MS + 1))).toBe('tooLate');
  });
  it('allows renewal on the expiry instant itself and after it', () => {
    expect(renewalRefusal(candidate, notAfter)).toBeUndefined();
    expect(renewalRefusal(candidate, at(100 * DAY_MS))).toBeUndefined();
  });
  it('refuses a revoked certificate inside the window', () => {
    expect(renewalRefusal({ ...candidate, isRevoked: true }, at(-1 * DAY_MS))).toBe('revoked');
  });
  it('refuses a certificate that already has a renewal in progress or done', () => {
    expect(renewalRefusal({ ...candidate, hasActiveRenewal: true }, at(-1 * DAY_MS))).toBe('alreadyRenewing');
  });
  it('reports revocation before the window, so the log names the stronger reason', () => {
    expect(renewalRefusal({ ...candidate, isRevoked: true }, at(-200 * DAY_MS))).toBe('revoked');
  });
});

describe(renewalWindowOf.name, () => {
  it('spans from notAfter − 30 d to notAfter + 365 d', () => {
    expect(renewalWindowOf(notAfter)).toEqual({
      opensAt: new Date('2026-12-01T15:00:00Z'),
      closesAt: new Date('2027-12-31T15:00:00Z'),
    });
  });
});

describe(isInRenewalWindow.name, () => {
  it('agrees with renewalRefusal', () => {
    expect(isInRenewalWindow(candidate, at(-10 * DAY_MS))).toBe(true);
    expect(isInRenewalWindow(candidate, at(-40 * DAY_MS))).toBe(false);
  });
});
