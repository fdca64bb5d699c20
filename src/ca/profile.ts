import { attributeTypeOids, extKeyUsageOids, smimeSponsorValidatedMultipurposeOid } from './oids.js';
import type { Problem } from './problem.js';
import { subjectKeyLabel, type SubjectKeyDescription } from './subject-key.js';

/**
 * The end-entity certificate profile: CA/B Forum S/MIME Baseline Requirements
 * v1.0.10, Sponsor-validated Multipurpose (policy 2.23.140.1.5.3.2), SPEC §4.
 * Pure: it describes what a certificate holds; tbs-certificate.ts encodes it
 * and lints/ checks the encoding.
 */

export const dayMs = 86_400_000;
const secondMs = 1_000;

export const subscriberProfile = {
  name: 'Sponsor-validated Multipurpose',
  /** S/MIME BR 7.1.6.1. */
  policyOid: smimeSponsorValidatedMultipurposeOid,
  /** S/MIME BR 6.3.2: a Subscriber Certificate's Validity Period SHALL NOT exceed 825 days. */
  maxValidityDays: 825,
  /** SPEC §4: the product sells one-year certificates. */
  defaultValidityDays: 365,
  /** How far before the CA's clock notBefore may lie (Boulder backdates by at most an hour). */
  maxBackdateMs: 3_600_000,
  /** SPEC §4: Multipurpose because clientAuth joins emailProtection (S/MIME BR 7.1.2.3(f)). */
  extKeyUsageOids: [extKeyUsageOids.emailProtection, extKeyUsageOids.clientAuth],
  /** S/MIME BR 6.1.5: RSA modulus ≥ 2048 bits and divisible by 8. */
  minRsaModulusBits: 2048,
  /** SPEC §4 narrows S/MIME BR 6.1.5 / 7.1.3.1 (which also allow P-521 and Ed448). */
  allowedCurves: ['P-256', 'P-384'],
  allowsEd25519: true,
} as const;

export type SubscriberProfile = typeof subscriberProfile;

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

/** KeyUsage bit n (RFC 5280 4.2.1.3) as the flag 2^n, the form @peculiar/asn1-x509's KeyUsage takes. */
export const keyUsageFlags: Readonly<Record<KeyUsageName, number>> = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
};

/** How an attribute value is (to be) encoded. */
export type DirectoryStringType = 'printableString' | 'utf8String' | 'ia5String' | 'other';

/** One attribute of a distinguished name, in encoding order (most significant first). */
export interface NameAttribute {
  readonly oid: string;
  readonly value: string;
  readonly encoding: DirectoryStringType;
}

/** The person and organisation a Sponsor-validated certificate names (S/MIME BR 7.1.4.2.2). */
export interface SubscriberSubject {
  readonly givenName: string;
  readonly surname: string;
  /** Defaults to "givenName surname". */
  readonly commonName?: string;
  /** S/MIME BR 7.1.4.2.2(d): required for Sponsor-validated certificates. */
  readonly organizationName: string;
  /** ISO 3166-1 alpha-2; defaults to JP. */
  readonly countryName?: string;
  readonly stateOrProvinceName?: string;
  readonly localityName?: string;
}

export interface SubscriberUrls {
  /** HTTP URL of the issuing CA's CRL (S/MIME BR 7.1.2.3(b)). */
  readonly crl: string;
  /** HTTP URL of the OCSP responder (S/MIME BR 7.1.2.3(c)). */
  readonly ocsp: string;
  /** HTTP URL of the issuing CA certificate (S/MIME BR 7.1.2.3(c)). */
  readonly caIssuers: string;
}

/** Everything the end-entity certificate holds, before encoding. */
export interface SubscriberCertificateTemplate {
  readonly serialNumberHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject: readonly NameAttribute[];
  /** SAN rfc822Name values; the mailbox lives only here, never in subject:emailAddress. */
  readonly emailAddresses: readonly string[];
  readonly policyOids: readonly string[];
  readonly keyUsage: readonly KeyUsageName[];
  readonly extKeyUsageOids: readonly string[];
  readonly crlDistributionPointUrls: readonly string[];
  readonly ocspUrls: readonly string[];
  readonly caIssuersUrls: readonly string[];
}

export interface SubscriberTemplateRequest {
  readonly subject: SubscriberSubject;
  readonly email: string;
  readonly key: SubjectKeyDescription;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumberHex: string;
  readonly urls: SubscriberUrls;
}

