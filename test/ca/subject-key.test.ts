import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSubjectKey, isCanonicalEcSpki, readSubjectKey, readThroughOpenssl, type SubjectKeyReading } from '../../src/ca/subject-key.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, type TestKeyKind } from './ca-test-kit.js';

const spkiOf = async (kind: TestKeyKind) => new Uint8Array(await webCrypto.subtle.exportKey('spki', (await generateTestKeys(kind)).publicKey));

/** A reading as data: the description, and the key OpenSSL holds (as JWK), or none. */
const asData = (reading: SubjectKeyReading) => ({ description: reading.description, key: reading.keyObject?.export({ format: 'jwk' }) });

describe(readSubjectKey.name, () => {
  it('reads P-256 and P-384 keys in OpenSSL’s form from their coordinates, exactly as OpenSSL’s decoder reads them, damaged ones too', async () => {
    const spkis = [...(await Promise.all(Array.from({ length: 4 }, () => spkiOf('P-256')))), ...(await Promise.all(Array.from({ length: 2 }, () => spkiOf('P-384'))))];
    for (const spki of spkis) {
      expect(isCanonicalEcSpki(spki)).toBe(true);
      expect(asData(readSubjectKey(spki))).toEqual(asData(readThroughOpenssl(spki)));
      expect(readSubjectKey(spki).description).toEqual({ kind: 'ec', curve: spki.length === 91 ? 'P-256' : 'P-384' });
    }
    // A point off the curve, coordinates at or past the field's prime, all zeros: refused alike.
    fc.assert(
      fc.property(fc.nat({ max: spkis.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (which, changes) => {
        const spki = new Uint8Array(spkis[which]!);
        const start = spki.length === 91 ? 27 : 24;
        for (const [at, value] of changes) spki[start + (at % (spki.length - start))] = value;
        expect(asData(readSubjectKey(spki))).toEqual(asData(readThroughOpenssl(spki)));
      }),
      { numRuns: 300 },
    );
    for (const fill of [0x00, 0xff]) {
      const spki = new Uint8Array(spkis[0]!);
      spki.fill(fill, 27);
      expect(readSubjectKey(spki)).toMatchObject({ description: { kind: 'unsupported' }, keyObject: undefined });
      expect(asData(readSubjectKey(spki))).toEqual(asData(readThroughOpenssl(spki)));
    }
  });

  it('reads every other key through OpenSSL’s decoder: RSA, Ed25519, P-521, compressed points', async () => {
    for (const kind of ['RSA-2048', 'Ed25519', 'P-521'] as const) {
      const spki = await spkiOf(kind);
      expect(isCanonicalEcSpki(spki)).toBe(false);
      expect(asData(readSubjectKey(spki))).toEqual(asData(readThroughOpenssl(spki)));
    }
    expect(describeSubjectKey(await spkiOf('RSA-2048'))).toEqual({ kind: 'rsa', modulusBits: 2048 });
    expect(describeSubjectKey(new Uint8Array([0x30, 0x00]))).toEqual({ kind: 'unsupported', algorithm: 'undecodable SubjectPublicKeyInfo' });
  });

  it('gives the same bytes the same reading, whatever buffer holds them, and keeps its answers from being changed', async () => {
    const spki = await spkiOf('P-256');
    const inBiggerBuffer = new Uint8Array(spki.length + 7);
    inBiggerBuffer.set(spki, 5);
    const first = readSubjectKey(spki);
    expect(readSubjectKey(inBiggerBuffer.subarray(5, 5 + spki.length))).toBe(first);
    expect(readSubjectKey(spki.slice().buffer)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.description)).toBe(true);
    const other = new Uint8Array(spki);
    other[40] = other[40]! ^ 1;
    expect(readSubjectKey(other)).not.toBe(first);
  });
});
