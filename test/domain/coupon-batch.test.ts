import { describe, expect, it } from 'vitest';
import {
  couponBatchLimits,
  couponExpiresAt,
  couponExpiryDateOf,
  isCouponBatchId,
  neutraliseFormula,
  parseCouponBatchRequest,
  quoteCsvCell,
  writeCouponBatchCsv,
  type CouponBatchRequestInput,
} from '../../src/domain/coupon-batch.js';

// 2026-11-27 10:00 in Japan.
const now = new Date('2026-11-27T01:00:00Z');
const valid: CouponBatchRequestInput = { partner: '株式会社みなと販売', count: 500, product: 'class2-standard', expiresOn: '2027-03-31' };
const parse = (overrides: Partial<CouponBatchRequestInput>, at = now) => parseCouponBatchRequest({ ...valid, ...overrides }, at);
const codeOf = (overrides: Partial<CouponBatchRequestInput>, at = now) => {
  const result = parse(overrides, at);
  return result.ok ? 'ok' : result.code;
};

describe(parseCouponBatchRequest.name, () => {
  it('accepts a request and fixes the expiry instant at the end of the expiry date in Japan', () => {
    expect(parse({})).toEqual({
      ok: true,
      value: { partner: '株式会社みなと販売', count: 500, product: 'class2-standard', expiresOn: '2027-03-31', expiresAt: new Date('2027-03-31T15:00:00Z') },
    });
  });

  it('trims the partner name but never rewrites it', () => {
    const result = parse({ partner: '  髙橋商店\u3000' });
    expect(result.ok && result.value.partner).toBe('髙橋商店');
    const compatibility = parse({ partner: '\uFA11山商会' }); // 﨑 stays U+FA11
    expect(compatibility.ok && compatibility.value.partner).toBe('\uFA11山商会');
  });

  it('wants a partner name of 1 to 80 characters, counting code points', () => {
    expect(codeOf({ partner: '' })).toBe('couponBatch.partnerRequired');
    expect(codeOf({ partner: ' \u3000 ' })).toBe('couponBatch.partnerRequired');
    expect(codeOf({ partner: 'a' })).toBe('ok');
    expect(codeOf({ partner: '𠮷'.repeat(couponBatchLimits.partnerMaxLength) })).toBe('ok');
    expect(codeOf({ partner: 'a'.repeat(couponBatchLimits.partnerMaxLength + 1) })).toBe('couponBatch.partnerTooLong');
  });

  it.each([
    ['a tab', 'みなと\t販売'],
    ['a line feed', 'みなと\n販売'],
    ['NUL', 'みなと\u0000販売'],
    ['DEL', 'みなと\u007F販売'],
    ['a C1 control', 'みなと\u0085販売'],
    ['a right-to-left override', 'みなと\u202E販売'],
    ['a zero-width space', 'みなと\u200B販売'],
    ['a line separator', 'みなと\u2028販売'],
    ['a lone surrogate', 'みなと\uD800販売'],
  ])('refuses a partner name with %s', (_what, partner) => {
    expect(codeOf({ partner })).toBe('couponBatch.partnerInvalidCharacters');
  });

  it('accepts a count from 1 to 10000, as a number or as digits', () => {
    expect(codeOf({ count: 1 })).toBe('ok');
    expect(codeOf({ count: 10_000 })).toBe('ok');
    expect(codeOf({ count: ' 250 ' })).toBe('ok');
    expect(codeOf({ count: 0 })).toBe('couponBatch.countOutOfRange');
    expect(codeOf({ count: '0' })).toBe('couponBatch.countOutOfRange');
    expect(codeOf({ count: 10_001 })).toBe('couponBatch.countOutOfRange');
    expect(codeOf({ count: -5 })).toBe('couponBatch.countOutOfRange');
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, '1e3', '0x10', '+5', '-5', '5.0', '', 'ten', '１０', '9999999999'])('refuses the count %j', (count) => {
    expect(codeOf({ count })).toMatch(/^couponBatch\.count/);
  });

  it('offers only the listed products', () => {
    expect(codeOf({ product: 'class2-standard' })).toBe('ok');
    expect(codeOf({ product: 'class3-premium' })).toBe('couponBatch.productUnknown');
    expect(codeOf({ product: 'Class2-Standard' })).toBe('couponBatch.productUnknown');
  });

  it.each(['2027-02-29', '2027-3-31', '2027/03/31', '31.03.2027', '2027-03-31T00:00', ''])('refuses the expiry date %j', (expiresOn) => {
    expect(codeOf({ expiresOn })).toBe('couponBatch.expiryInvalid');
  });

  it('wants an expiry date after today in Japan', () => {
    expect(codeOf({ expiresOn: '2026-11-27' })).toBe('couponBatch.expiryNotAfterToday');
    expect(codeOf({ expiresOn: '2026-11-26' })).toBe('couponBatch.expiryNotAfterToday');
    expect(codeOf({ expiresOn: '2026-11-28' })).toBe('ok');
    // 23:59:59.999 on 27 November in Japan is still the 27th; a moment later the 28th is today.
    expect(codeOf({ expiresOn: '2026-11-28' }, new Date('2026-11-27T14:59:59.999Z'))).toBe('ok');
    expect(codeOf({ expiresOn: '2026-11-28' }, new Date('2026-11-27T15:00:00Z'))).toBe('couponBatch.expiryNotAfterToday');
  });

  it('wants it within five years of today in Japan, exactly five years included', () => {
    expect(codeOf({ expiresOn: '2031-11-27' })).toBe('ok');
    expect(codeOf({ expiresOn: '2031-11-28' })).toBe('couponBatch.expiryTooFar');
    // From 29 February the last day is 28 February five years on.
    const leapDay = new Date('2028-02-29T01:00:00Z');
    expect(codeOf({ expiresOn: '2033-02-28' }, leapDay)).toBe('ok');
    expect(codeOf({ expiresOn: '2033-03-01' }, leapDay)).toBe('couponBatch.expiryTooFar');
  });

  it('checks the partner first, then count, product and expiry', () => {
    expect(codeOf({ partner: '', count: 0, product: 'x', expiresOn: 'x' })).toBe('couponBatch.partnerRequired');
    expect(codeOf({ count: 0, product: 'x', expiresOn: 'x' })).toBe('couponBatch.countOutOfRange');
    expect(codeOf({ product: 'x', expiresOn: 'x' })).toBe('couponBatch.productUnknown');
  });
});

