import 'reflect-metadata';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  CRLDistributionPoints,
  CertificatePolicies,
  DistributionPoint,
  DistributionPointName,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  Name,
  PolicyInformation,
  PolicyQualifierInfo,
  SubjectAlternativeName,
  TBSCertificate,
  Version,
} from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { parseTbsFast, readParsedTbs } from '../../src/ca/lints/fast-parsed-tbs.js';
import { parseTbs, type ParsedTbs } from '../../src/ca/lints/parsed-tbs.js';
import { runLints } from '../../src/ca/lints/subscriber-lints.js';
import { extensionOids } from '../../src/ca/oids.js';
import { subscriberProfile, subscriberTemplate, validityEnd, type NameAttribute } from '../../src/ca/profile.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import {
  basicConstraintsExtension,
  encodeTbsCertificate,
  extension,
  subscriberTbsCertificate,
  type IssuerIdentity,
} from '../../src/ca/tbs-certificate.js';
import { subscriberSubject } from './ca-test-kit.js';
import {
  assertProperty,
  comparable,
  issuerArbitrary,
  issuingName,
  makeSpkiPool,
  nameAttribute,
  subscriberTemplateFor,
  templateArbitrary,
  issuedRequestFields,
  outcomeOf,
} from './fast-path-kit.js';

/**
 * The lints' fast reader (src/ca/lints/fast-parsed-tbs.ts) against parseTbs: the same
 * ParsedTbs, compared deep and strict (types of byte arrays, undefined members), or the same
 * error — over TBSCertificates the reference encoder writes from random templates, over the
 * reference's structures bent the way the lint vectors bend them, and over damaged bytes.
 */

const parsedOutcome = (parse: () => ParsedTbs) => outcomeOf(parse, comparable);

let spkiOf: (index: number) => Uint8Array;
beforeAll(async () => {
  spkiOf = await makeSpkiPool();
});

const issuer: IssuerIdentity = { subjectDer: issuingName, keyIdentifier: new Uint8Array(20).fill(0xa5), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };

/** The TBS the issuer lints for one subscriber, as the reference builds it, before any change. */
function subscriberTbs(spki: Uint8Array, overrides: Parameters<typeof subscriberTemplateFor>[1] = {}): TBSCertificate {
  return subscriberTbsCertificate(subscriberTemplateFor(subscriberSubject, { keyUsage: ['digitalSignature', 'keyAgreement'], ...overrides }), spki, issuer);
}

const ext = (oid: string, critical: boolean, value: unknown): Extension => extension(oid, critical, value);
const rawExtension = (oid: string, critical: boolean, value: Uint8Array): Extension => new Extension({ extnID: oid, critical, extnValue: new OctetString(value) });

