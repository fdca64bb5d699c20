import { bytesEqual } from '../der.js';
import { dayMs, validityPeriodMs } from '../profile.js';
import { defineLint } from './lint.js';

/** Lints on the TBSCertificate fields outside the subject, key and extensions. */

export const certExtensionsVersionNot3 = defineLint(
  { name: 'e_cert_extensions_version_not_3', source: 'zlint/rfc', citation: 'RFC 5280 4.1.2.1' },
  (tbs) => (tbs.version === 2 ? undefined : `version is v${tbs.version + 1}; a certificate with extensions must be v3`),
);

export const serialNumberNotPositive = defineLint(
  { name: 'e_serial_number_not_positive', source: 'zlint/rfc', citation: 'RFC 5280 4.1.2.2; S/MIME BR 7.1' },
  (tbs) => {
    const first = tbs.serialNumber[0];
    if (first === undefined || (first & 0x80) !== 0) {
      return 'serial number is negative';
    }
    return tbs.serialNumber.every((octet) => octet === 0) ? 'serial number is zero' : undefined;
  },
);

export const serialNumberLongerThan20Octets = defineLint(
  { name: 'e_serial_number_longer_than_20_octets', source: 'zlint/rfc', citation: 'RFC 5280 4.1.2.2' },
  (tbs) =>
    tbs.serialNumber.length > 20 ? `serial number has ${tbs.serialNumber.length} octets; at most 20 are allowed` : undefined,
);

/**
 * S/MIME BR 7.1: at least 64 bits from a CSPRNG. A serial of 8 octets or less
 * cannot hold 64 random bits next to a cleared sign bit; zlint only notes it, we refuse.
 */
export const serialNumberLowEntropy = defineLint(
  { name: 'n_serial_number_low_entropy', source: 'zlint/community', citation: 'S/MIME BR 7.1' },
  (tbs) => {
    const magnitude = tbs.serialNumber.length - (tbs.serialNumber[0] === 0 ? 1 : 0);
    return magnitude < 9 ? `serial number has ${magnitude} significant octets; at least 9 are required` : undefined;
  },
);

export const signatureAlgorithmNotSupported = defineLint(
  { name: 'e_signature_algorithm_not_supported', source: 'zlint/rfc', citation: 'S/MIME BR 7.1.3.2' },
  (tbs) => (allowedSignatureAlgorithms.has(tbs.signatureAlgorithmOid) ? undefined : `signature algorithm ${tbs.signatureAlgorithmOid} is not allowed`),
);

export const issuerDnMatchesIssuingCa = defineLint(
  { name: 'e_issuer_dn_matches_issuing_ca', source: 'certdesk', citation: 'RFC 5280 4.1.2.4, 6.1.3(a)(4)' },
  (tbs, context) =>
    bytesEqual(tbs.issuerDer, context.issuer.subjectDer) ? undefined : "issuer is not byte-identical to the issuing CA's subject",
);

export const validityTimeNotPositive = defineLint(
  { name: 'e_validity_time_not_positive', source: 'zlint/community', citation: 'RFC 5280 4.1.2.5' },
  (tbs) =>
    tbs.notBefore.getTime() < tbs.notAfter.getTime()
      ? undefined
      : `notBefore ${tbs.notBefore.toISOString()} is not before notAfter ${tbs.notAfter.toISOString()}`,
);

export const subCertValidTimeLongerThan825Days = defineLint(
  { name: 'e_sub_cert_valid_time_longer_than_825_days', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 6.3.2' },
  (tbs, context) => {
    const periodMs = validityPeriodMs(tbs.notBefore, tbs.notAfter);
    const maxMs = context.profile.maxValidityDays * dayMs;
    return periodMs > maxMs
      ? `validity period is ${(periodMs / dayMs).toFixed(3)} days (notBefore through notAfter inclusive); at most ${context.profile.maxValidityDays} are allowed`
      : undefined;
  },
);

/** S/MIME BR 7.1.3.2: RSASSA-PKCS1-v1_5 (SHA-256/384/512), ECDSA (SHA-256/384/512), Ed25519. */
const allowedSignatureAlgorithms: ReadonlySet<string> = new Set([
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
  '1.2.840.10045.4.3.2',
  '1.2.840.10045.4.3.3',
  '1.2.840.10045.4.3.4',
  '1.3.101.112',
]);
