import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import fc from 'fast-check';
import { defaultCaNames, parseDistinguishedName } from '../../src/ca/bootstrap.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { extKeyUsageOids, smimeSponsorValidatedMultipurposeOid } from '../../src/ca/oids.js';
import {
  keyUsageFlags,
  subscriberProfile,
  subscriberTemplate,
  validityEnd,
  type DirectoryStringType,
  type KeyUsageName,
  type NameAttribute,
  type SubscriberCertificateTemplate,
  type SubscriberSubject,
} from '../../src/ca/profile.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import type { CaSignatureAlgorithm } from '../../src/ca/signature-algorithm.js';
import type { IssuerIdentity } from '../../src/ca/tbs-certificate.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { fuzzSeedFrom } from '../support/fuzz-seed.js';
import { generateTestKeys, subscriberUrls, type TestKeyKind } from './ca-test-kit.js';

/**
 * What the fast-path tests (fast-tbs, fast-parsed-tbs) share: the fuzz seed, a pool of real
 * keys, and arbitraries for templates, names, OIDs, instants, serials and issuers — the
 * ordinary values the issuer meets and the odd ones the fast paths must hand to the reference.
 */

export const seed = fuzzSeedFrom(process.env['FUZZ_SEED']);
export const assertProperty = <T>(property: fc.IProperty<[T]>, numRuns: number): void => fc.assert(property, { seed, numRuns });

/** What a fast path or its reference did, as data to compare: the value shown by `show`, or the error's text. */
export type Outcome<V> = { readonly value: V } | { readonly error: string };
export function outcomeOf<T, V>(run: () => T, show: (result: T) => V): Outcome<V> {
  try {
    return { value: show(run()) };
  } catch (error) {
    return { error: String(error) };
  }
}

export const signatureAlgorithms: readonly CaSignatureAlgorithm[] = [
  { name: 'ECDSA', hash: 'SHA-256' },
  { name: 'ECDSA', hash: 'SHA-384' },
  { name: 'ECDSA', hash: 'SHA-512' },
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  { name: 'Ed25519' },
];
export const keyUsageNames = Object.keys(keyUsageFlags) as KeyUsageName[];

/** The issuing CA's subject as bootstrap.ts writes it. */
export const issuingName = new Uint8Array(AsnConvert.serialize(encodeName(parseDistinguishedName(defaultCaNames.issuing))));

/**
 * Real SubjectPublicKeyInfos of every kind the profile meets, and some it refuses
 * (P-521, X25519, RSA-1024 with e = 3). Index 0 is P-256. Call in beforeAll.
 */
export async function makeSpkiPool(): Promise<(index: number) => Uint8Array> {
  const spkis: Uint8Array[] = [];
  const kinds: TestKeyKind[] = ['P-256', 'P-256', 'P-256', 'P-384', 'P-521', 'RSA-2048', 'RSA-2048', 'Ed25519'];
  for (const kind of kinds) {
    spkis.push(new Uint8Array(await webCrypto.subtle.exportKey('spki', (await generateTestKeys(kind)).publicKey)));
  }
  spkis.push(new Uint8Array(generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' })));
  spkis.push(new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 }).publicKey.export({ type: 'spki', format: 'der' })));
  return (index) => spkis[index % spkis.length] ?? new Uint8Array();
}

// ---- arbitraries -------------------------------------------------------------------------

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
/** Japanese and other text, ASCII, any code point, and now and then a lone surrogate (asn1js throws on it). */
export const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }) },
  { weight: 3, arbitrary: fc.constantFrom('太郎', '髙﨑', '株式会社サンプル', '東京都', '千代田区', 'Ｔａｒｏ', '﨑', 'O\'Brien & Co.', ' ') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 70 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 4 }), loneSurrogate, fc.string({ maxLength: 4 })).map((parts) => parts.join('')) },
);
export const asciiText = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });

