import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SubjectAlternativeNameExtension, X509Certificate } from '@peculiar/x509';
import { parseCsr, issueCertificate, type CsrProblemCode } from '../ca/issuer.js';
import { subscriberUrlsOf } from '../ca/issuing-ca.js';
import { subscriberProfile, validityEnd, floorToSecond, type SubscriberSubject } from '../ca/profile.js';
import type { Problem } from '../ca/problem.js';
import { subjectKeyLabel } from '../ca/subject-key.js';
import { spkiSha256Hex } from '../ca/weak-keys.js';
import { webCrypto } from '../ca/webcrypto.js';
import { nextState } from '../domain/application-state.js';
import { canonicalCertificateCode, CERTIFICATE_CODE_LENGTH, formatCertificateCode } from '../domain/certificate-code.js';
import {
  isCodeAMailboxValue,
  isVerificationCurrent,
  mailboxValueExpiresAt,
  mailboxValueRefusal,
  MAILBOX_VALUE_MAX_FAILURES,
  mailboxSendRefusal,
  type MailboxSendRefusal,
  type MailboxValueRefusal,
} from '../domain/mailbox-control.js';
import { pickupRefusal, type PickupRefusal } from '../domain/pickup-code.js';
import { DAY_MS, renewalRefusal, type RenewalRefusal } from '../domain/renewal-window.js';
import { lockApplication } from '../store/application-store.js';
import { appendAudit } from '../store/audit-store.js';
import { findCandidates, insertCertificate, revokeCertificate } from '../store/certificate-store.js';
import { findUnstoredSignedSerials, isKeyCompromised } from '../store/ca-store.js';
import { lockKeyHistory } from '../store/revocation-store.js';
import type { Tx } from '../store/db.js';
import {
  claimPickupForIssuing,
  countMailboxFailure,
  listMailboxValueTimesSince,
  findCertificateOfApplication,
  findLatestMailboxVerification,
  findOpenMailboxValue,
  isPickupClaimHeld,
  insertMailboxChallenge,
  lockMailboxChallenge,
  markMailboxVerified,
  markPickupIssued,
  releasePickupClaim,
  type IssuedCertificateRow,
} from '../store/pickup-store.js';
import { findReviewedApplication, lockPickupCredential, markApplicationIssued, type ReviewedApplication } from '../store/review-store.js';
import { queueApplicationMail } from './application-mail.js';
import { SignatureNoLongerWanted, signingDepsOf, type CaDeps } from './ca-signing.js';
import type { RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';
import { beginLookup, lookupSucceeded } from './lookup-guard.js';
import { checkPickupCredential } from './pickup-credential.js';

/**
 * Pickup (SPEC 1.4, issue #8), the RA's side: sign in with the certificate code and the
 * application password, prove the mailbox (S/MIME BR 3.2.2.1), have the CA sign the key
 * of a CSR made in the browser (or uploaded), and afterwards download the certificate
 * alone. The web layer only translates these answers.
 */

/** Where a signed-in pickup stands, kept in the pickup's session. */
export type PickupStage =
  | { stage: 'mailbox'; applicationId: string; credentialId: string; isValueSent: boolean; isSendLimitReached: boolean }
  | { stage: 'ready'; applicationId: string; credentialId: string }
  | { stage: 'pickedUp'; applicationId: string; certificateId: string };

export type PickupSignInResult =
  | { ok: true; value: PickupStage }
  | { ok: false; code: 'pickup.notFound' | 'pickup.expired' | 'pickup.locked' }
  | { ok: false; code: 'pickup.rateLimited'; retryAfterSeconds: number };

export async function signInForPickup(
  deps: RaDeps,
  input: { certificateCode: string; password: string; clientKey: string; networkKey: string },
): Promise<PickupSignInResult> {
  const subject = canonicalCertificateCode(input.certificateCode) ?? input.certificateCode.trim().slice(0, 64);
  const attempt = { purpose: 'pickup' as const, subject, clientKey: input.clientKey, networkKey: input.networkKey };
  const verdict = await beginLookup(deps, attempt);
  if (!verdict.ok) return { ok: false, code: 'pickup.rateLimited', retryAfterSeconds: verdict.retryAfterSeconds };
  const checked = await checkPickupCredential(deps, input);
  // Only a miss stays a failure: an expired or locked code is the owner's, and its own limit counts.
  if (checked.ok || checked.code !== 'pickup.notFound') await lookupSucceeded(deps, attempt);
  if (!checked.ok) {
    deps.log.info({ event: 'pickup.signIn.refused', code: checked.code }, 'pickup sign-in refused');
    return checked;
  }
  const { credential, application, canonicalCode } = checked.value;
  if (credential.usedAt !== null) {
    const certificate = await findCertificateOfApplication(deps.db, application.id);
    if (certificate === undefined) throw new Error(`pickup credential ${credential.id} used without a certificate`);
    return { ok: true, value: { stage: 'pickedUp', applicationId: application.id, certificateId: certificate.id } };
  }
  return { ok: true, value: await mailboxStage(deps, application, { credentialId: credential.id, canonicalCode, mailedAt: credential.createdAt }) };
}

/**
 * Mailbox control, as the pickup finds it: a verification of the last 30 days stands; the
 * certificate code counts as the Random Value when it comes back within 24 hours of its
 * mail; otherwise the form asks for a one-time value, mailed now unless one is out.
 */
async function mailboxStage(deps: RaDeps, application: ReviewedApplication, code: { credentialId: string; canonicalCode: string; mailedAt: Date }): Promise<PickupStage> {
  const now = deps.clock.now();
  const ready = { stage: 'ready', applicationId: application.id, credentialId: code.credentialId } as const;
  const latest = await findLatestMailboxVerification(deps.db, application.id, application.email);
  if (latest !== undefined && isVerificationCurrent(latest, now)) return ready;
  if (isCodeAMailboxValue({ canonical: code.canonicalCode, mailedAt: code.mailedAt }, now)) {
    await deps.db.transaction(async (tx) => {
      const id = await insertMailboxChallenge(tx, {
        applicationId: application.id,
        email: application.email,
        method: 'certificateCode',
        valueHash: null,
        sentAt: code.mailedAt,
        expiresAt: mailboxValueExpiresAt(code.mailedAt),
        verifiedAt: now,
      });
      await appendAudit(tx, { at: now, actor: 'applicant', action: 'mailbox.verified', subjectType: 'application', subjectId: application.id, after: { method: 'certificateCode', challengeId: id, email: application.email } });
    });
    return ready;
  }
  const open = await findOpenMailboxValue(deps.db, application.id);
  if (open !== undefined && mailboxValueRefusal(open, now) === undefined) {
    return { stage: 'mailbox', applicationId: application.id, credentialId: code.credentialId, isValueSent: false, isSendLimitReached: false };
  }
  const refusal = await sendMailboxValue(deps, application);
  return { stage: 'mailbox', applicationId: application.id, credentialId: code.credentialId, isValueSent: refusal === undefined, isSendLimitReached: refusal === 'mailbox.sendLimitReached' };
}

/**
 * Mails a fresh one-time value (24 characters, 120 bits) to the application's address, at
 * most five a day and one a minute; the reason when it may not. An older open value stops
 * counting: only the newest is asked for. The count and the new value are one transaction
 * under the application's lock, so parallel requests cannot send more.
 */
async function sendMailboxValue(deps: RaDeps, application: ReviewedApplication): Promise<MailboxSendRefusal | undefined> {
  const now = deps.clock.now();
  const value = formatCertificateCode(randomBytes(CERTIFICATE_CODE_LENGTH));
  const canonical = canonicalCertificateCode(value);
  if (canonical === undefined) throw new Error('a fresh mailbox value that does not read back');
  const expiresAt = mailboxValueExpiresAt(now);
  return deps.db.transaction(async (tx): Promise<MailboxSendRefusal | undefined> => {
    await lockApplication(tx, application.id);
    const refusal = mailboxSendRefusal(await listMailboxValueTimesSince(tx, application.id, new Date(now.getTime() - DAY_MS)), now);
    if (refusal !== undefined) return refusal;
    const id = await insertMailboxChallenge(tx, {
      applicationId: application.id,
      email: application.email,
      method: 'oneTimeValue',
      valueHash: hashMailboxValue(canonical),
      sentAt: now,
      expiresAt,
      verifiedAt: null,
    });
    await queueApplicationMail(tx, deps.site, application, { template: 'pickup.mailboxValue', value, expiresAt, pickupUrl: `${deps.site.publicUrl}/pickup` }, now, id);
    await appendAudit(tx, { at: now, actor: 'applicant', action: 'mailbox.valueSent', subjectType: 'application', subjectId: application.id, after: { challengeId: id, email: application.email, expiresAt: expiresAt.toISOString() } });
    return undefined;
  });
}

export type MailboxConfirmResult =
  | { ok: true }
  | { ok: false; code: 'mailbox.wrong' | MailboxValueRefusal | 'mailbox.noValue' };

/** The value from the mail, typed back: the newest one counts, five wrong tries void it. */
export async function confirmMailbox(deps: RaDeps, input: { applicationId: string; value: string }): Promise<MailboxConfirmResult> {
  const now = deps.clock.now();
  const open = await findOpenMailboxValue(deps.db, input.applicationId);
  if (open === undefined) return { ok: false, code: 'mailbox.noValue' };
  const canonical = canonicalCertificateCode(input.value);
  return deps.db.transaction(async (tx): Promise<MailboxConfirmResult> => {
    const challenge = await lockMailboxChallenge(tx, open.id);
    if (challenge === undefined || challenge.verifiedAt !== null) return { ok: false, code: 'mailbox.noValue' };
    const refusal = mailboxValueRefusal(challenge, now);
    if (refusal !== undefined) return { ok: false, code: refusal };
    const isRight = canonical !== undefined && challenge.valueHash !== null && sameHex(hashMailboxValue(canonical), challenge.valueHash);
    if (!isRight) {
      await countMailboxFailure(tx, challenge.id);
      return { ok: false, code: challenge.failedAttempts + 1 >= MAILBOX_VALUE_MAX_FAILURES ? 'mailbox.tooManyFailures' : 'mailbox.wrong' };
    }
    await markMailboxVerified(tx, challenge.id, now);
    await appendAudit(tx, { at: now, actor: 'applicant', action: 'mailbox.verified', subjectType: 'application', subjectId: input.applicationId, after: { method: 'oneTimeValue', challengeId: challenge.id, email: challenge.email } });
    return { ok: true };
  });
}

/** Asked for from the mailbox form: a new value, within the limits. */
export async function resendMailboxValue(deps: RaDeps, applicationId: string): Promise<{ ok: true } | { ok: false; code: MailboxSendRefusal | 'pickup.notFound' }> {
  const application = await findReviewedApplication(deps.db, applicationId);
  if (application === undefined || application.state !== 'approved') return { ok: false, code: 'pickup.notFound' };
  const refusal = await sendMailboxValue(deps, application);
  return refusal === undefined ? { ok: true } : { ok: false, code: refusal };
}

export type PickupIssueRefusal =
  | CsrProblemCode
  | PickupRefusal
  | 'pickup.notFound'
  | 'pickup.busy'
  | 'pickup.mailboxNotVerified'
  | 'pickup.renewalNotAllowed'
  | 'pickup.keyRefused'
  | 'pickup.refusedByCa';

export type PickupIssueResult =
  | { ok: true; value: { certificateId: string; certificate: IssuedCertificateRow } }
  | { ok: false; code: PickupIssueRefusal; problems?: readonly Problem[]; renewalRefusal?: RenewalRefusal };

/** A claim older than this is a pickup that died mid-signature: another may take over. */
export const PICKUP_CLAIM_STALE_MS = 2 * 60 * 1000;

/** The CA's refusals that are about the key alone: the subscriber can make another. */
const keyProblemCodes: ReadonlySet<string> = new Set(['issuance.keyWeak', 'issuance.keyCompromised']);

interface SignedCertificate {
  certificate: X509Certificate;
  der: Uint8Array;
  serialNumber: string;
}

/**
 * Issues the certificate of a signed-in, mailbox-verified pickup for the key of `csr`
 * (SPEC 1.4, issue #8). The credential is claimed first, so two browsers racing with one
 * code never both get a signature; the CA reserves the serial, audits around the
 * signature and keeps the signed certificate with its serial; then one transaction uses
 * the code up, stores the certificate (linked to the one it renews), marks the application
 * issued and queues the mail.
 *
 * Nothing signed is lost or signed twice: a claim is let go only when nothing was signed
 * under it (the CA refused, or failed before its signature); a certificate signed by a
 * pickup that died before storing it is delivered to the next pickup with the same key,
 * or recorded as superseded (and revoked) when the key is another. A used code asked
 * again with the key it was issued for answers that certificate again: the browser's
 * first answer may have been lost.
 */
export async function pickUpCertificate(deps: RaDeps & CaDeps, input: { applicationId: string; credentialId: string; csr: string | Uint8Array }): Promise<PickupIssueResult> {
  const now = deps.clock.now();
  const parsed = await parseCsr(input.csr);
  if (!parsed.ok) return { ok: false, code: parsed.code };
  const keyHash = spkiSha256Hex(parsed.value.publicKey);

  // Step 1: the application is approved, its code still good, its mailbox proven.
  const application = await findReviewedApplication(deps.db, input.applicationId);
  if (application === undefined || application.subscriberId === null) return { ok: false, code: 'pickup.notFound' };
  const subscriberId = application.subscriberId;
  const verification = await findLatestMailboxVerification(deps.db, application.id, application.email);
  if (verification === undefined || !isVerificationCurrent(verification, now)) {
    return (await sameKeyAnswer(deps, application.id, keyHash)) ?? { ok: false, code: 'pickup.mailboxNotVerified' };
  }

  // Step 2: a renewal's certificate must still be renewable (the window is checked again).
  if (application.kind === 'renewal' && application.renewsCertificateId !== null && application.state === 'approved') {
    const [renewed] = await findCandidates(deps.db, [application.renewsCertificateId]);
    const refusal = renewed === undefined ? 'revoked' : renewalRefusal({ notAfter: renewed.notAfter, isRevoked: renewed.status === 'revoked', hasActiveRenewal: false }, now);
    if (refusal !== undefined) return { ok: false, code: 'pickup.renewalNotAllowed', renewalRefusal: refusal };
  }

  // Step 3: claim the credential for this signature.
  const claim = await deps.db.transaction(async (tx): Promise<PickupIssueRefusal | undefined> => {
    const credential = await lockPickupCredential(tx, input.credentialId);
    if (credential === undefined || credential.applicationId !== application.id) return 'pickup.notFound';
    const refusal = pickupRefusal(credential, now);
    if (refusal !== undefined) return refusal;
    return (await claimPickupForIssuing(tx, credential.id, now, new Date(now.getTime() - PICKUP_CLAIM_STALE_MS))) ? undefined : 'pickup.busy';
  });
  if (claim === 'pickup.used') return (await sameKeyAnswer(deps, application.id, keyHash)) ?? { ok: false, code: claim };
  if (claim !== undefined) return { ok: false, code: claim };

  // Step 4: a certificate a dead pickup had signed for this key is delivered; otherwise the CA signs.
  const reservedFor = `application:${application.id}`;
  let orphans = (await findUnstoredSignedSerials(deps.db, reservedFor)).map((o) => signedCertificateOf(o.der));
  let reusable: SignedCertificate | undefined;
  for (const orphan of orphans) {
    if (spkiSha256Hex(orphan.certificate.publicKey.rawData) !== keyHash || orphan.certificate.notAfter.getTime() <= now.getTime()) continue;
    // Only a signature that verifies under the issuing CA is a certificate to deliver.
    if (await orphan.certificate.verify({ publicKey: deps.ca.material.issuing, date: now, signatureOnly: true }, webCrypto)) reusable = orphan;
  }
  // A key reported compromised since that signature is certified no more: the certificate is
  // recorded as revoked (the CRL and OCSP say so), and the CA refuses the key below.
  if (reusable !== undefined && (await isKeyCompromised(deps.db, keyHash))) {
    const refused = reusable;
    await deps.db.transaction((tx) => recordUndelivered(tx, subscriberId, [refused], now, 'keyCompromise'));
    orphans = orphans.filter((o) => o.serialNumber !== refused.serialNumber);
    reusable = undefined;
  }
  let signed: SignedCertificate;
  if (reusable !== undefined) {
    signed = reusable;
  } else {
    const outcome = await signForPickup(deps, application, parsed.value.publicKey, { reservedFor, credentialId: input.credentialId, claimedAt: now });
    if (!outcome.ok) return outcome;
    signed = outcome.value;
  }
  const superseded = orphans.filter((o) => o.serialNumber !== signed.serialNumber);

  // Step 5: one transaction records it all, or (the claim lost to a stale takeover) only that it was superseded.
  const { certificate, der, serialNumber } = signed;
  const certificateId = await deps.db.transaction(async (tx): Promise<string | 'keyCompromised' | undefined> => {
    // First (before any audit entry takes the chain's head): a keyCompromise revocation of
    // this key either committed before, and is seen here, or comes after and finds this certificate.
    await lockKeyHistory(tx, keyHash);
    await recordUndelivered(tx, subscriberId, superseded, now, 'superseded');
    if (await isKeyCompromised(tx, keyHash)) {
      await recordUndelivered(tx, subscriberId, [signed], now, 'keyCompromise');
      await releasePickupClaim(tx, input.credentialId, now);
      return 'keyCompromised';
    }
    const credential = await lockPickupCredential(tx, input.credentialId);
    if (credential === undefined || !(await markPickupIssued(tx, credential.id, now, now))) return undefined;
    const transition = nextState(application.state, 'issue', application.finalAt, now);
    if (!transition.ok) throw new Error(`application ${application.id} cannot be issued from ${application.state}`);
    const id = await insertCertificate(tx, {
      subscriberId,
      applicationId: application.id,
      renewsCertificateId: application.kind === 'renewal' ? application.renewsCertificateId : null,
      serialNumber,
      subjectDn: certificate.subject,
      email: application.email,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      certificateCodeHash: credential.codeHash,
      der,
      createdAt: now,
    });
    if (transition.value !== 'issued' || !(await markApplicationIssued(tx, application.id))) {
      throw new Error(`application ${application.id} left the approved state during pickup`);
    }
    await queueApplicationMail(tx, deps.site, application, { template: 'certificate.issued', serialNumber, notBefore: certificate.notBefore, notAfter: certificate.notAfter, pickupUrl: `${deps.site.publicUrl}/pickup` }, now);
    await appendAudit(tx, {
      at: now,
      actor: 'applicant',
      action: 'certificate.issued',
      subjectType: 'application',
      subjectId: application.id,
      before: { state: application.state },
      after: { state: transition.value, certificateId: id, serialNumber, key: subjectKeyLabel(parsed.value.key), renews: application.renewsCertificateId, recovered: reusable !== undefined },
    });
    return id;
  });
  if (certificateId === 'keyCompromised') {
    deps.log.warn({ event: 'pickup.keyCompromisedMeanwhile', applicationId: application.id, serialNumber }, 'the key was reported compromised while its certificate was signed: recorded as revoked');
    return { ok: false, code: 'pickup.keyRefused' };
  }
  if (certificateId === undefined) {
    // Another pickup took the claim over: this certificate will never be delivered.
    await deps.db.transaction((tx) => recordUndelivered(tx, subscriberId, [signed], now, 'superseded'));
    deps.log.error({ event: 'pickup.claimLost', applicationId: application.id, serialNumber }, 'a signed certificate lost its pickup claim: recorded as superseded');
    return { ok: false, code: 'pickup.busy' };
  }
  deps.log.info({ event: 'pickup.issued', applicationId: application.id, certificateId, serialNumber, recovered: reusable !== undefined }, 'certificate picked up');
  const stored = await findCertificateOfApplication(deps.db, application.id);
  if (stored === undefined) throw new Error(`certificate ${certificateId} vanished after its commit`);
  return { ok: true, value: { certificateId, certificate: stored } };
}

/**
 * A pickup that has its certificate, asked again (the browser lost the first answer): the
 * certificate when the CSR carries its key, otherwise "used".
 */
export async function pickedUpCertificateForCsr(deps: RaDeps, input: { applicationId: string; csr: string | Uint8Array }): Promise<PickupIssueResult> {
  const parsed = await parseCsr(input.csr);
  if (!parsed.ok) return { ok: false, code: parsed.code };
  return (await sameKeyAnswer(deps, input.applicationId, spkiSha256Hex(parsed.value.publicKey))) ?? { ok: false, code: 'pickup.used' };
}

/** A used code's certificate, when the CSR carries the key it was issued for. */
async function sameKeyAnswer(deps: RaDeps, applicationId: string, keyHash: string): Promise<PickupIssueResult | undefined> {
  const issued = await findCertificateOfApplication(deps.db, applicationId);
  if (issued === undefined || issued.spkiSha256 !== keyHash) return undefined;
  deps.log.info({ event: 'pickup.answeredAgain', applicationId, certificateId: issued.id }, 'a used code asked again with its own key');
  return { ok: true, value: { certificateId: issued.id, certificate: issued } };
}

/**
 * The CA's signature under the pickup's claim. The claim is checked again just before the
 * serial is reserved, and let go only when nothing was signed under it.
 */
async function signForPickup(
  deps: RaDeps & CaDeps,
  application: ReviewedApplication,
  publicKey: ArrayBuffer,
  claim: { reservedFor: string; credentialId: string; claimedAt: Date },
): Promise<{ ok: true; value: SignedCertificate } | { ok: false; code: PickupIssueRefusal; problems?: readonly Problem[] }> {
  const now = claim.claimedAt;
  const notBefore = floorToSecond(now);
  let issued: Awaited<ReturnType<typeof issueCertificate>>;
  try {
    issued = await issueCertificate(signingDepsOf(deps, claim.reservedFor, { isStillWanted: () => isPickupClaimHeld(deps.db, claim.credentialId, now) }), {
      publicKey,
      subject: certificateSubjectOf(application.registration),
      email: application.email,
      notBefore,
      notAfter: validityEnd(notBefore, subscriberProfile.defaultValidityDays),
      urls: subscriberUrlsOf(deps.ca.pkiBaseUrl),
    });
  } catch (error) {
    if (error instanceof SignatureNoLongerWanted) return { ok: false, code: 'pickup.busy' };
    // Signed but not delivered (the audit after the signature failed…): the claim stays, and goes stale.
    const isSigned = (await findUnstoredSignedSerials(deps.db, claim.reservedFor)).some((o) => o.signedAt.getTime() >= now.getTime());
    if (!isSigned) await releasePickupClaim(deps.db, claim.credentialId, now);
    throw error;
  }
  if (!issued.ok) {
    const problems = issued.problems;
    await deps.db.transaction(async (tx) => {
      await releasePickupClaim(tx, claim.credentialId, now);
      await appendAudit(tx, { at: now, actor: 'system:ca', action: 'certificate.refused', subjectType: 'application', subjectId: application.id, after: { problems: problems.map((p) => p.code) } });
    });
    deps.log.warn({ event: 'pickup.refusedByCa', applicationId: application.id, problems: problems.map((p) => p.code) }, 'the CA refused a pickup');
    return { ok: false, code: problems.every((p) => keyProblemCodes.has(p.code)) ? 'pickup.keyRefused' : 'pickup.refusedByCa', problems };
  }
  return { ok: true, value: { certificate: issued.certificate, der: new Uint8Array(issued.der), serialNumber: issued.serialNumber } };
}

function signedCertificateOf(der: Uint8Array): SignedCertificate {
  const certificate = new X509Certificate(new Uint8Array(der));
  return { certificate, der, serialNumber: certificate.serialNumber.toLowerCase() };
}

/**
 * Certificates signed for a pickup that no one will ever hold: kept as certificates of the
 * subscriber, revoked as superseded, so the CRL and OCSP say so and no record is missing.
 * Not tied to the application (its one certificate is the delivered one) nor to the code.
 */
async function recordUndelivered(tx: Tx, subscriberId: string, orphans: readonly SignedCertificate[], now: Date, reason: 'superseded' | 'keyCompromise'): Promise<void> {
  for (const orphan of orphans) {
    const id = await insertCertificate(tx, {
      subscriberId,
      applicationId: null,
      renewsCertificateId: null,
      serialNumber: orphan.serialNumber,
      subjectDn: orphan.certificate.subject,
      email: orphan.certificate.getExtension(SubjectAlternativeNameExtension)?.names.items.find((n) => n.type === 'email')?.value ?? '',
      notBefore: orphan.certificate.notBefore,
      notAfter: orphan.certificate.notAfter,
      certificateCodeHash: hashCertificateCode(`${reason}:${orphan.serialNumber}`),
      der: orphan.der,
      createdAt: now,
    });
    await revokeCertificate(tx, id, now, reason);
    const action = reason === 'superseded' ? 'certificate.superseded' : 'certificate.revoked';
    await appendAudit(tx, { at: now, actor: 'system:ca', action, subjectType: 'serial', subjectId: orphan.serialNumber, after: { certificateId: id, reason } });
  }
}

/** The certificate a pickup session may download (certificate only: no key exists here). */
export async function pickedUpCertificate(deps: Pick<RaDeps, 'db'>, applicationId: string): Promise<IssuedCertificateRow | undefined> {
  return findCertificateOfApplication(deps.db, applicationId);
}

/**
 * What the certificate says of its subject (S/MIME BR 7.1.4.2.2, Sponsor-validated): the
 * person's name and the organisation as vetted, in the Latin script the registration holds.
 */
export function certificateSubjectOf(registration: ReviewedApplication['registration']): SubscriberSubject {
  return {
    givenName: registration['firstNameEn'] ?? '',
    surname: registration['lastNameEn'] ?? '',
    organizationName: registration['orgNameEn'] ?? '',
  };
}

export function hashMailboxValue(canonicalValue: string): string {
  return hashCertificateCode(`mailbox:${canonicalValue}`);
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
