import { generateKeyPairSync } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extensions, Version, type TBSCertificate } from '@peculiar/asn1-x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCaNames, parseDistinguishedName } from '../../src/ca/bootstrap.js';
import { toArrayBuffer } from '../../src/ca/der.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import type { LintContext } from '../../src/ca/lints/lint.js';
import { parseTbs } from '../../src/ca/lints/parsed-tbs.js';
import { runLints, subscriberLints } from '../../src/ca/lints/subscriber-lints.js';
import { extensionOids } from '../../src/ca/oids.js';
import {
  subscriberProfile,
  subscriberTemplate,
  validityEnd,
  type SubscriberCertificateTemplate,
} from '../../src/ca/profile.js';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import {
  basicConstraintsExtension,
  encodeTbsCertificate,
  subjectAltNameExtension,
  subscriberTbsCertificate,
  type IssuerIdentity,
} from '../../src/ca/tbs-certificate.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, subscriberSubject, subscriberUrls, type TestKeyKind } from './ca-test-kit.js';

/** Fixed vectors: one good TBS per key type, and one deliberately bad TBS per lint. */

const notBefore = new Date('2026-11-27T00:00:00Z');
const issuer: IssuerIdentity = {
  subjectDer: new Uint8Array(AsnConvert.serialize(encodeName(parseDistinguishedName(defaultCaNames.issuing)))),
  keyIdentifier: new Uint8Array(20).fill(0xa5),
  signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
};
const context: LintContext = { profile: subscriberProfile, issuer };

type VectorKey = TestKeyKind | 'X25519';
interface Vector {
  readonly key?: VectorKey;
  readonly template?: Partial<SubscriberCertificateTemplate>;
  readonly issuer?: Partial<IssuerIdentity>;
  readonly mutate?: (tbs: TBSCertificate) => void;
}

