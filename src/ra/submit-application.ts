import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { formatAcceptanceNumber } from '../domain/acceptance-number.js';
import { finalAtFor } from '../domain/application-state.js';
import { renewalRefusal } from '../domain/renewal-window.js';
import { findApplicationBySubmissionKey, insertProvisionalApplication, type ApplicationRow } from '../store/application-store.js';
import { appendAudit } from '../store/audit-store.js';
import { findCandidates, findSubscriberRegistration, lockCertificateForRenewal } from '../store/certificate-store.js';
import { lockAvailableCoupon } from '../store/coupon-store.js';
import { isUniqueViolation } from '../store/errors.js';
import type { RegistrationJson } from '../store/schema/tables.js';
import { queueApplicationMail } from './application-mail.js';
import { answerCouponRefusal, couponRefusalOf, type CouponAnswerCode, type CouponRefusalCode } from './coupon-answers.js';
import type { RaDeps } from './deps.js';
import { hashCancelToken } from './find-own-application.js';
import { prepareRegistration, type FormErrors } from './prepare-registration.js';
import { isSubmissionAllowed } from './submission-limit.js';

interface CommonSubmission {
  /** The draft's form values, as 「次へ」 accepted them: the RA reads them again here. */
  values: Readonly<Record<string, string>>;
  /** A password typed in this draft; none on a renewal keeps the current one. */
  draftPassword: string | undefined;
  /** The page language: the application's mails follow it. */
  lang: 'ja' | 'en';
  /** The confirmation screen's one-time key: a replayed POST finds the first application. */
  submissionKey: string;
  clientKey: string;
}

export interface RenewalSubmission extends CommonSubmission {
  kind: 'renewal';
  subscriberId: string;
  certificateId: string;
}

export interface NewApplicationSubmission extends CommonSubmission {
  kind: 'new';
}

export type ApplicationSubmission = RenewalSubmission | NewApplicationSubmission;

export type SubmissionCode = CouponAnswerCode | 'renewal.notAvailable' | 'submission.rateLimited';

export type SubmissionResult =
  | { ok: true; value: ApplicationRow }
  | { ok: false; code: SubmissionCode }
  | { ok: false; code: 'form.invalid'; errors: FormErrors };

/** Inside the transaction a refused coupon is only noted; the answer is chosen after it (coupon-answers.ts). */
type CouponRefusal = { ok: false; code: 'coupon.refused'; refusal: CouponRefusalCode };

/**
 * SPEC 1.1 steps 5–6 and 1.2: lock the coupon and record the provisional application in
 * one transaction, with its mail in the outbox. A double click, a reload or a replayed
 * POST carries the same submission key and gets the application the first one made.
 */
