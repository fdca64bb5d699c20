import { createHash, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { FERMAT_ROUNDS, fermatFactor, hasRocaFingerprint, isqrt, spkiSha256Hex, weakKeyReason } from '../../src/ca/weak-keys.js';
import { generateTestKeys } from './ca-test-kit.js';
import { closePrimes, rocaPrimes, rsaKeysFromPrimes } from './weak-key-kit.js';

const spkiOf = async (keys: CryptoKeyPair) => webCrypto.subtle.exportKey('spki', keys.publicKey);

describe('weak RSA keys (S/MIME BR 6.1.1.3)', () => {
  it('finds the ROCA fingerprint in a modulus of RSALib-shaped primes, and not in ordinary keys', async () => {
    const roca = await rsaKeysFromPrimes(...rocaPrimes(2048));
    expect(weakKeyReason(await spkiOf(roca))).toBe('rocaFingerprint');
    for (let i = 0; i < 3; i++) expect(weakKeyReason(await spkiOf(await generateTestKeys('RSA-2048')))).toBeUndefined();
  });

  it('factors a modulus of close primes by Fermat’s method', async () => {
    const [p, q] = closePrimes(1024);
    expect(fermatFactor(p * q, FERMAT_ROUNDS)).toEqual([p, q]);
    expect(weakKeyReason(await spkiOf(await rsaKeysFromPrimes(p, q)))).toBe('closePrimes');
  });

  it('leaves EC keys alone and names a key by the SHA-256 of its SubjectPublicKeyInfo', async () => {
    const spki = await spkiOf(await generateTestKeys('P-256'));
    expect(weakKeyReason(spki)).toBeUndefined();
    expect(spkiSha256Hex(spki)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names one EC key by one hash whatever form its point came in, and the profile takes only the uncompressed form', async () => {
    const uncompressed = new Uint8Array(await spkiOf(await generateTestKeys('P-256')));
    const point = uncompressed.subarray(uncompressed.length - 65);
    const x = point.subarray(1, 33);
    const isYOdd = (point[64]! & 1) === 1;
    const header = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
    const compressed = new Uint8Array([...header, isYOdd ? 0x03 : 0x02, ...x]);
    expect(spkiSha256Hex(compressed)).toBe(spkiSha256Hex(uncompressed));
    expect(describeSubjectKey(uncompressed)).toEqual({ kind: 'ec', curve: 'P-256' });
    expect(describeSubjectKey(compressed)).toEqual({ kind: 'unsupported', algorithm: 'EC public key not in uncompressed form' });
  });

  it('names every key as the JWK re-encoding would, by its bytes when OpenSSL cannot load them (P-256, P-384, RSA, damaged)', async () => {
    // The definition the key history was written with (issue #8): SHA-256 over the key
    // re-encoded through JWK, or over the bytes as they are.
    const reference = (spki: Uint8Array) => {
      let canonical: Uint8Array = spki;
      try {
        const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
        canonical = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
      } catch {
        // bytes as they are
      }
      return createHash('sha256').update(canonical).digest('hex');
    };
    const keys = [
      ...(await Promise.all(Array.from({ length: 6 }, () => generateTestKeys('P-256')))),
      ...(await Promise.all(Array.from({ length: 3 }, () => generateTestKeys('P-384')))),
      await generateTestKeys('RSA-2048'),
    ];
    const spkis = await Promise.all(keys.map(async (pair) => new Uint8Array(await spkiOf(pair))));
    for (const spki of spkis) expect(spkiSha256Hex(spki)).toBe(reference(spki));
    // Damaged: a flipped byte anywhere (an invalid point, another curve, a broken length), a cut.
    fc.assert(
      fc.property(fc.nat({ max: spkis.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (which, at, flip, cut) => {
        const spki = new Uint8Array(spkis[which]!);
        const index = at % spki.length;
        const damaged = cut ? spki.subarray(0, index) : (spki[index]! ^= flip, spki);
        expect(spkiSha256Hex(damaged)).toBe(reference(damaged));
      }),
      { numRuns: 300 },
    );
  });

  it('computes integer square roots exactly', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, (1n << 200n) - 1n, 1n << 200n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    expect(hasRocaFingerprint(65537n)).toBe(true);
    expect(hasRocaFingerprint(2n)).toBe(false);
  });
});
