/**
 * Batches of prepaid coupons issued for a reseller partner (SPEC 2, issue #7): what an
 * admin may ask for, when such a coupon stops being usable, and the CSV file the partner
 * receives. Pure: the caller passes `now`.
 */
import type { CouponState } from './coupon-state.js';
import { formatCouponNumber } from './input/registration.js';
import { isJapanDate, japanDateOf, sameDayYearsLater, startOfNextJapanDay, type JapanDate } from './japan-date.js';
import { fail, ok, type Result } from './result.js';

/** What a coupon pays for. One product for now; the list is what the CLI and console offer. */
export const couponProducts = ['class2-standard'] as const;
export type CouponProduct = (typeof couponProducts)[number];

export const couponBatchLimits = {
  partnerMaxLength: 80,
  countMax: 10_000,
  /** The expiry date may be at most this many years after today (in Japan). */
  expiryMaxYears: 5,
} as const;

export interface CouponBatchRequestInput {
  partner: string;
  /** A number, or the digits an operator typed. */
  count: number | string;
  product: string;
  /** The last day the coupons can be used, in Japan: YYYY-MM-DD. */
  expiresOn: string;
}

export interface CouponBatchRequest {
  partner: string;
  count: number;
  product: CouponProduct;
  expiresOn: JapanDate;
  /** The first instant the coupons can no longer be used: 00:00 in Japan on the day after expiresOn. */
  expiresAt: Date;
}

export const couponBatchRequestCodes = [
  'couponBatch.partnerRequired',
  'couponBatch.partnerTooLong',
  'couponBatch.partnerInvalidCharacters',
  'couponBatch.countInvalid',
  'couponBatch.countOutOfRange',
  'couponBatch.productUnknown',
  'couponBatch.expiryInvalid',
  'couponBatch.expiryNotAfterToday',
  'couponBatch.expiryTooFar',
] as const;
export type CouponBatchRequestCode = (typeof couponBatchRequestCodes)[number];

/** Batch ids are UUIDs (coupon_batches.id); anything else names no batch. */
export function isCouponBatchId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(text);
}

/**
 * Controls (C0, DEL, C1), format characters (bidi overrides, zero-width), line and
 * paragraph separators and lone surrogates: none belongs in a partner's name, each can
 * hide or reorder what an operator or a spreadsheet shows, and PostgreSQL cannot store
 * a lone surrogate.
 */
const forbiddenInPartner = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

const isCouponProduct = (s: string): s is CouponProduct => (couponProducts as readonly string[]).includes(s);

/**
 * Checks an admin's request for a batch. The partner name is only trimmed, never
 * rewritten (as with every name, SPEC 3); its length counts code points. The expiry date
 * must come after today in Japan and at most five years after it.
 */
export function parseCouponBatchRequest(input: CouponBatchRequestInput, now: Date): Result<CouponBatchRequest, CouponBatchRequestCode> {
  const partner = input.partner.trim();
  if (partner === '') return fail('couponBatch.partnerRequired');
  if ([...partner].length > couponBatchLimits.partnerMaxLength) return fail('couponBatch.partnerTooLong');
  if (forbiddenInPartner.test(partner)) return fail('couponBatch.partnerInvalidCharacters');

  const count = countOf(input.count);
  if (count === undefined) return fail('couponBatch.countInvalid');
  if (count < 1 || count > couponBatchLimits.countMax) return fail('couponBatch.countOutOfRange');

  const product = input.product.trim();
  if (!isCouponProduct(product)) return fail('couponBatch.productUnknown');

  const expiresOn = input.expiresOn.trim();
  if (!isJapanDate(expiresOn)) return fail('couponBatch.expiryInvalid');
  const today = japanDateOf(now);
  // YYYY-MM-DD strings compare in date order.
  if (expiresOn <= today) return fail('couponBatch.expiryNotAfterToday');
  if (expiresOn > sameDayYearsLater(today, couponBatchLimits.expiryMaxYears)) return fail('couponBatch.expiryTooFar');

  return ok({ partner, count, product, expiresOn, expiresAt: couponExpiresAt(expiresOn) });
}

function countOf(count: number | string): number | undefined {
  if (typeof count === 'number') return Number.isSafeInteger(count) ? count : undefined;
  const digits = count.trim();
  // Digits only: no sign, exponent, decimal point or hex, which Number() would all accept.
  return /^\d{1,9}$/u.test(digits) ? Number(digits) : undefined;
}

/**
 * A coupon valid "until 2027-03-31" is usable through that whole day in Japan: it stops
 * at 2027-04-01 00:00 JST, the instant stored in coupons.expires_at.
 */
export function couponExpiresAt(expiresOn: JapanDate): Date {
  return startOfNextJapanDay(expiresOn);
}

/** The last day a coupon can be used, in Japan, from its stored expiry instant. */
export function couponExpiryDateOf(expiresAt: Date): JapanDate {
  return japanDateOf(new Date(expiresAt.getTime() - 1));
}

// ---------------------------------------------------------------------------
// The partner's CSV file

/** The header row: the partner's staff read Japanese; a stable layout their imports can rely on. */
export const couponCsvHeader = ['クーポン番号', 'パートナー', '商品', '有効期限', '状態'] as const;

export interface CouponCsvRow {
  /** 16 digits; written 8-8 as on the printed coupon (and so that a spreadsheet keeps it text). */
  number: string;
  partner: string;
  product: string;
  expiresAt: Date;
  /** The ledger state as its code ('available', 'void', …): stable for the partner's imports. */
  state: CouponState;
}

/**
 * A cell a spreadsheet would run as a formula (= + - @) or whose leading tab or carriage
 * return it would strip to find one: prefixed with an apostrophe, so it stays text
 * (OWASP "CSV injection").
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/u.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180: a cell with a comma, a double quote or a line break is quoted, its quotes doubled. */
export function quoteCsvCell(cell: string): string {
  return /[",\r\n]/u.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The batch as the partner receives it: UTF-8 with a byte-order mark (so Excel on a
 * Japanese Windows reads it as UTF-8, not Shift_JIS), CRLF line ends (RFC 4180), one
 * row per coupon after the header.
 */
export function writeCouponBatchCsv(rows: readonly CouponCsvRow[]): Uint8Array {
  const lines = [
    couponCsvHeader.map(quoteCsvCell).join(','),
    ...rows.map((r) =>
      [formatCouponNumber(r.number), r.partner, r.product, couponExpiryDateOf(r.expiresAt), r.state]
        .map((cell) => quoteCsvCell(neutraliseFormula(cell)))
        .join(','),
    ),
  ];
  return new TextEncoder().encode(`\uFEFF${lines.map((line) => `${line}\r\n`).join('')}`);
}
