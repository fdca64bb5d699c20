import { describe, expect, it } from 'vitest';
import { canonicalAcceptanceNumber, formatAcceptanceNumber } from '../../src/domain/acceptance-number.js';
import { BITS_PER_CODE_CHARACTER, canonicalCertificateCode, CERTIFICATE_CODE_LENGTH, formatCertificateCode } from '../../src/domain/certificate-code.js';

describe(formatCertificateCode.name, () => {
  it('makes six groups of four Crockford base32 characters: 120 bits, a Random Value (S/MIME BR 1.6.1: 112+)', () => {
    const code = formatCertificateCode(new Uint8Array(24).map((_, i) => i * 13));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    expect(CERTIFICATE_CODE_LENGTH * BITS_PER_CODE_CHARACTER).toBeGreaterThanOrEqual(112);
  });
  it('needs 24 random bytes', () => {
    expect(() => formatCertificateCode(new Uint8Array(20))).toThrow('need 24 random bytes');
  });
});

describe(canonicalCertificateCode.name, () => {
  const code = formatCertificateCode(new Uint8Array(24).map((_, i) => i * 7 + 3));
  const compact = code.replace(/-/g, '');
  it('accepts the code as mailed', () => {
    expect(canonicalCertificateCode(code)).toBe(compact);
  });
  it('forgives case, spaces, full-width characters and other dashes', () => {
    const fullWidth = code.toLowerCase().replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).replace(/－/g, 'ー');
    expect(canonicalCertificateCode(` ${fullWidth} `)).toBe(compact);
  });
  it('reads I and L as 1 and O as 0', () => {
    expect(canonicalCertificateCode('IL0O-0000-0000-0000-0000')).toBe('11000000000000000000');
  });
  it('still reads the 20-character codes mailed before codes grew', () => {
    expect(canonicalCertificateCode('ABCD-EFGH-JKMN-PQRS-TVWX')).toBe('ABCDEFGHJKMNPQRSTVWX');
  });
  it('rejects a code of the wrong length or alphabet', () => {
    expect(canonicalCertificateCode('ABCD-EFGH-JKMN-PQRS-TVWX-YZ')).toBeUndefined();
    expect(canonicalCertificateCode('ABCD')).toBeUndefined();
    expect(canonicalCertificateCode('UUUU-UUUU-UUUU-UUUU-UUUU')).toBeUndefined();
  });
});

describe(formatAcceptanceNumber.name, () => {
  it('prefixes the kind and uses the date in Japan', () => {
    // 2026-11-27 20:00 UTC is already 28 November in Tokyo.
    expect(formatAcceptanceNumber('renewal', new Date('2026-11-27T20:00:00Z'), '004217')).toBe('U261128-004217');
    expect(formatAcceptanceNumber('new', new Date('2026-11-27T10:00:00Z'), '999999')).toBe('N261127-999999');
  });
  it('refuses anything but six digits', () => {
    expect(() => formatAcceptanceNumber('new', new Date('2026-11-27T10:00:00Z'), '12345')).toThrow();
  });
});

describe(canonicalAcceptanceNumber.name, () => {
  it('forgives full-width input and long dashes', () => {
    expect(canonicalAcceptanceNumber(' ｕ２６１１２７ー００４２１７ ')).toBe('U261127-004217');
  });
});
