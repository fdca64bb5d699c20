import type { Problem } from '../problem.js';
import {
  certExtensionsVersionNot3,
  issuerDnMatchesIssuingCa,
  serialNumberLongerThan20Octets,
  serialNumberLowEntropy,
  serialNumberNotPositive,
  signatureAlgorithmNotSupported,
  subCertValidTimeLongerThan825Days,
  validityTimeNotPositive,
} from './certificate-lints.js';
import {
  aiaOcspAndCaIssuersPresent,
  exactlyOneSmimePolicy,
  extDuplicateExtension,
  extValueNotDecodable,
  smimePolicyMatchesProfile,
  smimeStrictAiaShallHaveHttpOnly,
  subscriberBasicConstraintsNotCa,
  subscribersCrlDistributionPointsAreHttp,
  subscribersShallHaveCrlDistributionPoints,
} from './extension-lints.js';
import {
  akiMatchesIssuerSki,
  authorityKeyIdentifierCorrect,
  extAuthorityKeyIdentifierMissing,
  extSubjectKeyIdentifierMissingSubCert,
} from './identifier-lints.js';
import { invalidSpkiAlgoid, modulusMustBeDivisibleBy8, rsaModLessThan2048Bits, subjectKeyAllowedByProfile } from './key-lints.js';
import {
  ecPublicKeyKeyUsages,
  edwardsPublicKeyKeyUsages,
  keyUsageCriticality,
  keyUsagePresence,
  rsaKeyUsageLegacyMultipurpose,
  smimeLegacyMultipurposeEkuCheck,
} from './key-usage-lints.js';
import type { Lint, LintContext } from './lint.js';
import type { ParsedTbs } from './parsed-tbs.js';
import {
  extSanCriticalWithSubjectDn,
  extSanRfc822FormatInvalid,
  sanContainsMailboxAddress,
  sanShallBePresent,
} from './san-lints.js';
import {
  mailboxAddressShallContainAnRfc822Name,
  sponsorValidatedSubjectFields,
  subjectAttributeValueEmpty,
  subjectCommonNameMaxLength,
  subjectCountryName,
  subjectOrganizationNameMaxLength,
} from './subject-lints.js';

/**
 * Every lint a Sponsor-validated Multipurpose subscriber certificate must
 * pass, in the fixed order they run: TBS fields, subject, key, extensions.
 */
export const subscriberLints: readonly Lint[] = [
  certExtensionsVersionNot3,
  serialNumberNotPositive,
  serialNumberLongerThan20Octets,
  serialNumberLowEntropy,
  signatureAlgorithmNotSupported,
  issuerDnMatchesIssuingCa,
  validityTimeNotPositive,
  subCertValidTimeLongerThan825Days,
  subjectAttributeValueEmpty,
  subjectCountryName,
  subjectCommonNameMaxLength,
  subjectOrganizationNameMaxLength,
  sponsorValidatedSubjectFields,
  mailboxAddressShallContainAnRfc822Name,
  invalidSpkiAlgoid,
  rsaModLessThan2048Bits,
  modulusMustBeDivisibleBy8,
  subjectKeyAllowedByProfile,
  extDuplicateExtension,
  extValueNotDecodable,
  exactlyOneSmimePolicy,
  smimePolicyMatchesProfile,
  subscribersShallHaveCrlDistributionPoints,
  subscribersCrlDistributionPointsAreHttp,
  smimeStrictAiaShallHaveHttpOnly,
  aiaOcspAndCaIssuersPresent,
  keyUsagePresence,
  keyUsageCriticality,
  rsaKeyUsageLegacyMultipurpose,
  ecPublicKeyKeyUsages,
  edwardsPublicKeyKeyUsages,
  smimeLegacyMultipurposeEkuCheck,
  extAuthorityKeyIdentifierMissing,
  authorityKeyIdentifierCorrect,
  akiMatchesIssuerSki,
  extSubjectKeyIdentifierMissingSubCert,
  sanShallBePresent,
  sanContainsMailboxAddress,
  extSanRfc822FormatInvalid,
  extSanCriticalWithSubjectDn,
  subscriberBasicConstraintsNotCa,
];

/** Runs `lints` in order and returns every problem (empty: the TBS may be signed). */
export function runLints(tbs: ParsedTbs, context: LintContext, lints: readonly Lint[] = subscriberLints): Problem[] {
  return lints.flatMap((lint) => {
    try {
      return lint.check(tbs, context) ?? [];
    } catch (cause) {
      // A lint that throws is a bug; surface it rather than sign.
      throw new Error(`running lint ${lint.name}`, { cause });
    }
  });
}
