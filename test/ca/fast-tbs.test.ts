import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeObjectIdentifier, toArrayBuffer, toHex } from '../../src/ca/der.js';
import { encodeSubscriberTbsFast, isNameReencodedUnchanged, signatureAlgorithmDer, writeSubscriberTbs } from '../../src/ca/fast-tbs.js';
import { canonicalObjectIdentifier, canonicalObjectIdentifierDer } from '../../src/ca/strict-der.js';
import { subscriberTemplate, validityEnd, type DirectoryStringType, type SubscriberCertificateTemplate } from '../../src/ca/profile.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { signatureAlgorithmIdentifier } from '../../src/ca/signature-algorithm.js';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import { encodeTbsCertificate, subscriberTbsCertificate, type IssuerIdentity } from '../../src/ca/tbs-certificate.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, subscriberSubject } from './ca-test-kit.js';
import {
  assertProperty,
  issuerArbitrary,
  issuingName,
  keyUsageNames,
  makeSpkiPool,
  oidArbitrary,
  signatureAlgorithms,
  subscriberTemplateFor,
  templateArbitrary,
  unusualNames,
  issuedRequestFields,
  outcomeOf,
  type Outcome,
} from './fast-path-kit.js';

/**
 * The fast TBSCertificate writer (src/ca/fast-tbs.ts) against the reference
 * (encodeTbsCertificate ∘ subscriberTbsCertificate): the same bytes, or the same error,
 * for random subjects, keys, dates, serials, URLs, OIDs and issuers. The domain properties
 * also insist that the fast writer itself answered, so the equality is not the fallback's.
 * FUZZ_SEED explores other cases (test/support/fuzz-seed.ts).
 */

const encodedOutcome = (encode: () => Uint8Array) => outcomeOf(encode, toHex);
const reference = (template: SubscriberCertificateTemplate, spki: Uint8Array, issuer: IssuerIdentity): Outcome<string> =>
  encodedOutcome(() => encodeTbsCertificate(subscriberTbsCertificate(template, spki, issuer)));
const fast = (template: SubscriberCertificateTemplate, spki: Uint8Array, issuer: IssuerIdentity): Outcome<string> =>
  encodedOutcome(() => encodeSubscriberTbsFast(template, spki, issuer));

let spkiOf: (index: number) => Uint8Array;
beforeAll(async () => {
  spkiOf = await makeSpkiPool();
});

// ---- properties --------------------------------------------------------------------------