describe(couponExpiresAt.name, () => {
  it('is 00:00 in Japan on the day after the expiry date', () => {
    expect(couponExpiresAt('2027-03-31').toISOString()).toBe('2027-03-31T15:00:00.000Z');
  });
  it('gives back the expiry date through couponExpiryDateOf', () => {
    for (const date of ['2027-03-31', '2027-12-31', '2028-02-29', '2030-01-01']) {
      expect(couponExpiryDateOf(couponExpiresAt(date))).toBe(date);
    }
  });
});

describe(neutraliseFormula.name, () => {
  it.each(['=1+1', '+81 3', '-2', '@SUM(A1)', '\tx', '\rx'])('puts an apostrophe before %j', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });
  it.each(['みなと販売', 'A=B', '12345678-12345678', ' =1', ''])('leaves %j alone', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });
});

describe(quoteCsvCell.name, () => {
  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(quoteCsvCell('a,b')).toBe('"a,b"');
    expect(quoteCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(quoteCsvCell('plain')).toBe('plain');
  });
});

describe(writeCouponBatchCsv.name, () => {
  const expiresAt = couponExpiresAt('2027-03-31');
  const rows = [
    { number: '1234567812345670', partner: 'みなと販売, 横浜', product: 'class2-standard', expiresAt, state: 'available' as const },
    { number: '4111111111111111', partner: '=HYPERLINK("http://x","y")', product: 'class2-standard', expiresAt, state: 'void' as const },
  ];

  it('writes UTF-8 with a byte-order mark and CRLF line ends', () => {
    const bytes = writeCouponBatchCsv(rows);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/u);
  });

  it('has the header, then one row per coupon with the number 8-8 and the expiry date', () => {
    const text = new TextDecoder().decode(writeCouponBatchCsv(rows));
    expect(text.split('\r\n')).toEqual([
      'クーポン番号,パートナー,商品,有効期限,状態',
      '12345678-12345670,"みなと販売, 横浜",class2-standard,2027-03-31,available',
      `41111111-11111111,"'=HYPERLINK(""http://x"",""y"")",class2-standard,2027-03-31,void`,
      '',
    ]);
  });

  it('writes only the header for an empty batch', () => {
    expect(new TextDecoder().decode(writeCouponBatchCsv([]))).toBe('クーポン番号,パートナー,商品,有効期限,状態\r\n');
  });
});

describe(isCouponBatchId.name, () => {
  it('takes a UUID in either case, and nothing else', () => {
    expect(isCouponBatchId('9d6ec3f4-30ad-4294-9ea8-5b7fdb925850')).toBe(true);
    expect(isCouponBatchId('9D6EC3F4-30AD-4294-9EA8-5B7FDB925850')).toBe(true);
    for (const text of ['', 'nope', '9d6ec3f430ad42949ea85b7fdb925850', '9d6ec3f4-30ad-4294-9ea8-5b7fdb92585', ' 9d6ec3f4-30ad-4294-9ea8-5b7fdb925850', "x' or '1'='1"]) {
      expect(isCouponBatchId(text)).toBe(false);
    }
  });
});