export async function submitApplication(deps: RaDeps, input: ApplicationSubmission): Promise<SubmissionResult> {
  // Step 1: a replay costs neither a hash nor a limit.
  const replayed = await findApplicationBySubmissionKey(deps.db, input.submissionKey);
  if (replayed !== undefined) return { ok: true, value: replayed };
  if (!(await isSubmissionAllowed(deps, input.clientKey))) return { ok: false, code: 'submission.rateLimited' };

  // Step 2: the RA reads the draft again, names from the stored registration.
  const stored = input.kind === 'renewal' ? await findSubscriberRegistration(deps.db, input.subscriberId) : undefined;
  if (input.kind === 'renewal' && stored === undefined) return { ok: false, code: 'renewal.notAvailable' };
  const prepared = prepareRegistration({ kind: input.kind, raw: input.values, stored: stored?.registration, draftPassword: input.draftPassword });
  if (!prepared.ok) return { ok: false, code: 'form.invalid', errors: prepared.errors };
  const { registration, couponNumber, password } = prepared.value;

  // Step 3: the one argon2 hash of this application, outside the transaction (issue #6 defect 6).
  const newPasswordHash = password.kind === 'new' ? await deps.passwords.hash(password.value) : undefined;
  const now = deps.clock.now();
  const actor = input.kind === 'renewal' ? `subscriber:${input.subscriberId}` : 'applicant';
  const cancelToken = randomBytes(32).toString('base64url');
  let result: SubmissionResult | CouponRefusal;
  try {
    result = await deps.db.transaction(async (tx): Promise<SubmissionResult | CouponRefusal> => {
      const twinOr = async <R extends SubmissionResult | CouponRefusal>(refusal: R): Promise<SubmissionResult | R> => {
        // A concurrent twin of this very submission may have won while we waited.
        const twin = await findApplicationBySubmissionKey(tx, input.submissionKey);
        return twin !== undefined ? { ok: true, value: twin } : refusal;
      };

      let passwordHash: string;
      if (input.kind === 'renewal') {
        // Step 4: hold the certificate, so concurrent renewals of it queue here.
        const held = await lockCertificateForRenewal(tx, input.certificateId, input.subscriberId);
        if (held === undefined) return twinOr({ ok: false, code: 'renewal.notAvailable' });
        // Step 5: the window and "no other renewal" are checked again inside the transaction.
        const [candidate] = await findCandidates(tx, [input.certificateId]);
        if (candidate === undefined || stored === undefined) return twinOr({ ok: false, code: 'renewal.notAvailable' });
        const refusal = renewalRefusal({ notAfter: candidate.notAfter, isRevoked: candidate.status === 'revoked', hasActiveRenewal: candidate.hasActiveRenewal }, now);
        if (refusal !== undefined) {
          deps.log.info({ event: 'renewal.submit.refused', reason: refusal }, 'renewal refused');
          return twinOr({ ok: false, code: 'renewal.notAvailable' });
        }
        passwordHash = newPasswordHash ?? stored.passwordHash;
      } else {
        if (newPasswordHash === undefined) throw new Error('a new application prepared without a password');
        passwordHash = newPasswordHash;
      }

      // Step 6: lock the coupon; the conditional update admits exactly one caller.
      const applicationId = randomUUID();
      const coupon = await lockAvailableCoupon(tx, couponNumber, applicationId, now, actor);
      if (coupon === undefined) {
        const refusal = (await couponRefusalOf(tx, couponNumber, now)) ?? 'coupon.locked';
        return twinOr({ ok: false, code: 'coupon.refused', refusal });
      }

      // Step 7: the provisional application, final one hour later unless cancelled.
      const reg = registration as unknown as RegistrationJson;
      const application = await insertProvisionalApplication(tx, {
        id: applicationId,
        kind: input.kind,
        acceptanceNumber: formatAcceptanceNumber(input.kind, now, String(randomInt(0, 1_000_000)).padStart(6, '0')),
        submissionKey: input.submissionKey,
        subscriberId: input.kind === 'renewal' ? input.subscriberId : null,
        renewsCertificateId: input.kind === 'renewal' ? input.certificateId : null,
        couponId: coupon.id,
        email: registration.email,
        lang: input.lang,
        registration: reg,
        passwordHash,
        provisionalAt: now,
        finalAt: finalAtFor(now),
        cancelTokenHash: hashCancelToken(cancelToken),
      });
      await appendAudit(tx, {
        at: now,
        actor,
        action: 'application.provisionallyAccepted',
        subjectType: 'application',
        subjectId: application.id,
        after: { kind: input.kind, acceptanceNumber: application.acceptanceNumber, renewsCertificateId: application.renewsCertificateId, couponId: coupon.id },
      });
      await queueApplicationMail(
        tx,
        deps.site,
        { ...application, registration: reg },
        { template: 'application.provisional', provisionalAt: application.provisionalAt, finalAt: application.finalAt, cancelUrl: `${deps.site.publicUrl}/cancel/link/${cancelToken}` },
        now,
      );
      return { ok: true, value: application };
    });
  } catch (error) {
    // Two twins that both got past every guard: the unique key keeps one.
    if (isUniqueViolation(error, 'applications_submission_key_key')) {
      const twin = await findApplicationBySubmissionKey(deps.db, input.submissionKey);
      if (twin !== undefined) return { ok: true, value: twin };
    }
    if (isUniqueViolation(error, 'applications_one_renewal_per_certificate')) return { ok: false, code: 'renewal.notAvailable' };
    if (isUniqueViolation(error, 'applications_acceptance_number_key')) return submitApplication(deps, input);
    throw new Error(`submitting a ${input.kind} application`, { cause: error });
  }
  if (!result.ok && result.code === 'coupon.refused') return { ok: false, code: await answerCouponRefusal(deps, result.refusal) };
  if (result.ok) deps.log.info({ event: 'application.submitted', kind: input.kind, applicationId: result.value.id }, 'application provisionally accepted');
  return result;
}
