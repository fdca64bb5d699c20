import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
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
  return readSubjectKey(spki).description;
}

/** A SubjectPublicKeyInfo as the CA reads it: the profile's description, and the key as OpenSSL loaded it (when it does). */
export interface SubjectKeyReading {
  readonly description: SubjectKeyDescription;
  readonly keyObject: KeyObject | undefined;
}

/**
 * The keys read last, by their bytes. A pickup reads its key for the CSR's signature and
 * again when the CA certifies it: OpenSSL loads it once (~0.1 ms for a P-256 point, the
 * most expensive step of reading a CSR). The same bytes are the same key, so a hit is the
 * answer the reading would give; descriptions are frozen, KeyObjects immutable.
 */
const recentKeys = new Map<string, SubjectKeyReading>();
const recentKeysKept = 64;

export function readSubjectKey(spki: ArrayBuffer | Uint8Array): SubjectKeyReading {
  const bytes = ArrayBuffer.isView(spki) ? spki : new Uint8Array(spki);
  const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const known = recentKeys.get(id);
  if (known !== undefined) return known;
  const reading = readUncached(bytes);
  recentKeys.set(id, reading);
  if (recentKeys.size > recentKeysKept) recentKeys.delete(recentKeys.keys().next().value as string);
  return reading;
}

function readUncached(spki: Uint8Array): SubjectKeyReading {
  const layout = canonicalEcLayoutOf(spki);
  return layout === undefined ? readThroughOpenssl(spki) : readCanonicalEc(spki, layout);
}

/**
 * SubjectPublicKeyInfo { id-ecPublicKey, namedCurve } with an uncompressed point, in the
 * one DER form OpenSSL writes, for the curves the profile allows: the bytes before the
 * coordinates, and how many of them follow.
 */
const canonicalEcLayouts = [
  { curve: 'P-256', prefix: Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex'), coordinates: 64 },
  { curve: 'P-384', prefix: Buffer.from('3076301006072a8648ce3d020106052b8104002203620004', 'hex'), coordinates: 96 },
] as const;

type CanonicalEcLayout = (typeof canonicalEcLayouts)[number];

function canonicalEcLayoutOf(spki: Uint8Array): CanonicalEcLayout | undefined {
  return canonicalEcLayouts.find(({ prefix, coordinates }) => spki.length === prefix.length + coordinates && prefix.every((byte, index) => spki[index] === byte));
}

/** Whether `spki` is an EC key (P-256, P-384) already in the form OpenSSL writes: re-encoding it gives back these bytes. */
export function isCanonicalEcSpki(spki: Uint8Array): boolean {
  return canonicalEcLayoutOf(spki) !== undefined;
}

/**
 * What readThroughOpenssl answers for these bytes (test/ca/subject-key.test.ts), with the
 * key made from its coordinates: OpenSSL's SPKI decoder takes ~100 µs for a P-256 point,
 * setting the coordinates ~50 µs, and both refuse a point that is not on the curve.
 */
function readCanonicalEc(spki: Uint8Array, layout: CanonicalEcLayout): SubjectKeyReading {
  const start = layout.prefix.length;
  const half = layout.coordinates / 2;
  const coordinate = (from: number) => Buffer.from(spki.buffer, spki.byteOffset + from, half).toString('base64url');
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: { kty: 'EC', crv: layout.curve, x: coordinate(start), y: coordinate(start + half) }, format: 'jwk' });
  } catch {
    return unloaded({ kind: 'unsupported', algorithm: `${publicKeyAlgorithmOids.ecPublicKey} (undecodable key)` });
  }
  return Object.freeze({ description: Object.freeze({ kind: 'ec', curve: layout.curve }), keyObject });
}

/** Any other SubjectPublicKeyInfo: decoded by asn1js, loaded by OpenSSL. */
export function readThroughOpenssl(spki: Uint8Array): SubjectKeyReading {
  let algorithmOid: string;
  let point: Uint8Array;
  try {
    const parsed = AsnConvert.parse(spki, SubjectPublicKeyInfo);
    algorithmOid = parsed.algorithm.algorithm;
    point = new Uint8Array(parsed.subjectPublicKey);
  } catch {
    // Not even an AlgorithmIdentifier: report it as a key we cannot accept.
    return unloaded({ kind: 'unsupported', algorithm: 'undecodable SubjectPublicKeyInfo' });
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    // OpenSSL cannot load it (bad point, unknown curve…): describe by OID only.
    return unloaded({ kind: 'unsupported', algorithm: `${algorithmOid} (undecodable key)` });
  }
  return Object.freeze({ description: Object.freeze(describe(algorithmOid, point, { type: keyObject.asymmetricKeyType, ...keyObject.asymmetricKeyDetails })), keyObject });
}

const unloaded = (description: SubjectKeyDescription): SubjectKeyReading => Object.freeze({ description: Object.freeze(description), keyObject: undefined });

function describe(
  algorithmOid: string,
  point: Uint8Array,
  details: { type: string | undefined; modulusLength?: number | undefined; publicExponent?: bigint | undefined; namedCurve?: string | undefined },
): SubjectKeyDescription {
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
