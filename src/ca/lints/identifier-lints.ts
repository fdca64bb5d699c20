import { bytesEqual, toHex } from '../der.js';
import { defineLint } from './lint.js';

/** Lints on authorityKeyIdentifier and subjectKeyIdentifier. */

export const extAuthorityKeyIdentifierMissing = defineLint(
  { name: 'e_ext_authority_key_identifier_missing', source: 'zlint/rfc', citation: 'RFC 5280 4.2.1.1; S/MIME BR 7.1.2.3(g)' },
  (tbs) => (tbs.authorityKeyIdentifier === undefined ? 'authorityKeyIdentifier SHALL be present' : undefined),
);

/** Not critical; keyIdentifier present; authorityCertIssuer and authorityCertSerialNumber absent. */
export const authorityKeyIdentifierCorrect = defineLint(
  { name: 'e_authority_key_identifier_correct', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(g)' },
  (tbs) => {
    const aki = tbs.authorityKeyIdentifier;
    if (aki === undefined || !aki.ok) {
      return undefined;
    }
    const faults = [
      ...(aki.critical ? ['is critical'] : []),
      ...(aki.value.keyIdentifier === undefined ? ['lacks keyIdentifier'] : []),
      ...(aki.value.hasIssuerOrSerial ? ['holds authorityCertIssuer/authorityCertSerialNumber'] : []),
    ];
    return faults.length === 0 ? undefined : `authorityKeyIdentifier ${faults.join(', ')}`;
  },
);

export const akiMatchesIssuerSki = defineLint(
  { name: 'e_aki_matches_issuer_ski', source: 'certdesk', citation: 'RFC 5280 4.2.1.1' },
  (tbs, context) => {
    const keyIdentifier = tbs.authorityKeyIdentifier?.ok ? tbs.authorityKeyIdentifier.value.keyIdentifier : undefined;
    if (keyIdentifier === undefined || bytesEqual(keyIdentifier, context.issuer.keyIdentifier)) {
      return undefined;
    }
    return `authorityKeyIdentifier ${toHex(keyIdentifier)} differs from the issuing CA's subjectKeyIdentifier ${toHex(context.issuer.keyIdentifier)}`;
  },
);

/** zlint warns; SPEC §4 requires the SKI. RFC 5280 4.2.1.2: it MUST NOT be critical. */
export const extSubjectKeyIdentifierMissingSubCert = defineLint(
  { name: 'w_ext_subject_key_identifier_missing_sub_cert', source: 'zlint/rfc', citation: 'RFC 5280 4.2.1.2; SPEC §4' },
  (tbs) => {
    const ski = tbs.subjectKeyIdentifier;
    if (ski === undefined) {
      return 'subjectKeyIdentifier is missing';
    }
    if (ski.critical) {
      return 'subjectKeyIdentifier MUST NOT be critical';
    }
    return ski.ok && ski.value.length === 0 ? 'subjectKeyIdentifier is empty' : undefined;
  },
);
