import { isMailboxAddress } from '../profile.js';
import { defineLint } from './lint.js';

/** Lints on subjectAltName, S/MIME BR 7.1.2.3(h). */

export const sanShallBePresent = defineLint(
  { name: 'e_san_shall_be_present', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(h)' },
  (tbs) => (tbs.subjectAltName === undefined ? 'subjectAltName SHALL be present' : undefined),
);

/** The SAN SHALL hold the mailbox (rfc822Name; we do not issue SmtpUTF8Mailbox). */
export const sanContainsMailboxAddress = defineLint(
  { name: 'e_san_contains_mailbox_address', source: 'certdesk', citation: 'S/MIME BR 7.1.2.3(h); SPEC §4' },
  (tbs) => {
    const names = tbs.subjectAltName?.ok ? tbs.subjectAltName.value : [];
    if (!names.some((name) => name.kind === 'rfc822Name')) {
      return 'subjectAltName holds no rfc822Name';
    }
    const others = names.filter((name) => name.kind !== 'rfc822Name');
    return others.length === 0 ? undefined : `subjectAltName holds ${others.map((name) => name.kind).join(', ')}; only rfc822Name is issued`;
  },
);

export const extSanRfc822FormatInvalid = defineLint(
  { name: 'e_ext_san_rfc822_format_invalid', source: 'zlint/rfc', citation: 'RFC 5280 4.2.1.6' },
  (tbs) => {
    const names = tbs.subjectAltName?.ok ? tbs.subjectAltName.value : [];
    const bad = names.flatMap((name) => (name.kind === 'rfc822Name' && !isMailboxAddress(name.value) ? [name.value] : []));
    return bad.length === 0 ? undefined : `rfc822Name ${bad.map((value) => JSON.stringify(value)).join(', ')} is not a mailbox address`;
  },
);

export const extSanCriticalWithSubjectDn = defineLint(
  { name: 'w_ext_san_critical_with_subject_dn', source: 'zlint/rfc', citation: 'RFC 5280 4.2.1.6' },
  (tbs) =>
    tbs.subjectAltName?.critical && tbs.subject.length > 0
      ? 'subjectAltName SHOULD be non-critical when the subject is not empty'
      : undefined,
);