/** Changes to a subscriber TBS, in the spirit of test/ca/lints.test.ts: each one a lint's reason to fire, or a shape to step aside for. */
const mutations: ReadonlyArray<readonly [string, (tbs: TBSCertificate, random: Uint8Array) => void]> = [
  ['nothing', () => undefined],
  ['drop an extension', (tbs, random) => tbs.extensions?.splice((random[0] ?? 0) % 8, 1)],
  ['duplicate an extension', (tbs, random) => tbs.extensions?.push(tbs.extensions[(random[0] ?? 0) % 8] as Extension)],
  ['flip a criticality', (tbs, random) => {
    const target = tbs.extensions?.[(random[0] ?? 0) % 8];
    if (target) target.critical = !target.critical;
  }],
  ['random extension value', (tbs, random) => {
    const index = (random[0] ?? 0) % 8;
    const target = tbs.extensions?.[index];
    if (target) target.extnValue = new OctetString(random.slice(1));
  }],
  ['no extensions', (tbs) => {
    delete (tbs as { extensions?: Extensions }).extensions;
  }],
  ['version v1', (tbs) => {
    tbs.version = Version.v1;
  }],
  ['version v2', (tbs) => {
    tbs.version = Version.v2;
  }],
  ['basicConstraints cA', (tbs) => tbs.extensions?.push(basicConstraintsExtension(undefined))],
  ['basicConstraints cA pathLen 0', (tbs) => tbs.extensions?.push(basicConstraintsExtension(0))],
  ['basicConstraints cA false', (tbs) => tbs.extensions?.push(basicConstraintsExtension(undefined, false))],
  ['basicConstraints pathLen 300', (tbs) => tbs.extensions?.push(basicConstraintsExtension(300))],
  ['AKI with issuer and serial', (tbs) => tbs.extensions?.push(ext(extensionOids.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({
    keyIdentifier: new KeyIdentifier(new Uint8Array(20)),
    authorityCertIssuer: [new GeneralName({ directoryName: new Name([]) })],
    authorityCertSerialNumber: new Uint8Array([1]).buffer,
  })))],
  ['AKI without keyIdentifier', (tbs) => tbs.extensions?.unshift(ext(extensionOids.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({})))],
  ['SAN with dNSName and URI', (tbs) => tbs.extensions?.unshift(ext(extensionOids.subjectAltName, false, new SubjectAlternativeName([
    new GeneralName({ dNSName: 'mail.example.jp' }),
    new GeneralName({ uniformResourceIdentifier: 'https://example.jp/' }),
    new GeneralName({ rfc822Name: 'taro@example.jp' }),
  ])))],
  ['SAN with directoryName', (tbs) => tbs.extensions?.unshift(ext(extensionOids.subjectAltName, false, new SubjectAlternativeName([
    new GeneralName({ directoryName: encodeName([{ oid: '2.5.4.3', value: 'x', encoding: 'utf8String' }]) }),
  ])))],
  ['empty SAN, EKU and policies', (tbs) => tbs.extensions?.unshift(
    rawExtension(extensionOids.subjectAltName, false, Uint8Array.of(0x30, 0x00)),
    rawExtension(extensionOids.extKeyUsage, false, Uint8Array.of(0x30, 0x00)),
    rawExtension(extensionOids.certificatePolicies, false, Uint8Array.of(0x30, 0x00)),
  )],
  ['policy with a qualifier', (tbs) => tbs.extensions?.unshift(ext(extensionOids.certificatePolicies, false, new CertificatePolicies([
    new PolicyInformation({ policyIdentifier: '2.23.140.1.5.3.2', policyQualifiers: [new PolicyQualifierInfo({ policyQualifierId: '1.3.6.1.5.5.7.2.1', qualifier: AsnConvert.serialize(new OctetString(new Uint8Array(2))) })] }),
  ])))],
  ['CRL DP without a name, and with reasons', (tbs) => tbs.extensions?.unshift(ext(extensionOids.cRLDistributionPoints, false, new CRLDistributionPoints([
    new DistributionPoint({}),
    new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: 'http://crl.example/x.crl' })] }) }),
  ])))],
  ['key usage: empty, decipherOnly, odd unused bits', (tbs, random) => tbs.extensions?.unshift(rawExtension(extensionOids.keyUsage, true, [
    Uint8Array.of(0x03, 0x01, 0x00),
    Uint8Array.of(0x03, 0x03, 0x07, 0x80, 0x80),
    Uint8Array.of(0x03, 0x02, (random[0] ?? 0) % 9, random[1] ?? 0),
    Uint8Array.of(0x03, 0x03, (random[0] ?? 0) % 8, random[1] ?? 0, random[2] ?? 0),
  ][(random[3] ?? 0) % 4] ?? new Uint8Array()))],
  ['critical encoded as an explicit FALSE', (tbs) => {
    const der = new Uint8Array(AsnConvert.serialize(tbs.extensions?.[1]));
    // SEQUENCE { OID, OCTET STRING } → SEQUENCE { OID, BOOLEAN FALSE, OCTET STRING }
    const oidLength = (der[3] ?? 0) + 2;
    const body = der.slice(2);
    const patched = Uint8Array.from([0x30, (der[1] ?? 0) + 3, ...body.slice(0, oidLength), 0x01, 0x01, 0x00, ...body.slice(oidLength)]);
    tbs.extensions?.splice(1, 1, AsnConvert.parse(patched, Extension));
  }],
  ['a stranger subject', (tbs, random) => {
    tbs.subject = AsnConvert.parse(
      Uint8Array.from([0x30, 0x0b, 0x31, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, [0x14, 0x1e, 0x1c, 0x12, 0x13, 0x16, 0x0c][(random[0] ?? 0) % 7] ?? 0x14, 0x00]),
      Name,
    );
  }],
];

const tbsOf = (template: Parameters<typeof subscriberTbsCertificate>[0], spki: Uint8Array, tbsIssuer: IssuerIdentity): Uint8Array | undefined => {
  try {
    return encodeTbsCertificate(subscriberTbsCertificate(template, spki, tbsIssuer));
  } catch {
    // Templates the reference cannot write are not TBSCertificates to parse.
    return undefined;
  }
};