describe(encodeSubscriberTbsFast.name, () => {
  it('writes the bytes of the reference for what the issuer signs: profile subjects, real keys, 1950–9999, fresh serials', () => {
    assertProperty(
      fc.property(
        fc.record({
          ...issuedRequestFields,
          issuer: issuerArbitrary.map((issuer) => ({ ...issuer, subjectDer: issuingName })),
        }),
        ({ subject, email, notBefore, validityDays, spkiIndex, issuer, urls }) => {
          const spki = spkiOf(spkiIndex);
          const template = subscriberTemplate({
            subject,
            email,
            key: describeSubjectKey(spki),
            notBefore,
            notAfter: validityEnd(notBefore, validityDays),
            serialNumberHex: randomSerialNumber(),
            urls,
          });
          const written = writeSubscriberTbs(template, spki, issuer);
          expect(written, 'the fast writer answered itself').toBeDefined();
          expect({ value: toHex(written ?? new Uint8Array()) }).toEqual(reference(template, spki, issuer));
        },
      ),
      400,
    );
  });

  it('gives the reference’s bytes or the reference’s error for any template, key bytes and issuer', () => {
    assertProperty(
      fc.property(
        fc.record({
          template: templateArbitrary(fc.nat()),
          spki: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 120 }) }),
          issuer: issuerArbitrary,
        }),
        ({ template: { spkiIndex, ...template }, spki: randomBytes, issuer }) => {
          const spki = randomBytes ?? spkiOf(spkiIndex);
          expect(fast(template, spki, issuer)).toEqual(reference(template, spki, issuer));
        },
      ),
      600,
    );
  });

  it('stays on the fast path for every subject string that asn1js can write, whatever its encoding', () => {
    assertProperty(
      fc.property(
        fc.array(
          fc.record({
            oid: fc.constantFrom('2.5.4.3', '2.5.4.4', '2.5.4.6', '2.5.4.7', '2.5.4.8', '2.5.4.10', '2.5.4.42'),
            value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 })),
            encoding: fc.constantFrom<DirectoryStringType>('printableString', 'utf8String', 'ia5String', 'other'),
          }),
          { maxLength: 8 },
        ),
        (subject) => {
          const template = subscriberTemplateFor(subscriberSubject, { subject });
          const spki = spkiOf(0);
          const issuer: IssuerIdentity = { subjectDer: issuingName, keyIdentifier: new Uint8Array(20).fill(7), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };
          const written = writeSubscriberTbs(template, spki, issuer);
          expect(written).toBeDefined();
          expect({ value: toHex(written ?? new Uint8Array()) }).toEqual(reference(template, spki, issuer));
        },
      ),
      400,
    );
  });

  it('matches the reference on every combination of the nine key usages', () => {
    const spki = spkiOf(0);
    const issuer: IssuerIdentity = { subjectDer: issuingName, keyIdentifier: new Uint8Array(20), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };
    for (let mask = 0; mask < 2 ** keyUsageNames.length; mask += 1) {
      const keyUsage = keyUsageNames.filter((_, bit) => (mask >> bit) & 1);
      const template = subscriberTemplateFor(subscriberSubject, { keyUsage });
      const written = writeSubscriberTbs(template, spki, issuer);
      expect(written, keyUsage.join(',')).toBeDefined();
      expect({ value: toHex(written ?? new Uint8Array()) }, keyUsage.join(',')).toEqual(reference(template, spki, issuer));
    }
  });

  it.each([
    ['1949-12-31T23:59:59.999Z', false],
    ['1950-01-01T00:00:00.000Z', true],
    ['2049-12-31T23:59:59.999Z', true],
    ['2050-01-01T00:00:00.000Z', true],
    ['9999-12-31T23:59:59.999Z', true],
    ['+010000-01-01T00:00:00.000Z', false],
  ] as const)('encodes the instant %s like the reference (fast path: %s)', (at, isFast) => {
    const template = subscriberTemplateFor(subscriberSubject, { notBefore: new Date(at), notAfter: new Date(at) });
    const issuer: IssuerIdentity = { subjectDer: issuingName, keyIdentifier: new Uint8Array(20), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };
    expect(writeSubscriberTbs(template, spkiOf(0), issuer) !== undefined).toBe(isFast);
    expect(fast(template, spkiOf(0), issuer)).toEqual(reference(template, spkiOf(0), issuer));
  });

  it('steps aside for CA names the reference would re-encode differently, and still answers like it', () => {
    for (const subjectDer of unusualNames()) {
      const issuer: IssuerIdentity = { subjectDer, keyIdentifier: new Uint8Array(20), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };
      const template = subscriberTemplateFor(subscriberSubject);
      const expected = reference(template, spkiOf(0), issuer);
      expect(fast(template, spkiOf(0), issuer), toHex(subjectDer)).toEqual(expected);
    }
    expect(isNameReencodedUnchanged(issuingName)).toBe(true);
    expect(unusualNames().filter((name) => isNameReencodedUnchanged(name)).map((name) => toHex(name))).toEqual([
      toHex(unusualNames()[4] ?? new Uint8Array()), // the empty name is written back as it is
      toHex(unusualNames()[6] ?? new Uint8Array()), // so is a multi-valued RDN (asn1-schema keeps the order)
    ]);
  });
});

describe(canonicalObjectIdentifierDer.name, () => {
  it('writes what der.ts encodeObjectIdentifier writes, and reads back what it wrote', () => {
    let written = 0;
    assertProperty(
      fc.property(oidArbitrary, (oid) => {
        const fast = canonicalObjectIdentifierDer(oid);
        let reference: string | undefined;
        try {
          reference = toHex(encodeObjectIdentifier(oid));
        } catch {
          // der.ts refuses it; the fast writer must too.
          reference = undefined;
        }
        if (fast === undefined) return;
        written += 1;
        expect(toHex(fast)).toBe(reference);
        expect(canonicalObjectIdentifier(fast, { tag: 0x06, start: 0, contentStart: 2, end: fast.length })).toBe(oid);
      }),
      2000,
    );
    expect(written).toBeGreaterThan(1000);
  });
});

describe(signatureAlgorithmDer.name, () => {
  it.each(signatureAlgorithms)('is the reference AlgorithmIdentifier for %o', (algorithm) => {
    expect(toHex(signatureAlgorithmDer(algorithm) ?? new Uint8Array())).toBe(
      toHex(new Uint8Array(AsnConvert.serialize(signatureAlgorithmIdentifier(algorithm)))),
    );
  });
});

describe('fast-tbs fixed vector', () => {
  it('writes the fixed vector of the lints tests byte for byte', async () => {
    const spki = await webCrypto.subtle.exportKey('spki', (await generateTestKeys('P-256')).publicKey);
    const template = subscriberTemplateFor(subscriberSubject, { serialNumberHex: '4c0ffee0000000000000000000000000000000aa' });
    const issuer: IssuerIdentity = { subjectDer: issuingName, keyIdentifier: new Uint8Array(20).fill(0xa5), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } };
    const written = writeSubscriberTbs(template, new Uint8Array(spki), issuer);
    expect(written).toBeDefined();
    expect(toHex(written ?? new Uint8Array())).toBe(toHex(encodeTbsCertificate(subscriberTbsCertificate(template, toArrayBuffer(spki), issuer))));
  });
});
