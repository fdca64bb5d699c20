/**
 * The certificate code (証明書コード) mailed to the subscriber: 24 characters of
 * Crockford base32 in groups of four, 120 random bits, so that it is also a Random Value
 * for mailbox control (S/MIME BR 1.6.1: at least 112 bits). Codes mailed before it grew
 * have 20 characters (100 bits) and still pick up and renew, but never prove a mailbox.
 * Typing it back is forgiving: case, spaces, dashes, full-width characters and the
 * letters I, L, O are accepted as what they must have meant. The one-time value of
 * mailbox control has the same form.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CERTIFICATE_CODE_LENGTH = 24;
const LEGACY_CERTIFICATE_CODE_LENGTH = 20;
/** Each character carries 5 bits (32 symbols, each byte taken mod 32). */
export const BITS_PER_CODE_CHARACTER = 5;

export function formatCertificateCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < CERTIFICATE_CODE_LENGTH) throw new Error(`need ${CERTIFICATE_CODE_LENGTH} random bytes`);
  let code = '';
  for (let i = 0; i < CERTIFICATE_CODE_LENGTH; i++) code += alphabet[randomBytes[i]! % 32];
  return code.match(/.{4}/g)!.join('-');
}

/** The canonical form that is hashed and compared, or undefined when it cannot be a code. */
export function canonicalCertificateCode(input: string): string | undefined {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑–—−ー]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (compact.length !== CERTIFICATE_CODE_LENGTH && compact.length !== LEGACY_CERTIFICATE_CODE_LENGTH) return undefined;
  for (const ch of compact) if (!alphabet.includes(ch)) return undefined;
  return compact;
}