describe(parseTbsFast.name, () => {
  it('reads what the issuer lints itself, and reads it as parseTbs does', () => {
    assertProperty(
      fc.property(
        fc.record({
          ...issuedRequestFields,
        }),
        ({ subject, email, notBefore, validityDays, spkiIndex, urls }) => {
          const spki = spkiOf(spkiIndex);
          const key = describeSubjectKey(spki);
          const template = subscriberTemplate({ subject, email, key, notBefore, notAfter: validityEnd(notBefore, validityDays), serialNumberHex: randomSerialNumber(), urls });
          const der = encodeTbsCertificate(subscriberTbsCertificate(template, spki, issuer));
          const expected = parseTbs(der);
          const read = readParsedTbs(der);
          expect(read, 'the fast reader answered itself').toBeDefined();
          expect(comparable(read)).toStrictEqual(comparable(expected));
          expect(comparable(readParsedTbs(der, { spki, key }))).toStrictEqual(comparable(expected));
          // And so do the lints: the same problems, in the same order.
          const context = { profile: subscriberProfile, issuer };
          expect(runLints(parseTbsFast(der, { spki, key }), context)).toStrictEqual(runLints(expected, context));
        },
      ),
      300,
    );
  });

  it('gives parseTbs’s answer, or its error, for every TBS the reference writes from any template', () => {
    assertProperty(
      fc.property(fc.record({ template: templateArbitrary(fc.nat()), issuer: issuerArbitrary }), ({ template: { spkiIndex, ...template }, issuer: tbsIssuer }) => {
        const der = tbsOf(template, spkiOf(spkiIndex), tbsIssuer);
        if (der === undefined) return;
        expect(parsedOutcome(() => parseTbsFast(der))).toStrictEqual(parsedOutcome(() => parseTbs(der)));
      }),
      500,
    );
  });

  it('gives parseTbs’s answer for subscriber TBSs bent the ways the lints look for', () => {
    assertProperty(
      fc.property(
        fc.record({
          mutations: fc.array(fc.nat({ max: mutations.length - 1 }), { minLength: 1, maxLength: 3 }),
          random: fc.uint8Array({ minLength: 4, maxLength: 40 }),
          spkiIndex: fc.nat(),
          subject: fc.option(fc.array(nameAttribute, { maxLength: 4 }), { nil: undefined }),
        }),
        ({ mutations: picks, random, spkiIndex, subject }) => {
          let tbs: TBSCertificate;
          try {
            tbs = subscriberTbs(spkiOf(spkiIndex), subject === undefined ? {} : { subject: subject as NameAttribute[] });
            for (const pick of picks) mutations[pick]?.[1](tbs, random);
          } catch {
            // A bent structure the reference cannot build is no input.
            return;
          }
          let der: Uint8Array;
          try {
            der = new Uint8Array(AsnConvert.serialize(tbs));
          } catch {
            return;
          }
          expect(parsedOutcome(() => parseTbsFast(der)), picks.map((pick) => mutations[pick]?.[0]).join(' + ')).toStrictEqual(parsedOutcome(() => parseTbs(der)));
        },
      ),
      800,
    );
  });

  it('gives parseTbs’s answer, or its error, for damaged bytes', () => {
    assertProperty(
      fc.property(
        fc.record({
          spkiIndex: fc.nat(),
          edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'insert', 'delete', 'truncate')), { minLength: 1, maxLength: 3 }),
        }),
        ({ spkiIndex, edits }) => {
          const bytes = [...encodeTbsCertificate(subscriberTbs(spkiOf(spkiIndex)))];
          for (const [at, value, kind] of edits) {
            if (bytes.length === 0) break;
            const index = at % bytes.length;
            if (kind === 'set') bytes[index] = value;
            else if (kind === 'insert') bytes.splice(index, 0, value);
            else if (kind === 'delete') bytes.splice(index, 1);
            else bytes.length = Math.max(1, index);
          }
          const der = Uint8Array.from(bytes);
          expect(parsedOutcome(() => parseTbsFast(der))).toStrictEqual(parsedOutcome(() => parseTbs(der)));
        },
      ),
      1500,
    );
  });

  it('takes the described key only for the very SubjectPublicKeyInfo it describes', () => {
    const der = encodeTbsCertificate(subscriberTbs(spkiOf(0)));
    const other = spkiOf(5);
    const described = { spki: other, key: describeSubjectKey(other) };
    expect(parseTbsFast(der, described).subjectKey).toStrictEqual(describeSubjectKey(spkiOf(0)));
    expect(comparable(parseTbsFast(der, described))).toStrictEqual(comparable(parseTbs(der)));
  });
});
