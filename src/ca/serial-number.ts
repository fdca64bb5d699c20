import { randomBytes } from 'node:crypto';

/**
 * A fresh serial number: 20 bytes from the CSPRNG whose first octet is 0x40–0x7f, so the
 * DER INTEGER is positive, exactly 20 octets (RFC 5280 4.1.2.2: at most 20) and never
 * loses a leading zero octet — the hex we store is the hex the certificate carries —
 * while holding 158 random bits, well over the 64 of S/MIME BR 7.1. 40 hex digits.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(20);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return bytes.toString('hex');
}
