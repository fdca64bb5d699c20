import type { CouponBatchRequestCode } from '../../../domain/coupon-batch.js';
import type { FindCouponCode } from '../../../ra/find-coupon.js';
import type { VoidBatchCode, VoidCouponCode } from '../../../ra/void-coupons.js';
import type { Lang } from '../../env.js';

type CouponCode = CouponBatchRequestCode | FindCouponCode | VoidCouponCode | VoidBatchCode;

/** The coupon pages' words (admins). */
export const couponText: Record<
  Lang,
  {
    title: string;
    batches: string;
    batch: string;
    coupon: string;
    createdAt: string;
    partner: string;
    product: string;
    expiresOn: string;
    count: string;
    state: string;
    number: string;
    lookup: string;
    search: string;
    issue: string;
    issueButton: string;
    issued: string;
    download: string;
    voidRest: (n: number) => string;
    voidOne: string;
    voided: string;
    history: string;
    at: string;
    transition: string;
    actor: string;
    application: string;
    expired: string;
    never: string;
    back: string;
    states: Record<'available' | 'locked' | 'consumed' | 'void', string>;
    codes: Record<CouponCode, string>;
  }
> = {
  ja: {
    title: 'クーポン',
    batches: '発行済みのバッチ',
    batch: 'バッチ',
    coupon: 'クーポン',
    createdAt: '発行日時',
    partner: 'パートナー',
    product: '商品',
    expiresOn: '有効期限(この日まで)',
    count: '枚数',
    state: '状態',
    number: 'クーポン番号',
    lookup: 'クーポンの照会',
    search: '照会する',
    issue: 'バッチの発行',
    issueButton: '発行する',
    issued: 'バッチを発行しました。CSVをダウンロードしてパートナーに渡してください。',
    download: 'CSVをダウンロード',
    voidRest: (n) => `未使用の ${n} 枚を無効にする`,
    voidOne: 'このクーポンを無効にする',
    voided: '無効にしました。',
    history: '履歴',
    at: '日時',
    transition: '状態の変化',
    actor: '実行者',
    application: '申請',
    expired: '有効期限切れ',
    never: 'なし',
    back: 'クーポンの一覧へ',
    states: { available: '未使用', locked: 'ロック中', consumed: '使用済み', void: '無効' },
    codes: {
      'couponBatch.partnerRequired': 'パートナー名を入力してください。',
      'couponBatch.partnerTooLong': 'パートナー名は80文字以内で入力してください。',
      'couponBatch.partnerInvalidCharacters': 'パートナー名に使用できない文字が含まれています。',
      'couponBatch.countInvalid': '枚数は数字で入力してください。',
      'couponBatch.countOutOfRange': '枚数は1〜10000枚で指定してください。',
      'couponBatch.productUnknown': '商品を一覧から選択してください。',
      'couponBatch.expiryInvalid': '有効期限を日付で入力してください。',
      'couponBatch.expiryNotAfterToday': '有効期限は明日以降の日付にしてください。',
      'couponBatch.expiryTooFar': '有効期限は5年以内にしてください。',
      'couponBatch.unknown': 'このバッチはありません。',
      'coupon.format': 'クーポン番号は16桁の数字(8桁-8桁)で入力してください。',
      'coupon.checksum': 'クーポン番号に誤りがあります(チェックディジットが合いません)。',
      'coupon.unknown': 'このクーポン番号は登録されていません。',
      'coupon.locked': '申請に使用中(ロック中)のため無効にできません。',
      'coupon.consumed': '使用済みのため無効にできません。',
      'coupon.alreadyVoid': 'すでに無効です。',
    },
  },
  en: {
    title: 'Coupons',
    batches: 'Batches issued',
    batch: 'Batch',
    coupon: 'Coupon',
    createdAt: 'Issued',
    partner: 'Partner',
    product: 'Product',
    expiresOn: 'Valid until (inclusive)',
    count: 'Count',
    state: 'State',
    number: 'Coupon number',
    lookup: 'Look a coupon up',
    search: 'Look up',
    issue: 'Issue a batch',
    issueButton: 'Issue',
    issued: 'Batch issued. Download the CSV for the partner.',
    download: 'Download CSV',
    voidRest: (n) => `Void the ${n} unused`,
    voidOne: 'Void this coupon',
    voided: 'Voided.',
    history: 'History',
    at: 'At',
    transition: 'Change',
    actor: 'Actor',
    application: 'Application',
    expired: 'expired',
    never: 'none',
    back: 'Back to coupons',
    states: { available: 'available', locked: 'locked', consumed: 'consumed', void: 'void' },
    codes: {
      'couponBatch.partnerRequired': 'Enter the partner’s name.',
      'couponBatch.partnerTooLong': 'Keep the partner’s name to 80 characters.',
      'couponBatch.partnerInvalidCharacters': 'The partner’s name contains characters that cannot be used.',
      'couponBatch.countInvalid': 'Enter the count as a number.',
      'couponBatch.countOutOfRange': 'A batch holds 1 to 10000 coupons.',
      'couponBatch.productUnknown': 'Choose a product from the list.',
      'couponBatch.expiryInvalid': 'Enter the expiry as a date.',
      'couponBatch.expiryNotAfterToday': 'The expiry must be tomorrow or later.',
      'couponBatch.expiryTooFar': 'The expiry must be within five years.',
      'couponBatch.unknown': 'No such batch.',
      'coupon.format': 'Enter the 16 digits of the coupon number (8-8).',
      'coupon.checksum': 'The coupon number is wrong (its check digit does not match).',
      'coupon.unknown': 'This coupon number is not registered.',
      'coupon.locked': 'In use by an application (locked): it cannot be voided.',
      'coupon.consumed': 'Used up: it cannot be voided.',
      'coupon.alreadyVoid': 'Already void.',
    },
  },
};