export function subscriberTemplate(
  request: SubscriberTemplateRequest,
  profile: SubscriberProfile = subscriberProfile,
): SubscriberCertificateTemplate {
  return {
    serialNumberHex: request.serialNumberHex,
    notBefore: floorToSecond(request.notBefore),
    notAfter: floorToSecond(request.notAfter),
    subject: subscriberSubjectAttributes(request.subject),
    emailAddresses: [request.email],
    policyOids: [profile.policyOid],
    keyUsage: keyUsageFor(request.key),
    extKeyUsageOids: [...profile.extKeyUsageOids],
    crlDistributionPointUrls: [request.urls.crl],
    ocspUrls: [request.urls.ocsp],
    caIssuersUrls: [request.urls.caIssuers],
  };
}

/**
 * Subject attributes in encoding order C, ST, L, O, givenName, surname, CN.
 * countryName is a PrintableString (RFC 5280 appendix A); everything else is
 * UTF8String so Japanese names (髙, 﨑) survive (RFC 5280 4.1.2.6).
 * No emailAddress: the mailbox goes in the SAN only (S/MIME BR 7.1.4.2.1).
 */
export function subscriberSubjectAttributes(subject: SubscriberSubject): NameAttribute[] {
  const utf8 = (oid: string, value: string): NameAttribute => ({ oid, value, encoding: 'utf8String' });
  const attributes: NameAttribute[] = [
    { oid: attributeTypeOids.countryName, value: subject.countryName ?? 'JP', encoding: 'printableString' },
  ];
  if (subject.stateOrProvinceName !== undefined) {
    attributes.push(utf8(attributeTypeOids.stateOrProvinceName, subject.stateOrProvinceName));
  }
  if (subject.localityName !== undefined) {
    attributes.push(utf8(attributeTypeOids.localityName, subject.localityName));
  }
  attributes.push(
    utf8(attributeTypeOids.organizationName, subject.organizationName),
    utf8(attributeTypeOids.givenName, subject.givenName),
    utf8(attributeTypeOids.surname, subject.surname),
    utf8(attributeTypeOids.commonName, subject.commonName ?? `${subject.givenName} ${subject.surname}`),
  );
  return attributes;
}

/**
 * S/MIME BR 7.1.2.3(e) for Multipurpose, dual use, so the certificate can encrypt as well
 * as sign: RSA → digitalSignature + keyEncipherment; ECDSA → digitalSignature +
 * keyAgreement (an ECDH recipient needs keyAgreement, RFC 5753); Ed25519 can only sign.
 */
export function keyUsageFor(key: SubjectKeyDescription): KeyUsageName[] {
  switch (key.kind) {
    case 'rsa':
      return ['digitalSignature', 'keyEncipherment'];
    case 'ec':
      return ['digitalSignature', 'keyAgreement'];
    case 'ed25519':
    case 'unsupported':
      return ['digitalSignature'];
  }
}

/** Why the profile refuses this key, or undefined when it is allowed (S/MIME BR 6.1.5, SPEC §4). */
export function keyRefusalReason(
  key: SubjectKeyDescription,
  profile: SubscriberProfile = subscriberProfile,
): string | undefined {
  const allowed = `allowed: RSA ≥ ${profile.minRsaModulusBits} bits (multiple of 8), ECDSA ${profile.allowedCurves.join('/')}${
    profile.allowsEd25519 ? ', Ed25519' : ''
  }`;
  switch (key.kind) {
    case 'rsa':
      if (key.modulusBits < profile.minRsaModulusBits || key.modulusBits % 8 !== 0) {
        return `key ${subjectKeyLabel(key)} is not allowed (${allowed})`;
      }
      return undefined;
    case 'ec':
      return (profile.allowedCurves as readonly string[]).includes(key.curve)
        ? undefined
        : `key ${subjectKeyLabel(key)} is not allowed (${allowed})`;
    case 'ed25519':
      return profile.allowsEd25519 ? undefined : `key Ed25519 is not allowed (${allowed})`;
    case 'unsupported':
      return `key ${key.algorithm} is not allowed (${allowed})`;
  }
}

/** notAfter for a validity of `days`, counted inclusively as the BRs define it. */
export function validityEnd(notBefore: Date, days: number): Date {
  return new Date(floorToSecond(notBefore).getTime() + days * dayMs - secondMs);
}

/**
 * The Validity Period in milliseconds: "from notBefore through notAfter,
 * inclusive" (S/MIME BR 1.6.1), so 365 days end at notBefore + 365 d − 1 s.
 */
