import { describe, expect, it } from 'vitest';
import { crlReasonCodes, isRevocationReason, isSubscriberRevocationReason, reasonCodeOf, subscriberRevocationReasons } from '../../src/domain/revocation-reason.js';

describe(isSubscriberRevocationReason.name, () => {
  it('allows the reasons a subscriber certificate is revoked for, never certificateHold or the CA ones', () => {
    expect(subscriberRevocationReasons.map((reason) => crlReasonCodes[reason])).toEqual([0, 1, 3, 4, 5, 9]);
    for (const reason of ['certificateHold', 'cACompromise', 'aACompromise', 'removeFromCRL', 'toString', 'constructor', '']) {
      expect(isSubscriberRevocationReason(reason), reason).toBe(false);
    }
  });
});

describe(reasonCodeOf.name, () => {
  it('writes no code for unspecified, for nothing stored, or for a name it does not know', () => {
    expect(reasonCodeOf('keyCompromise')).toBe(1);
    expect(reasonCodeOf('privilegeWithdrawn')).toBe(9);
    expect(reasonCodeOf('unspecified')).toBeUndefined();
    expect(reasonCodeOf(null)).toBeUndefined();
    expect(reasonCodeOf('hasOwnProperty')).toBeUndefined();
    expect(isRevocationReason('hasOwnProperty')).toBe(false);
  });
});
