import type { FieldName } from '../domain/input/registration.js';
import { findSubscriberRegistration } from '../store/certificate-store.js';
import { checkCoupon, type CouponAnswerCode } from './coupon-answers.js';
import type { CoreDeps } from './deps.js';
import { prepareRegistration, type ApplicationKindOfForm, type FormErrors, type PasswordChoice } from './prepare-registration.js';

export interface ApplicationFormReview {
  kind: ApplicationKindOfForm;
  raw: Readonly<Record<string, string | undefined>>;
  /** Renewal: whose registration the form edits. */
  subscriberId?: string | undefined;
  draftPassword: string | undefined;
  clientKey: string;
}

export type ReviewResult =
  | { ok: true; value: { values: Record<FieldName, string>; password: PasswordChoice } }
  | { ok: false; code: 'form.invalid'; errors: FormErrors | Partial<Record<FieldName, CouponAnswerCode>>; values: Record<FieldName, string> }
  | { ok: false; code: 'renewal.notAvailable' | 'coupon.rateLimited' };

/**
 * 「次へ」 (SPEC 1.1 steps 4–5, 1.2): the form read by the RA, and its coupon checked —
 * a read, no lock — so a locked, used or void coupon is named here and not only at
 * 「送信」 (issue #6). Nothing is hashed here: the password is hashed once, at 「送信」.
 */
export async function reviewApplicationForm(deps: CoreDeps, input: ApplicationFormReview): Promise<ReviewResult> {
  let stored;
  if (input.kind === 'renewal') {
    stored = input.subscriberId === undefined ? undefined : await findSubscriberRegistration(deps.db, input.subscriberId);
    if (stored === undefined) return { ok: false, code: 'renewal.notAvailable' };
  }
  const prepared = prepareRegistration({ kind: input.kind, raw: input.raw, stored: stored?.registration, draftPassword: input.draftPassword });
  if (!prepared.ok) return prepared;
  const coupon = await checkCoupon(deps, { couponNumber: prepared.value.couponNumber, clientKey: input.clientKey });
  if (!coupon.ok) {
    if (coupon.code === 'coupon.rateLimited') return { ok: false, code: 'coupon.rateLimited' };
    return { ok: false, code: 'form.invalid', errors: { couponPart1: coupon.code }, values: prepared.values };
  }
  return { ok: true, value: { values: prepared.values, password: prepared.value.password } };
}
