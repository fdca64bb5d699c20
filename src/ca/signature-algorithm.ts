import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { encodeSequence, encodeUnsignedInteger } from './der.js';

export type SignatureHash = 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * The WebCrypto parameters of a CA signature. For RSASSA-PKCS1-v1_5 the hash
 * is bound to the key at import; it is repeated here so the X.509
 * AlgorithmIdentifier can be derived from this value alone.
 */
export type CaSignatureAlgorithm =
  | { readonly name: 'ECDSA'; readonly hash: SignatureHash }
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: SignatureHash }
  | { readonly name: 'Ed25519' };

const ecdsaOids: Readonly<Record<SignatureHash, string>> = {
  // RFC 5758 3.2: parameters absent. S/MIME BR 7.1.3.2.
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

const rsaPkcs1Oids: Readonly<Record<SignatureHash, string>> = {
  // RFC 4055 5: parameters NULL. S/MIME BR 7.1.3.2.
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};

/** The AlgorithmIdentifier written in TBSCertificate.signature and Certificate.signatureAlgorithm. */
export function signatureAlgorithmIdentifier(algorithm: CaSignatureAlgorithm): AlgorithmIdentifier {
  switch (algorithm.name) {
    case 'ECDSA':
      return new AlgorithmIdentifier({ algorithm: ecdsaOids[algorithm.hash] });
    case 'RSASSA-PKCS1-v1_5':
      return new AlgorithmIdentifier({ algorithm: rsaPkcs1Oids[algorithm.hash], parameters: null });
    case 'Ed25519':
      // RFC 8410 3: parameters absent.
      return new AlgorithmIdentifier({ algorithm: '1.3.101.112' });
  }
}

/**
 * Turns a WebCrypto signature into the X.509 signatureValue bits. WebCrypto
 * (and PKCS#11 CKM_ECDSA) return ECDSA signatures as r‖s; X.509 wants
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5758 3.2).
 */
export function toX509SignatureValue(algorithm: CaSignatureAlgorithm, signature: ArrayBuffer): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(signature);
  if (algorithm.name !== 'ECDSA') {
    return bytes;
  }
  if (bytes.length === 0 || bytes.length % 2 !== 0) {
    throw new Error(`ECDSA signature of odd length ${bytes.length}`);
  }
  const half = bytes.length / 2;
  return encodeSequence([
    encodeUnsignedInteger(bytes.subarray(0, half)),
    encodeUnsignedInteger(bytes.subarray(half)),
  ]);
}