export const subscriberSubjectArbitrary: fc.Arbitrary<SubscriberSubject> = fc.record(
  {
    givenName: text,
    surname: text,
    commonName: text,
    organizationName: text,
    countryName: fc.oneof(fc.constantFrom('JP', 'US'), text),
    stateOrProvinceName: text,
    localityName: text,
  },
  { requiredKeys: ['givenName', 'surname', 'organizationName'] },
);

/** What the issuer signs in practice, as fc.record fields: profile subjects, real keys (by pool index), 1950–9000, http URLs. */
export const issuedRequestFields = {
  subject: subscriberSubjectArbitrary.filter((subject) => !Object.values(subject).some((value) => /[\uD800-\uDFFF]/.test(String(value)))),
  email: fc.emailAddress(),
  notBefore: fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('9000-01-01T00:00:00Z'), noInvalidDate: true }),
  validityDays: fc.integer({ min: 1, max: 825 }),
  spkiIndex: fc.nat(),
  urls: fc.record({ crl: fc.webUrl(), ocsp: fc.webUrl(), caIssuers: fc.webUrl() }),
};

/** Canonical OIDs, and the non-canonical and malformed ones the fast writer must hand over. */
export const oidArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.nat(), { maxLength: 6 })).map(([a, b, rest]) => [a, b, ...rest].join('.')) },
  { weight: 3, arbitrary: fc.tuple(fc.nat({ max: 100_000 }), fc.array(fc.oneof(fc.nat({ max: 200 }), fc.nat()), { maxLength: 6 })).map(([b, rest]) => ['2', b, ...rest].join('.')) },
  { weight: 2, arbitrary: fc.constantFrom('2.5.4.3', '2.5.4.6', '2.5.4.10', '2.5.4.42', '2.5.4.4', '1.2.840.113549.1.9.1', '2.999.18446744073709551616') },
  { weight: 1, arbitrary: fc.constantFrom('1.40.1', '3.1', '1', '', '1.2.03', '1..2', '1.2.', 'x', '-1.2', '1.2.9007199254740993', '0.0') },
);

export const nameAttribute: fc.Arbitrary<NameAttribute> = fc.record({
  oid: oidArbitrary,
  value: fc.oneof(text, asciiText),
  encoding: fc.constantFrom<DirectoryStringType>('printableString', 'utf8String', 'ia5String', 'other'),
});

/** Instants from 1940 to 10000 (ms included), weighted towards the UTCTime/GeneralizedTime boundaries. */
export const instant = fc.oneof(
  { weight: 5, arbitrary: fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('1950-01-01T00:00:00Z', '2049-12-31T23:59:59Z', '2050-01-01T00:00:00Z', '2026-11-27T00:00:00Z', '9999-12-31T23:59:59Z'), fc.integer({ min: -2000, max: 2000 }))
      .map(([at, deltaMs]) => new Date(new Date(at).getTime() + deltaMs)),
  },
  { weight: 1, arbitrary: fc.date({ min: new Date('1940-01-01T00:00:00Z'), max: new Date('+010001-01-01T00:00:00Z') }) },
);

export const serialHex = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null).map(() => randomSerialNumber()) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '00', '0', '80', 'ff', '00ff', 'xyz', '12 34', '-1') },
);

export const issuerArbitrary: fc.Arbitrary<IssuerIdentity> = fc.record({
  subjectDer: fc.oneof(
    { weight: 4, arbitrary: fc.constant(issuingName) },
    { weight: 3, arbitrary: fc.array(nameAttribute, { maxLength: 5 }).map((attributes) => referenceNameDer(attributes)).filter((der): der is Uint8Array => der !== undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...unusualNames()) },
  ),
  keyIdentifier: fc.uint8Array({ minLength: 0, maxLength: 40 }),
  signatureAlgorithm: fc.constantFrom(...signatureAlgorithms),
});

export function referenceNameDer(attributes: readonly NameAttribute[]): Uint8Array | undefined {
  try {
    return new Uint8Array(AsnConvert.serialize(encodeName(attributes)));
  } catch {
    // A name asn1js refuses to write cannot be a CA's subject.
    return undefined;
  }
}

