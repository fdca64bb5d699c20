/**
 * The certificate code (証明書コード) mailed to the subscriber: 20 characters of
 * Crockford base32 in groups of four. Typing it back is forgiving: case, spaces,
 * dashes, full-width characters and the letters I, L, O are accepted as what they
 * must have meant.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CERTIFICATE_CODE_LENGTH = 20;

export function formatCertificateCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < CERTIFICATE_CODE_LENGTH) throw new Error('need 20 random bytes');
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
  if (compact.length !== CERTIFICATE_CODE_LENGTH) return undefined;
  for (const ch of compact) if (!alphabet.includes(ch)) return undefined;
  return compact;
}