export function validityPeriodMs(notBefore: Date, notAfter: Date): number {
  return floorToSecond(notAfter).getTime() - floorToSecond(notBefore).getTime() + secondMs;
}

/** X.509 times carry whole seconds (RFC 5280 4.1.2.5); we round down, as the encoder does. */
export function floorToSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / secondMs) * secondMs);
}

export interface IssuanceLimitsInput {
  readonly key: SubjectKeyDescription;
  readonly email: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumberHex: string;
  /** The issuing CA's own validity: what we sign must lie inside it (RFC 5280 6.1.3(a)(2)). */
  readonly issuerNotBefore: Date;
  readonly issuerNotAfter: Date;
}

export interface IssuanceLimitsOptions {
  /**
   * Demo data and imports of existing certificates may carry any past
   * notBefore (even a notAfter in the past). Never set for a subscriber's request.
   */
  readonly allowBackdateForDemoOrImport: boolean;
}

/**
 * The limits the CA re-checks whatever the RA decided (STYLE §2): key type,
 * validity, backdate, serial and mailbox syntax. Returns every problem found.
 */
export function checkIssuanceLimits(
  input: IssuanceLimitsInput,
  now: Date,
  options: IssuanceLimitsOptions,
  profile: SubscriberProfile = subscriberProfile,
): Problem[] {
  const problems: Problem[] = [];
  const keyReason = keyRefusalReason(input.key, profile);
  if (keyReason !== undefined) {
    problems.push({ code: 'issuance.keyNotAllowed', citation: 'S/MIME BR 6.1.5; SPEC §4', message: keyReason });
  }
  if (!/^[0-9a-fA-F]{1,40}$/.test(input.serialNumberHex)) {
    problems.push({
      code: 'issuance.serialMalformed',
      citation: 'RFC 5280 4.1.2.2',
      message: `serial number must be 1–40 hex digits, got ${JSON.stringify(input.serialNumberHex.slice(0, 48))}`,
    });
  }
  if (!isMailboxAddress(input.email)) {
    problems.push({
      code: 'issuance.emailMalformed',
      citation: 'S/MIME BR 7.1.2.3(h); RFC 5280 4.2.1.6',
      message: 'email must be an ASCII addr-spec local@domain (rfc822Name is an IA5String)',
    });
  }
  const notBefore = floorToSecond(input.notBefore);
  const notAfter = floorToSecond(input.notAfter);
  if (notBefore.getTime() >= notAfter.getTime()) {
    problems.push({
      code: 'issuance.validityNotPositive',
      citation: 'RFC 5280 4.1.2.5',
      message: `notBefore ${notBefore.toISOString()} must be before notAfter ${notAfter.toISOString()}`,
    });
  } else {
    const periodMs = validityPeriodMs(notBefore, notAfter);
    if (periodMs > profile.maxValidityDays * dayMs) {
      problems.push({
        code: 'issuance.validityTooLong',
        citation: 'S/MIME BR 6.3.2',
        message: `validity ${formatDays(periodMs)} exceeds the maximum of ${profile.maxValidityDays} days`,
      });
    }
  }
  const earliest = now.getTime() - profile.maxBackdateMs;
  if (!options.allowBackdateForDemoOrImport && notBefore.getTime() < earliest) {
    problems.push({
      code: 'issuance.backdateTooFar',
      citation: 'STYLE §2 (the CA re-checks backdate)',
      message: `notBefore ${notBefore.toISOString()} is earlier than the allowed ${new Date(earliest).toISOString()} (now − ${
        profile.maxBackdateMs / 60_000
      } min)`,
    });
  }
  if (notBefore.getTime() < input.issuerNotBefore.getTime() || notAfter.getTime() > input.issuerNotAfter.getTime()) {
    problems.push({
      code: 'issuance.outsideIssuerValidity',
      citation: 'RFC 5280 6.1.3(a)(2)',
      message: `validity ${notBefore.toISOString()}–${notAfter.toISOString()} must lie within the issuing CA's ${input.issuerNotBefore.toISOString()}–${input.issuerNotAfter.toISOString()}`,
    });
  }
  return problems;
}

/**
 * An ASCII addr-spec: printable characters without spaces, one "@", non-empty
 * local part and a dotted domain. SmtpUTF8Mailbox (non-ASCII local parts) is not offered.
 */
export function isMailboxAddress(value: string): boolean {
  return /^[!-?A-~]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(value);
}

function formatDays(ms: number): string {
  const days = ms / dayMs;
  return Number.isInteger(days) ? `${days} days` : `${days.toFixed(3)} days`;
}
