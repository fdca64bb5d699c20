import { randomInt, randomUUID } from 'node:crypto';
import { formatAcceptanceNumber } from '../domain/acceptance-number.js';
import { finalAtFor } from '../domain/application-state.js';
import { couponUnusableCode } from '../domain/coupon-state.js';
import { renewalRefusal } from '../domain/renewal-window.js';
import {
  findApplicationBySubmissionKey,
  insertProvisionalApplication,
  type ApplicationRow,
} from '../store/application-store.js';
import { appendAudit } from '../store/audit-store.js';
import { findCandidates, findSubscriberRegistration, lockCertificateForRenewal } from '../store/certificate-store.js';
import { findCouponByNumber, lockAvailableCoupon } from '../store/coupon-store.js';
import { isUniqueViolation } from '../store/errors.js';
import type { RegistrationJson } from '../store/schema/tables.js';
import { queueApplicationMail } from './application-mail.js';
import type { RaDeps } from './deps.js';

interface CommonSubmission {
  couponNumber: string;
  /** The page language: the application's mails follow it. */
  lang?: 'ja' | 'en';
  /** The confirmation screen's one-time key: a replayed POST finds the first application. */
  submissionKey: string;
}

export interface RenewalSubmission extends CommonSubmission {
  kind: 'renewal';
  subscriberId: string;
  certificateId: string;
  /** The registration as validated, with the locked names already taken from the stored one. */
  registration: RegistrationJson;
  /** A new application password's hash, or undefined to keep the current one. */
  newPasswordHash: string | undefined;
}

export interface NewApplicationSubmission extends CommonSubmission {
  kind: 'new';
  registration: RegistrationJson;
  passwordHash: string;
}

export type ApplicationSubmission = RenewalSubmission | NewApplicationSubmission;

export type SubmissionCode = 'coupon.unknown' | 'coupon.locked' | 'coupon.consumed' | 'coupon.void' | 'renewal.notAvailable';

export type SubmissionResult = { ok: true; value: ApplicationRow } | { ok: false; code: SubmissionCode };

/**
 * SPEC 1.1 steps 5–6 and 1.2: lock the coupon and record the provisional application
 * in one transaction, with its mail in the outbox. A double click, a reload or a
 * replayed POST carries the same submission key and gets the application the first
 * one made.
 */
export async function submitApplication(deps: RaDeps, input: ApplicationSubmission): Promise<SubmissionResult> {
  const now = deps.clock.now();
  const actor = input.kind === 'renewal' ? `subscriber:${input.subscriberId}` : 'applicant';
  let result: SubmissionResult;
  try {
    result = await deps.db.transaction(async (tx) => {
      const replayed = await findApplicationBySubmissionKey(tx, input.submissionKey);
      if (replayed !== undefined) return { ok: true, value: replayed };

      const refuse = async (code: SubmissionCode): Promise<SubmissionResult> => {
        // A concurrent twin of this very submission may have won while we waited.
        const twin = await findApplicationBySubmissionKey(tx, input.submissionKey);
        return twin !== undefined ? { ok: true, value: twin } : { ok: false, code };
      };

      let passwordHash: string;
      if (input.kind === 'renewal') {
        // Step 1: hold the certificate, so concurrent renewals of it queue here.
        const held = await lockCertificateForRenewal(tx, input.certificateId, input.subscriberId);
        if (held === undefined) return refuse('renewal.notAvailable');
        // Step 2: the window and "no other renewal" are checked again inside the transaction.
        const [candidate] = await findCandidates(tx, [input.certificateId]);
        const subscriber = await findSubscriberRegistration(tx, input.subscriberId);
        if (candidate === undefined || subscriber === undefined) return refuse('renewal.notAvailable');
        const refusal = renewalRefusal(
          { notAfter: candidate.notAfter, isRevoked: candidate.status === 'revoked', hasActiveRenewal: candidate.hasActiveRenewal },
          now,
        );
        if (refusal !== undefined) {
          deps.log.info({ event: 'renewal.submit.refused', reason: refusal }, 'renewal refused');
          return refuse('renewal.notAvailable');
        }
        passwordHash = input.newPasswordHash ?? subscriber.passwordHash;
      } else {
        passwordHash = input.passwordHash;
      }

      // Step 3: lock the coupon; the conditional update admits exactly one caller.
      const applicationId = randomUUID();
      const coupon = await lockAvailableCoupon(tx, input.couponNumber, applicationId, now, actor);
      if (coupon === undefined) {
        const existing = await findCouponByNumber(tx, input.couponNumber);
        return refuse(existing === undefined ? 'coupon.unknown' : (couponUnusableCode(existing.state) ?? 'coupon.locked'));
      }

      // Step 4: the provisional application, final one hour later unless cancelled.
      const email = input.registration['email'];
      if (email === undefined) throw new Error('a validated registration without an email address');
      const application = await insertProvisionalApplication(tx, {
        id: applicationId,
        kind: input.kind,
        acceptanceNumber: formatAcceptanceNumber(input.kind, now, String(randomInt(0, 1_000_000)).padStart(6, '0')),
        submissionKey: input.submissionKey,
        subscriberId: input.kind === 'renewal' ? input.subscriberId : null,
        renewsCertificateId: input.kind === 'renewal' ? input.certificateId : null,
        couponId: coupon.id,
        email,
        lang: input.lang ?? 'ja',
        registration: input.registration,
        passwordHash,
        provisionalAt: now,
        finalAt: finalAtFor(now),
      });
      await appendAudit(tx, {
        at: now,
        actor,
        action: 'application.provisionallyAccepted',
        subjectType: 'application',
        subjectId: application.id,
        after: {
          kind: input.kind,
          acceptanceNumber: application.acceptanceNumber,
          renewsCertificateId: application.renewsCertificateId,
          couponId: coupon.id,
        },
      });
      await queueApplicationMail(
        tx,
        deps.site,
        { ...application, registration: input.registration },
        { template: 'application.provisional', provisionalAt: application.provisionalAt, finalAt: application.finalAt },
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
  if (result.ok) deps.log.info({ event: 'application.submitted', kind: input.kind, applicationId: result.value.id }, 'application provisionally accepted');
  return result;
}
