import { createHash, createPublicKey } from 'node:crypto';
import { toHex } from './der.js';
import { isCanonicalEcSpki, readSubjectKey } from './subject-key.js';

/**
 * Keys the CA must refuse although their type and size are allowed (S/MIME BR 6.1.1.3):
 * RSA moduli with the ROCA fingerprint (CVE-2017-15361, Infineon's RSALib) and moduli
 * whose primes are close enough for Fermat's method. A key revoked for keyCompromise is
 * refused through the key history (`spkiSha256Hex` names it there).
 */
export type WeakKeyReason = 'rocaFingerprint' | 'closePrimes';

/**
 * SHA-256 of a DER SubjectPublicKeyInfo, hex: how the key history names a key. The key is
 * re-encoded first (through JWK: an EC point uncompressed, RSA as OpenSSL writes it), so
 * one key has one name whatever bytes it came in; bytes OpenSSL cannot load are hashed
 * as they are.
 */
export function spkiSha256Hex(spki: ArrayBuffer | Uint8Array): string {
  return toHex(new Uint8Array(createHash('sha256').update(canonicalSpki(new Uint8Array(spki))).digest()));
}

function canonicalSpki(spki: Uint8Array): Uint8Array {
  // Already in the one form the re-encoding writes: it would give back these very bytes.
  if (isCanonicalEcSpki(spki)) return spki;
  try {
    const jwk = (readSubjectKey(spki).keyObject ?? createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })).export({ format: 'jwk' });
    return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  } catch {
    // Not a key OpenSSL loads: the profile refuses it anyway; its bytes name it.
    return spki;
  }
}

/** Why an RSA key in `spki` is weak, or undefined (for any other key too). */
export function weakKeyReason(spki: ArrayBuffer | Uint8Array): WeakKeyReason | undefined {
  const modulus = rsaModulusOf(spki);
  if (modulus === undefined) return undefined;
  if (hasRocaFingerprint(modulus)) return 'rocaFingerprint';
  if (fermatFactor(modulus, FERMAT_ROUNDS) !== undefined) return 'closePrimes';
  return undefined;
}

function rsaModulusOf(spki: ArrayBuffer | Uint8Array): bigint | undefined {
  try {
    const key = readSubjectKey(spki).keyObject;
    if (key?.asymmetricKeyType !== 'rsa') return undefined;
    const { n } = key.export({ format: 'jwk' });
    return n === undefined ? undefined : BigInt(`0x${Buffer.from(n, 'base64url').toString('hex')}`);
  } catch {
    // Not a key OpenSSL loads: the profile's key checks refuse it already.
    return undefined;
  }
}

/**
 * RSALib primes are k·M + (65537^a mod M) with M a primorial, so the modulus lies in the
 * subgroup that 65537 generates modulo every small prime of M. A random modulus does so
 * for all of these primes with probability below 2^-60 (the published detector's test).
 */
const ROCA_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];

const rocaSubgroups: ReadonlyMap<number, ReadonlySet<number>> = new Map(
  ROCA_PRIMES.map((p) => {
    const members = new Set<number>();
    const generator = 65537 % p;
    for (let x = 1; !members.has(x); x = (x * generator) % p) members.add(x);
    return [p, members];
  }),
);

export function hasRocaFingerprint(modulus: bigint): boolean {
  for (const [p, members] of rocaSubgroups) {
    if (!members.has(Number(modulus % BigInt(p)))) return false;
  }
  return true;
}

/** Rounds of Fermat's method the BR name for "close primes" (S/MIME BR 6.1.1.3 (5)(iii)). */
export const FERMAT_ROUNDS = 100;

/** The factors of `n` when they are found within `rounds` steps of Fermat's method. */
export function fermatFactor(n: bigint, rounds: number): [bigint, bigint] | undefined {
  if (n <= 0n || n % 2n === 0n) return undefined;
  let a = isqrt(n);
  if (a * a < n) a += 1n;
  for (let i = 0; i < rounds; i++, a += 1n) {
    const b2 = a * a - n;
    const b = isqrt(b2);
    if (b * b === b2) return [a - b, a + b];
  }
  return undefined;
}

/** ⌊√n⌋ by Newton's method on integers. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