const spkis = new Map<VectorKey, ArrayBuffer>();
async function spkiFor(kind: VectorKey): Promise<ArrayBuffer> {
  const cached = spkis.get(kind);
  if (cached) {
    return cached;
  }
  const spki =
    kind === 'X25519'
      ? toArrayBuffer(generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' }))
      : await webCrypto.subtle.exportKey('spki', (await generateTestKeys(kind)).publicKey);
  spkis.set(kind, spki);
  return spki;
}

async function lintVector(vector: Vector): Promise<string[]> {
  const spki = await spkiFor(vector.key ?? 'P-256');
  const template = {
    ...subscriberTemplate({
      subject: subscriberSubject,
      email: 'taro@example.jp',
      key: describeSubjectKey(spki),
      notBefore,
      notAfter: validityEnd(notBefore, 365),
      serialNumberHex: '3a'.repeat(20),
      urls: subscriberUrls,
    }),
    ...vector.template,
  };
  const tbs = subscriberTbsCertificate(template, spki, { ...issuer, ...vector.issuer });
  vector.mutate?.(tbs);
  return runLints(parseTbs(encodeTbsCertificate(tbs)), context).map((problem) => problem.code);
}

function withoutExtension(oid: string): (tbs: TBSCertificate) => void {
  return (tbs) => {
    tbs.extensions = new Extensions((tbs.extensions ?? []).filter((extension) => extension.extnID !== oid));
  };
}

function withCritical(oid: string, critical: boolean): (tbs: TBSCertificate) => void {
  return (tbs) => {
    for (const extension of tbs.extensions ?? []) {
      if (extension.extnID === oid) {
        extension.critical = critical;
      }
    }
  };
}

function adding(...extensions: Extensions[number][]): (tbs: TBSCertificate) => void {
  return (tbs) => {
    tbs.extensions = new Extensions([...(tbs.extensions ?? []), ...extensions]);
  };
}

const email = '1.2.840.113549.1.9.1';
const subjectWithout = (oid: string): SubscriberCertificateTemplate['subject'] =>
  subscriberTemplateSubject().filter((attribute) => attribute.oid !== oid);
const subjectWith = (oid: string, value: string): SubscriberCertificateTemplate['subject'] =>
  subscriberTemplateSubject().map((attribute) => (attribute.oid === oid ? { ...attribute, value } : attribute));
function subscriberTemplateSubject(): SubscriberCertificateTemplate['subject'] {
  return subscriberTemplate({
    subject: subscriberSubject,
    email: 'x@example.jp',
    key: { kind: 'ed25519' },
    notBefore,
    notAfter: notBefore,
    serialNumberHex: '01',
    urls: subscriberUrls,
  }).subject;
}

const badVectors: ReadonlyArray<readonly [lint: string, situation: string, vector: Vector]> = [
  ['e_cert_extensions_version_not_3', 'a v2 certificate', { mutate: (tbs) => void (tbs.version = Version.v2) }],
  ['e_serial_number_not_positive', 'a negative serial', { mutate: (tbs) => void (tbs.serialNumber = Uint8Array.of(0x80, ...Array(19).fill(1)).buffer) }],
  ['e_serial_number_not_positive', 'a zero serial', { template: { serialNumberHex: '00' } }],
  ['e_serial_number_longer_than_20_octets', 'a 21-octet serial', { template: { serialNumberHex: '7f'.repeat(21) } }],
  ['n_serial_number_low_entropy', 'a serial of 4 bytes', { template: { serialNumberHex: '01020304' } }],
  ['n_serial_number_low_entropy', 'a serial of 8 bytes', { template: { serialNumberHex: '7f'.repeat(8) } }],
  ['e_signature_algorithm_not_supported', 'sha1WithRSAEncryption', { mutate: (tbs) => void (tbs.signature = new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.5', parameters: null })) }],
  ['e_issuer_dn_matches_issuing_ca', 'an issuer that is not the issuing CA', { issuer: { subjectDer: new Uint8Array(AsnConvert.serialize(encodeName(parseDistinguishedName('CN=Other CA, C=JP')))) } }],
  ['e_validity_time_not_positive', 'notAfter equal to notBefore', { template: { notAfter: notBefore } }],
  ['e_sub_cert_valid_time_longer_than_825_days', 'a validity of 826 days', { template: { notAfter: validityEnd(notBefore, 826) } }],
  ['e_sub_cert_valid_time_longer_than_825_days', '825 days and one second', { template: { notAfter: new Date(validityEnd(notBefore, 825).getTime() + 1000) } }],
  ['e_subject_attribute_value_empty', 'a blank locality', { template: { subject: subjectWith('2.5.4.7', ' ') } }],
  ['e_subject_country_name', 'a three-letter country', { template: { subject: subjectWith('2.5.4.6', 'JPN') } }],
  ['e_subject_country_name', 'a lower-case country', { template: { subject: subjectWith('2.5.4.6', 'jp') } }],
  ['e_subject_common_name_max_length', 'a 65-character commonName', { template: { subject: subjectWith('2.5.4.3', '髙'.repeat(65)) } }],
  ['e_subject_organization_name_max_length', 'a 65-character organizationName', { template: { subject: subjectWith('2.5.4.10', 'O'.repeat(65)) } }],
  ['e_sponsor_validated_subject_fields', 'no organizationName', { template: { subject: subjectWithout('2.5.4.10') } }],
  ['e_sponsor_validated_subject_fields', 'givenName without surname', { template: { subject: subjectWithout('2.5.4.4') } }],
  ['e_mailbox_address_shall_contain_an_rfc822_name', 'a subject emailAddress missing from the SAN', { template: { subject: [...subscriberTemplateSubject(), { oid: email, value: 'other@example.jp', encoding: 'ia5String' }] } }],
  ['e_mailbox_address_shall_contain_an_rfc822_name', 'a mailbox commonName missing from the SAN', { template: { subject: subjectWith('2.5.4.3', 'other@example.jp') } }],
  ['e_invalid_spki_algoid', 'an X25519 key', { key: 'X25519' }],
  ['e_rsa_mod_less_than_2048_bits', 'an RSA-1024 key', { key: 'RSA-1024' }],
  ['e_mp_modulus_must_be_divisible_by_8', 'an RSA-2052 key', { key: 'RSA-2052' }],
  ['e_subject_key_allowed_by_profile', 'a P-521 key', { key: 'P-521' }],
  ['e_subject_key_allowed_by_profile', 'an RSA-1024 key', { key: 'RSA-1024' }],
  ['e_ext_duplicate_extension', 'two subjectAltName extensions', { mutate: adding(subjectAltNameExtension(['taro@example.jp'])) }],
  ['e_ext_value_not_decodable', 'a keyUsage that is not a BIT STRING', { mutate: (tbs) => {
    const keyUsage = tbs.extensions?.find((extension) => extension.extnID === extensionOids.keyUsage);
    if (keyUsage) {
      keyUsage.extnValue = new OctetString(Uint8Array.of(0x05, 0x00));
    }
  } }],
  ['e_exactly_one_smime_policy', 'no policy', { template: { policyOids: [] } }],
  ['e_exactly_one_smime_policy', 'two S/MIME policies', { template: { policyOids: ['2.23.140.1.5.3.2', '2.23.140.1.5.3.3'] } }],
  ['e_smime_policy_matches_profile', 'the Individual-validated policy', { template: { policyOids: ['2.23.140.1.5.4.2'] } }],
  ['e_subscribers_shall_have_crl_distribution_points', 'no cRLDistributionPoints', { mutate: withoutExtension(extensionOids.cRLDistributionPoints) }],
  ['e_subscribers_crl_distribution_points_are_http', 'an https CRL URL', { template: { crlDistributionPointUrls: ['https://crl.certdesk.example/g1.crl'] } }],
  ['e_subscribers_crl_distribution_points_are_http', 'an ldap CRL URL', { template: { crlDistributionPointUrls: ['ldap://ldap.certdesk.example/cn=g1'] } }],
  ['e_smime_strict_aia_shall_have_http_only', 'an https OCSP URL', { template: { ocspUrls: ['https://ocsp.certdesk.example'] } }],
  ['e_aia_ocsp_and_ca_issuers_present', 'no caIssuers', { template: { caIssuersUrls: [] } }],
  ['e_aia_ocsp_and_ca_issuers_present', 'no authorityInfoAccess', { mutate: withoutExtension(extensionOids.authorityInfoAccess) }],
  ['e_key_usage_presence', 'no keyUsage', { mutate: withoutExtension(extensionOids.keyUsage) }],
  ['w_key_usage_criticality', 'a non-critical keyUsage', { mutate: withCritical(extensionOids.keyUsage, false) }],
  ['e_rsa_key_usage_legacy_multipurpose', 'keyAgreement on an RSA key', { key: 'RSA-2048', template: { keyUsage: ['digitalSignature', 'keyAgreement'] } }],
  ['e_ecpublickey_key_usages', 'keyEncipherment on an EC key', { template: { keyUsage: ['digitalSignature', 'keyEncipherment'] } }],
  ['e_edwardspublickey_key_usages', 'keyEncipherment only on an Ed25519 key', { key: 'Ed25519', template: { keyUsage: ['keyEncipherment'] } }],
  ['e_smime_legacy_multipurpose_eku_check', 'a serverAuth EKU', { template: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.1'] } }],
  ['e_smime_legacy_multipurpose_eku_check', 'no emailProtection', { template: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.2'] } }],
  ['e_smime_legacy_multipurpose_eku_check', 'anyExtendedKeyUsage', { template: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '2.5.29.37.0'] } }],
  ['e_ext_authority_key_identifier_missing', 'no authorityKeyIdentifier', { mutate: withoutExtension(extensionOids.authorityKeyIdentifier) }],
  ['e_authority_key_identifier_correct', 'a critical authorityKeyIdentifier', { mutate: withCritical(extensionOids.authorityKeyIdentifier, true) }],
  ['e_aki_matches_issuer_ski', "an AKI that is not the issuer's SKI", { issuer: { keyIdentifier: new Uint8Array(20).fill(0x5a) } }],
  ['w_ext_subject_key_identifier_missing_sub_cert', 'no subjectKeyIdentifier', { mutate: withoutExtension(extensionOids.subjectKeyIdentifier) }],
  ['e_san_shall_be_present', 'no subjectAltName', { mutate: withoutExtension(extensionOids.subjectAltName) }],
  ['e_san_contains_mailbox_address', 'a subjectAltName without an email', { template: { emailAddresses: [] } }],
  ['e_ext_san_rfc822_format_invalid', 'an rfc822Name that is not a mailbox', { template: { emailAddresses: ['taro at example.jp'] } }],
  ['w_ext_san_critical_with_subject_dn', 'a critical subjectAltName', { mutate: withCritical(extensionOids.subjectAltName, true) }],
  ['e_smime_subscriber_basic_constraints_ca', 'basicConstraints cA=TRUE', { mutate: adding(basicConstraintsExtension(undefined, true)) }],
];

describe(runLints.name, () => {
  beforeAll(async () => {
    // Key generation is the slow part; do it once for every vector.
    await Promise.all((['P-256', 'P-384', 'RSA-2048', 'Ed25519'] as const).map(spkiFor));
  });

  it.each(['P-256', 'P-384', 'RSA-2048', 'Ed25519'] as const)('passes the profile template for a %s key', async (key) => {
    expect(await lintVector({ key })).toEqual([]);
  });

  it.each(badVectors)('fires %s on %s', async (lint, _situation, vector) => {
    expect(await lintVector(vector)).toContain(lint);
  });

  it('has a failing vector for every lint it runs', () => {
    expect(new Set(badVectors.map(([lint]) => lint))).toEqual(new Set(subscriberLints.map((lint) => lint.name)));
  });

  it('runs the lints in their fixed order and returns every problem', async () => {
    const codes = await lintVector({
      template: {
        serialNumberHex: '01020304',
        extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.1'],
        crlDistributionPointUrls: ['https://crl.certdesk.example/g1.crl'],
        notAfter: validityEnd(notBefore, 826),
      },
    });
    expect(codes).toEqual([
      'n_serial_number_low_entropy',
      'e_sub_cert_valid_time_longer_than_825_days',
      'e_subscribers_crl_distribution_points_are_http',
      'e_smime_legacy_multipurpose_eku_check',
    ]);
  });

  it('gives each lint a unique name and a citation', () => {
    const names = subscriberLints.map((lint) => lint.name);
    expect(new Set(names).size).toBe(names.length);
    for (const lint of subscriberLints) {
      expect(lint.name).toMatch(/^[ewn]_[a-z0-9_]+$/);
      expect(lint.citation.length).toBeGreaterThan(0);
    }
  });

  it('reports the requested and the allowed value', async () => {
    const spki = await spkiFor('P-256');
    const template = subscriberTemplate({
      subject: subscriberSubject,
      email: 'taro@example.jp',
      key: describeSubjectKey(spki),
      notBefore,
      notAfter: validityEnd(notBefore, 826),
      serialNumberHex: '3a'.repeat(20),
      urls: subscriberUrls,
    });
    const [problem] = runLints(parseTbs(encodeTbsCertificate(subscriberTbsCertificate(template, spki, issuer))), context);
    expect(problem).toEqual({
      code: 'e_sub_cert_valid_time_longer_than_825_days',
      citation: 'S/MIME BR 6.3.2',
      message: 'validity period is 826.000 days (notBefore through notAfter inclusive); at most 825 are allowed',
    });
  });
});
