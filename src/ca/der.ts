/**
 * The few DER operations @peculiar/asn1-schema does not give us byte-exactly:
 * slicing raw fields out of an encoding (so the issuer name we chain to is the
 * CA's own bytes, RFC 5280 4.1.2.4) and assembling a Certificate around the
 * exact TBSCertificate bytes that were linted (SPEC §4: "the signed certificate
 * matches what was linted"); and the handful of primitives (OBJECT IDENTIFIER,
 * OCTET STRING, small INTEGERs) the encrypted CA key file is built from.
 */

export interface DerElement {
  readonly tag: number;
  /** The whole TLV. */
  readonly raw: Uint8Array<ArrayBuffer>;
  /** The value octets only. */
  readonly content: Uint8Array<ArrayBuffer>;
}

/** Reads the TLVs that follow one another in `bytes` (no indefinite lengths: DER). */
export function readDerElements(bytes: Uint8Array): DerElement[] {
  const elements: DerElement[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const start = offset;
    const tag = byteAt(bytes, offset);
    if ((tag & 0x1f) === 0x1f) {
      throw new Error('DER: multi-byte tags are not supported');
    }
    offset += 1;
    const first = byteAt(bytes, offset);
    offset += 1;
    let length = first;
    if (first & 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 4) {
        throw new Error(`DER: unsupported length of length ${count}`);
      }
      length = 0;
      for (let i = 0; i < count; i += 1) {
        length = length * 256 + byteAt(bytes, offset);
        offset += 1;
      }
    }
    const end = offset + length;
    if (end > bytes.length) {
      throw new Error('DER: element runs past the end of its container');
    }
    elements.push({
      tag,
      raw: copyBytes(bytes.subarray(start, end)),
      content: copyBytes(bytes.subarray(offset, end)),
    });
    offset = end;
  }
  return elements;
}

/** Reads exactly one TLV and returns it. */
export function readDerElement(bytes: Uint8Array): DerElement {
  const elements = readDerElements(bytes);
  const [only] = elements;
  if (elements.length !== 1 || !only) {
    throw new Error(`DER: expected one element, found ${elements.length}`);
  }
  return only;
}

export function encodeDer(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = encodeLength(content.length);
  const out = new Uint8Array(1 + length.length + content.length);
  out[0] = tag;
  out.set(length, 1);
  out.set(content, 1 + length.length);
  return out;
}

export function encodeSequence(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return encodeDer(0x30, concatBytes(parts));
}

/** A BIT STRING with no unused bits (signature values). */
export function encodeBitString(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDer(0x03, concatBytes([Uint8Array.of(0), bytes]));
}

/** An INTEGER holding the unsigned big-endian magnitude `bytes`, minimally encoded. */
export function encodeUnsignedInteger(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDer(0x02, unsignedIntegerContent(bytes));
}

/**
 * The content octets of a DER INTEGER for an unsigned magnitude: leading zero
 * octets stripped, one zero octet put back when the high bit is set (X.690 8.3.2).
 */
export function unsignedIntegerContent(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start += 1;
  }
  const magnitude = copyBytes(bytes.subarray(start));
  if (magnitude.length === 0) {
    return Uint8Array.of(0);
  }
  return (byteAt(magnitude, 0) & 0x80) !== 0 ? concatBytes([Uint8Array.of(0), magnitude]) : magnitude;
}

/** An OCTET STRING. */
export function encodeOctetString(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return encodeDer(0x04, bytes);
}

/** An INTEGER holding a non-negative safe integer (iteration counts, key lengths). */
export function encodeNonNegativeInteger(value: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`DER: ${value} is not a non-negative safe integer`);
  }
  const octets: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) {
    octets.unshift(rest % 256);
  }
  return encodeUnsignedInteger(Uint8Array.from(octets));
}

/** The value of an INTEGER's content octets, when it is a non-negative safe integer; else throws. */
export function decodeNonNegativeInteger(content: Uint8Array): number {
  const first = byteAt(content, 0);
  if ((first & 0x80) !== 0) {
    throw new Error('DER: negative INTEGER');
  }
  if (content.length > 1 && first === 0 && (byteAt(content, 1) & 0x80) === 0) {
    throw new Error('DER: INTEGER is not minimally encoded');
  }
  let value = 0;
  for (const octet of content) {
    value = value * 256 + octet;
    if (!Number.isSafeInteger(value)) {
      throw new Error('DER: INTEGER is too large');
    }
  }
  return value;
}

/** An OBJECT IDENTIFIER from its dotted form, e.g. "1.2.840.113549.1.5.13" (X.690 8.19). */
export function encodeObjectIdentifier(oid: string): Uint8Array<ArrayBuffer> {
  const arcs = oid.split('.').map((arc) => (/^(0|[1-9][0-9]*)$/.test(arc) ? Number(arc) : Number.NaN));
  const [first, second, ...rest] = arcs;
  if (
    first === undefined ||
    second === undefined ||
    !arcs.every((arc) => Number.isSafeInteger(arc)) ||
    first > 2 ||
    (first < 2 && second > 39)
  ) {
    throw new Error(`DER: ${JSON.stringify(oid)} is not an object identifier`);
  }
  const octets = [first * 40 + second, ...rest].flatMap((arc) => {
    const base128: number[] = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) {
      base128.unshift(0x80 | high % 128);
    }
    return base128;
  });
  return encodeDer(0x06, Uint8Array.from(octets));
}

/** The dotted form of an OBJECT IDENTIFIER's content octets. */
export function decodeObjectIdentifier(content: Uint8Array): string {
  const values: number[] = [];
  let value = 0;
  let isStartOfArc = true;
  for (const octet of content) {
    if (isStartOfArc && octet === 0x80) {
      throw new Error('DER: OBJECT IDENTIFIER arc is not minimally encoded');
    }
    value = value * 128 + (octet & 0x7f);
    if (!Number.isSafeInteger(value)) {
      throw new Error('DER: OBJECT IDENTIFIER arc is too large');
    }
    isStartOfArc = (octet & 0x80) === 0;
    if (isStartOfArc) {
      values.push(value);
      value = 0;
    }
  }
  const [head, ...rest] = values;
  if (head === undefined || !isStartOfArc) {
    throw new Error('DER: truncated OBJECT IDENTIFIER');
  }
  const first = Math.min(Math.floor(head / 40), 2);
  return [first, head - first * 40, ...rest].join('.');
}

/** NULL (AlgorithmIdentifier parameters). */
export function encodeNull(): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(0x05, 0x00);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A fresh ArrayBuffer holding exactly `bytes` (WebCrypto and asn1-schema want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  // Any buffer that is not a view (this realm's, another realm's, shared) is copied as a whole.
  return copyBytes(ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes)).buffer;
}

/**
 * A copy with its own ArrayBuffer. Not `bytes.slice()`: on a Node Buffer that
 * is a view into the shared 8 KiB pool, and `.buffer` would expose the pool.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) {
    return Uint8Array.of(length);
  }
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
    octets.unshift(rest % 256);
  }
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

function byteAt(bytes: Uint8Array, index: number): number {
  const value = bytes[index];
  if (value === undefined) {
    throw new Error('DER: unexpected end of input');
  }
  return value;
}
