import { decodeObjectIdentifier } from './der.js';

/**
 * The DER the fast paths (fast-tbs.ts, fast-csr.ts, lints/fast-parsed-tbs.ts) accept and
 * write: single-octet tags, definite minimal lengths (X.690 10.1), nothing left over.
 * Anything else makes a fast path step aside for the reference code, so these readers
 * answer `undefined` rather than throw, and they never copy: offsets into one buffer.
 */

export interface StrictTlv {
  readonly tag: number;
  /** Offset of the tag octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

/** The TLV at `offset`, ending at or before `limit`; undefined unless it is strict DER. */
export function readStrictTlv(bytes: Uint8Array, offset: number, limit: number): StrictTlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset] ?? 0x1f;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = bytes[offset + 1] ?? 0x80;
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length; DER has at most 4 length octets here, no leading zero,
    // and uses the long form only from 128 on.
    if (count === 0 || count > 4 || contentStart + count > limit || bytes[contentStart] === 0) return undefined;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[contentStart + i] ?? 0);
    if (length < 0x80) return undefined;
    contentStart += count;
  }
  const end = contentStart + length;
  return end > limit ? undefined : { tag, start: offset, contentStart, end };
}

/** The TLVs that exactly fill `parent`'s content. */
export function readStrictChildren(bytes: Uint8Array, parent: StrictTlv): StrictTlv[] | undefined {
  return readStrictSequence(bytes, parent.contentStart, parent.end);
}

/** The TLVs that exactly fill `bytes` from `start` to `end`. */
export function readStrictSequence(bytes: Uint8Array, start: number, end: number): StrictTlv[] | undefined {
  const children: StrictTlv[] = [];
  for (let offset = start; offset < end; ) {
    const child = readStrictTlv(bytes, offset, end);
    if (child === undefined) return undefined;
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The only TLV in `bytes`, which it fills exactly. */
export function readStrictRoot(bytes: Uint8Array, tag: number): StrictTlv | undefined {
  const root = readStrictTlv(bytes, 0, bytes.length);
  return root !== undefined && root.tag === tag && root.end === bytes.length ? root : undefined;
}

/** The children of `parent` when their tags are exactly `tags`. */
export function readStrictFields(bytes: Uint8Array, parent: StrictTlv | undefined, tags: readonly number[]): StrictTlv[] | undefined {
  if (parent === undefined) return undefined;
  const children = readStrictChildren(bytes, parent);
  if (children === undefined || children.length !== tags.length) return undefined;
  return children.every((child, index) => child.tag === tags[index]) ? children : undefined;
}

export function contentOf(bytes: Uint8Array, tlv: StrictTlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

export function rawOf(bytes: Uint8Array, tlv: StrictTlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/**
 * The dotted form of an OBJECT IDENTIFIER TLV whose encoding is the one its dotted form
 * encodes to (minimal arcs, safe integers): exactly the OIDs that asn1js reads and writes
 * back unchanged. Undefined for anything else. decodeObjectIdentifier refuses non-minimal
 * arcs, truncation and unsafe arcs, and what it accepts encodes back to the same octets.
 */
export function canonicalObjectIdentifier(bytes: Uint8Array, tlv: StrictTlv): string | undefined {
  if (tlv.tag !== 0x06 || tlv.end === tlv.contentStart) return undefined;
  try {
    return decodeObjectIdentifier(contentOf(bytes, tlv));
  } catch {
    // Non-minimal or oversized arcs: not canonical, so the caller takes the reference path.
    return undefined;
  }
}

/**
 * The DER of a dotted OID when it is canonical (no leading zeros, arcs up to 15 digits,
 * X.660 first arcs): what der.ts encodeObjectIdentifier and asn1js write, in one pass.
 */
export function canonicalObjectIdentifierDer(oid: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-2](\.(0|[1-9][0-9]{0,14}))+$/.test(oid)) return undefined;
  const arcs = oid.split('.');
  const first = Number(arcs[0]);
  const second = Number(arcs[1]);
  if (first < 2 && second > 39) return undefined;
  const octets: number[] = [];
  const push = (arc: number): void => {
    const start = octets.length;
    octets.push(arc % 128);
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) octets.splice(start, 0, 0x80 | high % 128);
  };
  push(first * 40 + second);
  for (let i = 2; i < arcs.length; i += 1) push(Number(arcs[i]));
  return tlv(0x06, [Uint8Array.from(octets)]);
}

/** A DER TLV around `parts`, in one allocation. */
export function tlv(tag: number, parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const lengthOctets = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(2 + lengthOctets + length);
  out[0] = tag;
  if (lengthOctets === 0) {
    out[1] = length;
  } else {
    out[1] = 0x80 | lengthOctets;
    for (let i = 0; i < lengthOctets; i += 1) out[2 + i] = Math.floor(length / 256 ** (lengthOctets - 1 - i)) % 256;
  }
  let offset = 2 + lengthOctets;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Each UTF-16 code unit's low octet: how asn1js writes PrintableString and IA5String. */
export function lowOctetsOf(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** One character per octet (U+0000–U+00FF): how asn1js reads PrintableString and IA5String. */
export function latin1Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of valid UTF-8, keeping a leading BOM as asn1js's decodeURIComponent does;
 * undefined for invalid UTF-8 (asn1js then falls back to a binary string: reference path).
 */
export function utf8TextOf(bytes: Uint8Array): string | undefined {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    // Not UTF-8: the caller takes the reference path, which decides what that means.
    return undefined;
  }
}

export function bytesAreEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * A SubjectPublicKeyInfo of the shape asn1-schema writes back unchanged:
 * SEQUENCE { SEQUENCE { OID, NULL or OID or nothing }, BIT STRING with no unused bits } —
 * RSA, the named EC curves, Ed25519/X25519. Its AlgorithmIdentifier and the key bits.
 */
export function readSubjectPublicKeyInfo(bytes: Uint8Array, spki: StrictTlv): { algorithm: StrictTlv; subjectPublicKey: Uint8Array } | undefined {
  const [algorithm, bits] = readStrictFields(bytes, spki.tag === 0x30 ? spki : undefined, [0x30, 0x03]) ?? [];
  if (algorithm === undefined || bits === undefined) return undefined;
  const [oid, parameters, ...more] = readStrictChildren(bytes, algorithm) ?? [];
  if (oid === undefined || more.length > 0 || canonicalObjectIdentifier(bytes, oid) === undefined) return undefined;
  if (parameters !== undefined) {
    const isNull = parameters.tag === 0x05 && parameters.end === parameters.contentStart;
    if (!isNull && canonicalObjectIdentifier(bytes, parameters) === undefined) return undefined;
  }
  const content = contentOf(bytes, bits);
  return content.length >= 2 && content[0] === 0 ? { algorithm, subjectPublicKey: content.subarray(1) } : undefined;
}
