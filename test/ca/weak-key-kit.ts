import { checkPrimeSync, generatePrimeSync, randomBytes } from 'node:crypto';
import { webCrypto } from '../../src/ca/webcrypto.js';

/**
 * RSA keys with weak moduli, made for tests from primes of a known shape: a key pair
 * WebCrypto can sign a CSR with, whose public key the CA must refuse.
 */

const ROCA_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167].map(BigInt);
const PRIMORIAL = ROCA_PRIMES.reduce((a, b) => a * b, 1n);

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const randomBig = (bits: number) => BigInt(`0x${randomBytes(Math.ceil(bits / 8)).toString('hex')}`) | (1n << BigInt(bits - 1));

/** A prime k·M + (65537^a mod M), M the detector's primorial: the RSALib shape (ROCA). */
export function rocaPrime(bits: number): bigint {
  for (;;) {
    const k = randomBig(bits - PRIMORIAL.toString(2).length);
    const a = BigInt(1 + Math.floor(Math.random() * 1_000_000));
    const candidate = k * PRIMORIAL + modPow(65537n, a, PRIMORIAL);
    if (checkPrimeSync(candidate)) return candidate;
  }
}

/** Two RSALib-shaped primes whose product has exactly `bits` bits. */
export function rocaPrimes(bits: number): [bigint, bigint] {
  for (;;) {
    const [p, q] = [rocaPrime(bits / 2), rocaPrime(bits / 2)];
    if ((p * q).toString(2).length === bits) return [p, q];
  }
}

/** Two primes next to each other: Fermat's method factors their product at once. */
export function closePrimes(bits: number): [bigint, bigint] {
  for (;;) {
    const p = generatePrimeSync(bits, { bigint: true });
    let q = p + 2n;
    while (!checkPrimeSync(q)) q += 2n;
    if ((p * q).toString(2).length === 2 * bits) return [p, q];
  }
}

const b64 = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

/** A WebCrypto RSASSA-PKCS1-v1_5/SHA-256 key pair for the modulus p·q (e = 65537). */
export async function rsaKeysFromPrimes(p: bigint, q: bigint): Promise<CryptoKeyPair> {
  const e = 65537n;
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(modInverse(q, p)), ext: true };
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await webCrypto.subtle.importKey('jwk', jwk, algorithm, true, ['sign']);
  const publicKey = await webCrypto.subtle.importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true }, algorithm, true, ['verify']);
  return { privateKey, publicKey };
}