/** Names the reference re-encodes differently, or reads at all only partly: the fast writer must step aside. */
export function unusualNames(): Uint8Array[] {
  const hex = (value: string): Uint8Array => new Uint8Array(Buffer.from(value.replace(/ /g, ''), 'hex'));
  return [
    hex('300b 3109 3007 0603 550403 1400'), // TeletexString
    hex('300d 310b 3009 0603 550403 1e02 0041'), // BMPString
    hex('300c 310a 3008 0603 550403 0c01 ff'), // UTF8String holding invalid UTF-8
    hex('3081 0b 3109 3007 0603 550403 0c00'), // non-minimal length
    hex('3000'), // empty name
    hex('3002 3100'), // empty RDN
    hex('3016 3114 3007 0603 550403 0c00 3009 0603 55040a 0c02 4142'), // multi-valued RDN
    hex('300c 310a 3008 0604 55048003 0c00'), // non-minimal OID arc
  ];
}

export const urlArbitrary = fc.oneof(fc.webUrl(), fc.constantFrom(subscriberUrls.crl, subscriberUrls.ocsp, subscriberUrls.caIssuers), text);
export const emailArbitrary = fc.oneof(fc.emailAddress(), text);

/** A template as subscriberTemplate makes it, with every field then varied. */
export const templateArbitrary = (spkiIndex: fc.Arbitrary<number>) =>
  fc.record({
    serialNumberHex: serialHex,
    notBefore: instant,
    notAfter: instant,
    subject: fc.oneof(subscriberSubjectArbitrary.map((subject) => subscriberTemplateFor(subject).subject), fc.array(nameAttribute, { maxLength: 8 })),
    emailAddresses: fc.array(emailArbitrary, { minLength: 0, maxLength: 3 }),
    policyOids: fc.oneof(fc.constant([smimeSponsorValidatedMultipurposeOid]), fc.array(oidArbitrary, { maxLength: 3 })),
    keyUsage: fc.subarray(keyUsageNames),
    extKeyUsageOids: fc.oneof(fc.constant([extKeyUsageOids.emailProtection, extKeyUsageOids.clientAuth]), fc.array(oidArbitrary, { maxLength: 3 })),
    crlDistributionPointUrls: fc.array(urlArbitrary, { maxLength: 2 }),
    ocspUrls: fc.array(urlArbitrary, { maxLength: 2 }),
    caIssuersUrls: fc.array(urlArbitrary, { maxLength: 2 }),
    spkiIndex,
  });

export function subscriberTemplateFor(subject: SubscriberSubject, overrides: Partial<SubscriberCertificateTemplate> = {}): SubscriberCertificateTemplate {
  const notBefore = new Date('2026-11-27T00:00:00Z');
  return {
    ...subscriberTemplate({
      subject,
      email: 'taro.takasaki@example.jp',
      key: { kind: 'ec', curve: 'P-256' },
      notBefore,
      notAfter: validityEnd(notBefore, subscriberProfile.defaultValidityDays),
      serialNumberHex: randomSerialNumber(),
      urls: subscriberUrls,
    }),
    ...overrides,
  };
}

/**
 * A value in a form to compare strictly: byte arrays as their type and hex, Dates as their
 * instant, objects with their prototype when it is not Object's, members that are undefined
 * kept. Arrays become plain arrays: parseTbs hands the lints instances of the asn1 classes
 * (`Name`, `Extensions`, … — Array.prototype.map keeps the subclass), which behave as the
 * readonly arrays ParsedTbs declares; no lint can tell them apart.
 */
export function comparable(value: unknown): unknown {
  if (value instanceof Date) return { instant: value.getTime() };
  if (ArrayBuffer.isView(value)) {
    return { [value.constructor.name]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  }
  if (Array.isArray(value)) return Array.from(value as unknown[], comparable);
  if (value !== null && typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    const entries = Object.entries(value).map(([key, member]) => [key, comparable(member)] as const);
    return prototype === Object.prototype ? Object.fromEntries(entries) : { [`prototype ${String((prototype as { constructor?: { name?: string } } | null)?.constructor?.name)}`]: Object.fromEntries(entries) };
  }
  return value;
}
