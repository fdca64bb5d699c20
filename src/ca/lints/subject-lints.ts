import { attributeShortNames, attributeTypeOids } from '../oids.js';
import { isMailboxAddress } from '../profile.js';
import { defineLint } from './lint.js';
import type { ParsedTbs } from './parsed-tbs.js';

/** Lints on the subject distinguished name. */

export const subjectAttributeValueEmpty = defineLint(
  { name: 'e_subject_attribute_value_empty', source: 'certdesk', citation: 'RFC 5280 4.1.2.4 (DirectoryString SIZE (1..MAX))' },
  (tbs) => {
    const empty = tbs.subject.filter((attribute) => attribute.value.trim().length === 0);
    return empty.length === 0
      ? undefined
      : `subject attribute ${empty.map((attribute) => attributeShortNames[attribute.oid] ?? attribute.oid).join(', ')} is empty`;
  },
);

export const subjectCountryName = defineLint(
  { name: 'e_subject_country_name', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.4.2.2(n); RFC 5280 A.1' },
  (tbs) => {
    const bad = values(tbs, attributeTypeOids.countryName, true).filter(
      (attribute) => !/^[A-Z]{2}$/.test(attribute.value) || attribute.encoding !== 'printableString',
    );
    return bad.length === 0
      ? undefined
      : `subject:countryName ${bad.map((attribute) => JSON.stringify(attribute.value)).join(', ')} is not a two-letter ISO 3166-1 code in a PrintableString`;
  },
);

export const subjectCommonNameMaxLength = defineLint(
  { name: 'e_subject_common_name_max_length', source: 'zlint/rfc', citation: 'RFC 5280 A.1 (ub-common-name 64)' },
  (tbs) => tooLong(tbs, attributeTypeOids.commonName, 'commonName'),
);

export const subjectOrganizationNameMaxLength = defineLint(
  { name: 'e_subject_organization_name_max_length', source: 'zlint/rfc', citation: 'RFC 5280 A.1 (ub-organization-name 64)' },
  (tbs) => tooLong(tbs, attributeTypeOids.organizationName, 'organizationName'),
);

/**
 * Sponsor-validated subjects name a person and their organisation:
 * organizationName SHALL be present; givenName and surname come together;
 * the person is named by givenName+surname or commonName.
 */
export const sponsorValidatedSubjectFields = defineLint(
  { name: 'e_sponsor_validated_subject_fields', source: 'certdesk', citation: 'S/MIME BR 7.1.4.2.2(a)–(d)' },
  (tbs) => {
    const has = (oid: string): boolean => values(tbs, oid).length > 0;
    const missing: string[] = [];
    if (!has(attributeTypeOids.organizationName)) {
      missing.push('organizationName is required');
    }
    if (has(attributeTypeOids.givenName) !== has(attributeTypeOids.surname)) {
      missing.push('givenName and surname must both be present or both absent');
    }
    if (!has(attributeTypeOids.commonName) && !(has(attributeTypeOids.givenName) && has(attributeTypeOids.surname))) {
      missing.push('a personal name (commonName or givenName+surname) is required');
    }
    return missing.length === 0 ? undefined : missing.join('; ');
  },
);

/** Every mailbox address in the subject (emailAddress, or a commonName holding one) must be repeated in the SAN. */
export const mailboxAddressShallContainAnRfc822Name = defineLint(
  { name: 'e_mailbox_address_shall_contain_an_rfc822_name', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.4.2.1' },
  (tbs) => {
    const inSubject = [
      ...values(tbs, attributeTypeOids.emailAddress).map((attribute) => attribute.value),
      ...values(tbs, attributeTypeOids.commonName)
        .map((attribute) => attribute.value)
        .filter(isMailboxAddress),
    ];
    const inSan = new Set(
      tbs.subjectAltName?.ok
        ? tbs.subjectAltName.value.flatMap((name) => (name.kind === 'rfc822Name' ? [name.value] : []))
        : [],
    );
    const missing = inSubject.filter((address) => !inSan.has(address));
    return missing.length === 0 ? undefined : `subject mailbox ${missing.join(', ')} is not an rfc822Name in subjectAltName`;
  },
);

function values(tbs: ParsedTbs, oid: string, includeEmpty = false): ParsedTbs['subject'] {
  return tbs.subject.filter((attribute) => attribute.oid === oid && (includeEmpty || attribute.value.length > 0));
}

function tooLong(tbs: ParsedTbs, oid: string, label: string): string | undefined {
  const long = values(tbs, oid).find((attribute) => [...attribute.value].length > 64);
  return long === undefined ? undefined : `subject:${label} has ${[...long.value].length} characters; at most 64 are allowed`;
}
