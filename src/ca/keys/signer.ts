import { KeyObject, sign } from 'node:crypto';
import type { CaSignatureAlgorithm, SignatureHash } from '../signature-algorithm.js';
import { webCrypto } from '../webcrypto.js';

/**
 * A CA signing key, wherever it lives. The embedded default is a key file
 * decrypted into a non-extractable WebCrypto key (`cryptoKeySigner`); a PKCS#11
 * token (SoftHSM2 in tests, SPEC §4) implements the same three members, so the
 * issuer never learns where the key is.
 */
export interface CaSigner {
  /** The CA's public key: checked against its certificate at startup and used to verify what we signed. */
  readonly publicKey: CryptoKey;
  /** The signature the CA makes; decides the X.509 AlgorithmIdentifier. */
  readonly algorithm: CaSignatureAlgorithm;
  /** Signs `data`; returns the signature in WebCrypto form (ECDSA: r‖s, as PKCS#11 CKM_ECDSA also returns). */
  sign(data: ArrayBuffer): Promise<ArrayBuffer>;
}

/**
 * A signer over a WebCrypto key pair (the decrypted key file). With Node's own WebCrypto,
 * ECDSA and Ed25519 sign on this thread through the key's KeyObject (~20 µs for P-256),
 * the same OpenSSL call without the ~80 µs of handing a job to the thread pool and back;
 * RSA, at a millisecond or more a signature, stays off this thread.
 */
export function cryptoKeySigner(keys: CryptoKeyPair, crypto: Crypto = webCrypto): CaSigner {
  const algorithm = signatureAlgorithmForKey(keys.privateKey);
  const signOnThisThread = crypto === webCrypto ? directSign(keys.privateKey, algorithm) : undefined;
  return {
    publicKey: keys.publicKey,
    algorithm,
    sign: signOnThisThread ?? ((data) => crypto.subtle.sign(algorithm, keys.privateKey, data)),
  };
}

/** WebCrypto's sign for `algorithm` as one node:crypto call, in WebCrypto's form (ECDSA r‖s); undefined for RSA. */
function directSign(privateKey: CryptoKey, algorithm: CaSignatureAlgorithm): ((data: ArrayBuffer) => Promise<ArrayBuffer>) | undefined {
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return undefined;
  const key = KeyObject.from(privateKey);
  const digest = algorithm.name === 'ECDSA' ? algorithm.hash.replace('-', '').toLowerCase() : null;
  return (data) => {
    try {
      const signature = sign(digest, new Uint8Array(data), { key, dsaEncoding: 'ieee-p1363' });
      return Promise.resolve(signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
}

/**
 * The signature a key makes. ECDSA pairs each curve with its hash
 * (S/MIME BR 7.1.3.2: P-256/SHA-256, P-384/SHA-384, P-521/SHA-512).
 */
export function signatureAlgorithmForKey(key: CryptoKey): CaSignatureAlgorithm {
  const { name } = key.algorithm;
  switch (name) {
    case 'ECDSA': {
      const { namedCurve } = key.algorithm as EcKeyAlgorithm;
      const hash = ecdsaHashes[namedCurve];
      if (!hash) {
        throw new Error(`CA key on curve ${namedCurve} is not supported`);
      }
      return { name: 'ECDSA', hash };
    }
    case 'RSASSA-PKCS1-v1_5': {
      const hash = (key.algorithm as RsaHashedKeyAlgorithm).hash.name;
      if (hash !== 'SHA-256' && hash !== 'SHA-384' && hash !== 'SHA-512') {
        throw new Error(`CA RSA key bound to ${hash} is not supported`);
      }
      return { name: 'RSASSA-PKCS1-v1_5', hash };
    }
    case 'Ed25519':
      return { name: 'Ed25519' };
    default:
      throw new Error(`CA key algorithm ${name} is not supported`);
  }
}

const ecdsaHashes: Readonly<Record<string, SignatureHash>> = {
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
  'P-521': 'SHA-512',
};
