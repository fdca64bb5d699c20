import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toArrayBuffer } from '../../src/ca/der.js';
import { isCertificateSignedBy } from '../../src/ca/fast-signature-check.js';
import { cryptoKeySigner, type CaSigner } from '../../src/ca/keys/signer.js';
import { subscriberTemplate, validityEnd } from '../../src/ca/profile.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { signTbsCertificate } from '../../src/ca/sign-certificate.js';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import { encodeTbsCertificate, subscriberTbsCertificate } from '../../src/ca/tbs-certificate.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, subscriberSubject, subscriberUrls, type TestKeyKind } from './ca-test-kit.js';
import { issuingName, seed } from './fast-path-kit.js';

/**
 * isCertificateSignedBy against the reference step 8 (X509Certificate.verify, signature
 * only): the same answer for certificates signed by every kind of CA key, under the wrong
 * key, and for whatever a faulty signer answers.
 */

interface Signed {
  readonly kind: TestKeyKind;
  readonly tbs: Uint8Array;
  readonly signer: CaSigner;
  /** The signer's own answer for `tbs`, in WebCrypto form. */
  readonly rawSignature: ArrayBuffer;
  readonly der: Uint8Array;
  readonly issuerSpki: ArrayBuffer;
  readonly issuerKey: CryptoKey;
}

const signed: Signed[] = [];
const issuerKinds: TestKeyKind[] = ['P-256', 'P-384', 'RSA-2048', 'Ed25519'];

beforeAll(async () => {
  const subscriberSpki = await webCrypto.subtle.exportKey('spki', (await generateTestKeys('P-256')).publicKey);
  const notBefore = new Date('2026-11-27T00:00:00Z');
  for (const kind of issuerKinds) {
    const issuerKeys = await generateTestKeys(kind);
    const signer = cryptoKeySigner(issuerKeys);
    const template = subscriberTemplate({
      subject: subscriberSubject,
      email: 'taro.takasaki@example.jp',
      key: describeSubjectKey(subscriberSpki),
      notBefore,
      notAfter: validityEnd(notBefore, 365),
      serialNumberHex: randomSerialNumber(),
      urls: subscriberUrls,
    });
    const tbs = encodeTbsCertificate(subscriberTbsCertificate(template, subscriberSpki, { subjectDer: issuingName, keyIdentifier: new Uint8Array(20), signatureAlgorithm: signer.algorithm }));
    signed.push({
      kind,
      tbs,
      signer,
      rawSignature: await signer.sign(toArrayBuffer(tbs)),
      der: await signTbsCertificate(tbs, signer),
      issuerSpki: await webCrypto.subtle.exportKey('spki', issuerKeys.publicKey),
      issuerKey: issuerKeys.publicKey,
    });
  }
});

async function referenceVerdict(der: Uint8Array, issuerKey: CryptoKey): Promise<boolean> {
  try {
    return await new X509Certificate(toArrayBuffer(der)).verify({ publicKey: issuerKey, date: new Date('2026-11-27T00:00:00Z'), signatureOnly: true }, webCrypto);
  } catch {
    // The reference cannot even read it: the issuer would stop just the same.
    return false;
  }
}

describe(isCertificateSignedBy.name, () => {
  it.each(issuerKinds)('accepts what a %s CA signed, as the reference does', async (kind) => {
    const certificate = signed.find((candidate) => candidate.kind === kind);
    if (certificate === undefined) throw new Error(`no ${kind} certificate`);
    expect(await referenceVerdict(certificate.der, certificate.issuerKey)).toBe(true);
    expect(isCertificateSignedBy(certificate.der, certificate.issuerSpki)).toBe(true);
    expect(isCertificateSignedBy(certificate.der, certificate.issuerKey)).toBe(true);
  });

  it('refuses every certificate under another CA’s key, as the reference does', async () => {
    for (const certificate of signed) {
      for (const other of signed.filter((candidate) => candidate !== certificate)) {
        expect(isCertificateSignedBy(certificate.der, other.issuerSpki)).toBe(false);
        expect(isCertificateSignedBy(certificate.der, other.issuerKey)).toBe(false);
        expect(await referenceVerdict(certificate.der, other.issuerKey)).toBe(false);
      }
    }
  });

  // In the issuer, step 8 checks what signTbsCertificate assembled around the linted TBS:
  // only the signer's answer varies. So: a signer answering anything — its real signature
  // with octets changed, cut or added, another key's signature, random bytes — and the
  // verdict must be the reference's. (asn1js also forgives a damaged wrapper, such as a BIT
  // STRING's unused-bits octet; the issuer never writes one, and step 7 checks the TBS.)
  it('answers as the reference does for whatever a faulty signer returns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          which: fc.nat(),
          answer: fc.oneof(
            fc.record({ kind: fc.constant('edited' as const), edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 3 }) }),
            fc.record({ kind: fc.constant('other key' as const), other: fc.nat() }),
            fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ minLength: 0, maxLength: 600 }) }),
          ),
        }),
        async ({ which, answer }) => {
          const certificate = signed[which % signed.length];
          if (certificate === undefined) return;
          let bytes: Uint8Array;
          if (answer.kind === 'edited') {
            const edited = [...new Uint8Array(certificate.rawSignature)];
            for (const [at, value, kind] of answer.edits) {
              const index = at % Math.max(1, edited.length);
              if (kind === 'set') edited[index] = value;
              else if (kind === 'insert') edited.splice(index, 0, value);
              else edited.splice(index, 1);
            }
            bytes = Uint8Array.from(edited);
          } else if (answer.kind === 'other key') {
            bytes = new Uint8Array(signed[answer.other % signed.length]?.rawSignature ?? new ArrayBuffer(0));
          } else {
            bytes = answer.bytes;
          }
          let der: Uint8Array;
          try {
            der = await signTbsCertificate(certificate.tbs, { ...certificate.signer, sign: () => Promise.resolve(toArrayBuffer(bytes)) });
          } catch {
            // signTbsCertificate refuses it (an ECDSA answer of odd length): there is no step 8.
            return;
          }
          const expected = await referenceVerdict(der, certificate.issuerKey);
          expect(isCertificateSignedBy(der, certificate.issuerSpki), `${certificate.kind}, ${answer.kind}`).toBe(expected);
          expect(isCertificateSignedBy(der, certificate.issuerKey), `${certificate.kind}, ${answer.kind}, CryptoKey`).toBe(expected);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});
