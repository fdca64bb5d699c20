import { createHash, createPublicKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { toHex } from './der.js';
import { namedCurveOids, publicKeyAlgorithmOids } from './oids.js';

/** What kind of key a SubjectPublicKeyInfo holds, as far as the profile cares. */
export type SubjectKeyDescription =
  | { readonly kind: 'rsa'; readonly modulusBits: number }
  | { readonly kind: 'ec'; readonly curve: string }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'unsupported'; readonly algorithm: string };

const curveNames: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  [namedCurveOids['P-256']]: 'P-256',
  [namedCurveOids['P-384']]: 'P-384',
  [namedCurveOids['P-521']]: 'P-521',
};

/**
 * Describes the key in a DER SubjectPublicKeyInfo. Never throws: an
 * undecodable key comes back as `unsupported`, which every caller refuses.
 */
export function describeSubjectKey(spki: ArrayBuffer | Uint8Array): SubjectKeyDescription {
  let algorithmOid: string;
  let point: Uint8Array;
  try {
    const parsed = AsnConvert.parse(spki, SubjectPublicKeyInfo);
    algorithmOid = parsed.algorithm.algorithm;
    point = new Uint8Array(parsed.subjectPublicKey);
  } catch {
    // Not even an AlgorithmIdentifier: report it as a key we cannot accept.
    return { kind: 'unsupported', algorithm: 'undecodable SubjectPublicKeyInfo' };
  }
  let details: { type: string | undefined; modulusLength?: number | undefined; publicExponent?: bigint | undefined; namedCurve?: string | undefined };
  try {
    const key = createPublicKey({ key: Buffer.from(new Uint8Array(spki)), format: 'der', type: 'spki' });
    details = { type: key.asymmetricKeyType, ...key.asymmetricKeyDetails };
  } catch {
    // OpenSSL cannot load it (bad point, unknown curve…): describe by OID only.
    return { kind: 'unsupported', algorithm: `${algorithmOid} (undecodable key)` };
  }
  switch (algorithmOid) {
    case publicKeyAlgorithmOids.rsaEncryption:
      if (details.modulusLength === undefined) return { kind: 'unsupported', algorithm: 'RSA without modulus' };
      // S/MIME BR 6.1.6: an odd exponent, 2^16+1 to 2^256-1. With e = 1 a CSR "signature" is the
      // padded hash itself: proof of possession would prove nothing.
      if (!isAllowedRsaExponent(details.publicExponent)) return { kind: 'unsupported', algorithm: `RSA with public exponent ${String(details.publicExponent)}` };
      return { kind: 'rsa', modulusBits: details.modulusLength };
    case publicKeyAlgorithmOids.ecPublicKey: {
      // RFC 5480 2.2: the uncompressed form only. A compressed or hybrid point is the same
      // key in other bytes, which would slip past a key history kept by SPKI hash.
      if (point[0] !== 0x04) return { kind: 'unsupported', algorithm: 'EC public key not in uncompressed form' };
      const curve = details.namedCurve === undefined ? undefined : curveNames[details.namedCurve];
      return { kind: 'ec', curve: curve ?? details.namedCurve ?? 'unnamed curve' };
    }
    case publicKeyAlgorithmOids.ed25519:
      return { kind: 'ed25519' };
    default:
      return { kind: 'unsupported', algorithm: details.type ?? algorithmOid };
  }
}

function isAllowedRsaExponent(e: bigint | undefined): boolean {
  return e !== undefined && e % 2n === 1n && e >= 65537n && e < 2n ** 256n;
}

/** "RSA-2048", "ECDSA P-256", "Ed25519": for messages. */
export function subjectKeyLabel(key: SubjectKeyDescription): string {
  switch (key.kind) {
    case 'rsa':
      return `RSA-${key.modulusBits}`;
    case 'ec':
      return `ECDSA ${key.curve}`;
    case 'ed25519':
      return 'Ed25519';
    case 'unsupported':
      return key.algorithm;
  }
}

/**
 * Key identifier per RFC 5280 4.2.1.2 method (1): SHA-1 of the BIT STRING
 * subjectPublicKey (without tag, length and unused-bits octet). Used for our
 * SKI and, through the issuer's SKI, for every AKI we write.
 */
export function keyIdentifierOf(spki: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  const info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  return new Uint8Array(createHash('sha1').update(new Uint8Array(info.subjectPublicKey)).digest());
}

export function keyIdentifierHex(spki: ArrayBuffer | Uint8Array): string {
  return toHex(keyIdentifierOf(spki));
}
