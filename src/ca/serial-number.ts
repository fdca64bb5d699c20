import { randomBytes } from 'node:crypto';

/**
 * A fresh serial number: 20 bytes from the CSPRNG with the top bit cleared, so
 * the DER INTEGER is positive and at most 20 octets (RFC 5280 4.1.2.2) while
 * carrying 159 random bits, well over the 64 of S/MIME BR 7.1. Returned as 40 hex digits.
 */
export function randomSerialNumber(): string {
  for (;;) {
    const bytes = randomBytes(20);
    bytes[0] = (bytes[0] ?? 0) & 0x7f;
    // A serial under 2^(8·8) would fail n_serial_number_low_entropy; the odds are 2^-95, but never issue one.
    if (bytes.subarray(0, 12).some((octet) => octet !== 0)) {
      return bytes.toString('hex');
    }
  }
}
