import { describe, expect, it } from 'vitest';
import { certificateStanding } from '../../src/domain/certificate-standing.js';

describe(certificateStanding.name, () => {
  const notAfter = new Date('2027-06-20T00:53:00Z');
  it('is valid through notAfter itself, expired a millisecond later, and revoked whenever it was revoked', () => {
    expect(certificateStanding({ status: 'valid', notAfter }, notAfter)).toBe('valid');
    expect(certificateStanding({ status: 'valid', notAfter }, new Date(notAfter.getTime() + 1))).toBe('expired');
    expect(certificateStanding({ status: 'revoked', notAfter }, new Date(notAfter.getTime() - 1))).toBe('revoked');
    expect(certificateStanding({ status: 'revoked', notAfter }, new Date(notAfter.getTime() + 1))).toBe('revoked');
  });
});
