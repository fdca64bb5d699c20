import { describe, expect, it } from 'vitest';
import {
  decodeNonNegativeInteger,
  decodeObjectIdentifier,
  encodeNonNegativeInteger,
  encodeObjectIdentifier,
  readDerElement,
  toHex,
} from '../../src/ca/der.js';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('DER object identifiers', () => {
  it.each([
    ['1.2.840.113549.1.5.13', '06092a864886f70d01050d'],
    ['1.2.840.113549.2.9', '06082a864886f70d0209'],
    ['2.16.840.1.101.3.4.1.42', '060960864801650304012a'],
    ['2.999.3', '0603883703'], // X.690 8.19.5 example: the first two arcs combine past 127.
    ['0.0', '060100'],
  ])('encodes %s and reads it back', (oid, hex) => {
    expect(toHex(encodeObjectIdentifier(oid))).toBe(hex);
    expect(decodeObjectIdentifier(readDerElement(fromHex(hex)).content)).toBe(oid);
  });

  it.each(['', '1', '3.1', '1.40', '1.2.x', '1.02'])('refuses to encode %j', (oid) => {
    expect(() => encodeObjectIdentifier(oid)).toThrow(/not an object identifier/);
  });

  it.each([
    ['', /truncated/],
    ['2a86', /truncated/],
    ['2a8001', /not minimally encoded/],
  ])('refuses content %j', (hex, message) => {
    expect(() => decodeObjectIdentifier(fromHex(hex))).toThrow(message);
  });
});

describe('DER non-negative integers', () => {
  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [2048, '02020800'],
    [600_000, '02030927c0'],
  ])('encodes %d and reads it back', (value, hex) => {
    expect(toHex(encodeNonNegativeInteger(value))).toBe(hex);
    expect(decodeNonNegativeInteger(readDerElement(fromHex(hex)).content)).toBe(value);
  });

  it('refuses negative, non-minimal, empty and oversized content', () => {
    expect(() => decodeNonNegativeInteger(fromHex('ff'))).toThrow(/negative/);
    expect(() => decodeNonNegativeInteger(fromHex('0001'))).toThrow(/minimally/);
    expect(() => decodeNonNegativeInteger(fromHex(''))).toThrow(/end of input/);
    expect(() => decodeNonNegativeInteger(fromHex('0100000000000000'))).toThrow(/too large/);
  });

  it('refuses to encode what is not a non-negative safe integer', () => {
    expect(() => encodeNonNegativeInteger(-1)).toThrow();
    expect(() => encodeNonNegativeInteger(1.5)).toThrow();
  });
});
