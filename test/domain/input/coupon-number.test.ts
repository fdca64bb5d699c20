import { describe, expect, it } from 'vitest';
import {
  couponNumberFromParts,
  couponNumberFromText,
  formatCouponNumber,
  isValidCouponChecksum,
  makeCouponNumber,
} from '../../../src/domain/input/registration.js';

describe(isValidCouponChecksum.name, () => {
  it.each(['4111111111111111', '5555555555554444', '0000000000000000', '1234567812345670'])(
    'accepts %s, whose last digit is its Luhn check digit',
    (digits) => {
      expect(isValidCouponChecksum(digits)).toBe(true);
    },
  );

  it('rejects a number with any single digit changed', () => {
    const valid = '4111111111111111';
    for (let i = 0; i < valid.length; i += 1) {
      const d = Number(valid[i]);
      const changed = `${valid.slice(0, i)}${(d + 1) % 10}${valid.slice(i + 1)}`;
      expect(isValidCouponChecksum(changed)).toBe(false);
    }
  });

  it('rejects two swapped neighbouring digits', () => {
    expect(isValidCouponChecksum('1234567812345670')).toBe(true);
    expect(isValidCouponChecksum('2134567812345670')).toBe(false);
  });

  it.each(['411111111111111', '41111111111111111', '4111-1111-1111-1111', '411111111111111a', ''])(
    'rejects %s, which is not 16 digits',
    (digits) => {
      expect(isValidCouponChecksum(digits)).toBe(false);
    },
  );
});

describe(makeCouponNumber.name, () => {
  it('appends the Luhn check digit to 15 digits', () => {
    expect(makeCouponNumber('411111111111111')).toBe('4111111111111111');
    expect(makeCouponNumber('123456781234567')).toBe('1234567812345670');
    expect(makeCouponNumber('000000000000000')).toBe('0000000000000000');
  });

  it('makes numbers that pass the checksum', () => {
    for (const payload of ['987654321098765', '100000000000000', '999999999999999', '314159265358979']) {
      const number = makeCouponNumber(payload);
      expect(number).toHaveLength(16);
      expect(number.startsWith(payload)).toBe(true);
      expect(isValidCouponChecksum(number)).toBe(true);
    }
  });

  it.each(['12345678901234', '1234567890123456', '12345678901234a'])('throws for %s, which is not 15 digits', (payload) => {
    expect(() => makeCouponNumber(payload)).toThrow();
  });
});

describe(couponNumberFromParts.name, () => {
  it('joins two boxes of 8 digits after normalising them', () => {
    expect(couponNumberFromParts('41111111', '11111111')).toBe('4111111111111111');
    expect(couponNumberFromParts('４１１１-１１１１', ' 1111 1111 ')).toBe('4111111111111111');
  });

  it('returns undefined unless both boxes hold 8 digits', () => {
    expect(couponNumberFromParts('4111111', '11111111')).toBeUndefined();
    expect(couponNumberFromParts('41111111', '')).toBeUndefined();
  });
});

describe(couponNumberFromText.name, () => {
  it.each(['1234567812345670', '12345678-12345670', '１２３４５６７８－１２３４５６７０', ' 12345678 12345670 ', '1234-5678-1234-5670', '12345678ー12345670'])(
    'reads %j as 1234567812345670',
    (text) => {
      expect(couponNumberFromText(text)).toBe('1234567812345670');
    },
  );

  it.each(['', '123456781234567', '12345678123456701', '12345678_12345670', '1234567a12345670'])('refuses %j, which is not 16 digits', (text) => {
    expect(couponNumberFromText(text)).toBeUndefined();
  });
});

describe(formatCouponNumber.name, () => {
  it('shows 16 digits as two groups of 8 joined by a hyphen', () => {
    expect(formatCouponNumber('1234567812345670')).toBe('12345678-12345670');
  });

  it('throws for anything but 16 digits', () => {
    expect(() => formatCouponNumber('12345678-12345670')).toThrow();
  });
});
