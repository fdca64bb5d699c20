import type { Result } from '../domain/result.js';
import { copyBytes, readDerElement } from './der.js';

/**
 * What a subscriber uploads as a CSR (issue #8), read strictly before any ASN.1 parser sees
 * it: DER, or text holding exactly one PEM block labelled CERTIFICATE REQUEST (or the
 * NEW CERTIFICATE REQUEST of older tools; RFC 7468 §7), whose base64 is clean and whose
 * DER is one element with nothing after it. Explanatory text around the block (what
 * `openssl req -text` prints) is allowed; a second block is not, and a private key in the
 * upload is named, since it must not be sent to anyone.
 */
export type CsrInputProblem = 'csr.malformed' | 'csr.containsPrivateKey';

const csrLabels: ReadonlySet<string> = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const pemBlock = /-----BEGIN ([A-Z0-9 ]{1,64})-----([^-]*)-----END ([A-Z0-9 ]{1,64})-----/g;
const privateKeyLabel = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

export function csrDerOf(input: string | Uint8Array): Result<Uint8Array<ArrayBuffer>, CsrInputProblem> {
  if (typeof input !== 'string') {
    // DER starts with the SEQUENCE tag; anything else must be PEM text.
    if (input[0] === 0x30) return wholeDer(input);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      // Neither DER nor text.
      return { ok: false, code: 'csr.malformed' };
    }
    return csrDerOf(text);
  }
  if (privateKeyLabel.test(input)) return { ok: false, code: 'csr.containsPrivateKey' };
  const blocks = [...input.matchAll(pemBlock)];
  if (blocks.length !== 1) return { ok: false, code: 'csr.malformed' };
  const [, label, body, endLabel] = blocks[0]!;
  if (label === undefined || label !== endLabel || !csrLabels.has(label) || body === undefined) return { ok: false, code: 'csr.malformed' };
  const base64 = body.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return { ok: false, code: 'csr.malformed' };
  return wholeDer(new Uint8Array(Buffer.from(base64, 'base64')));
}

function wholeDer(bytes: Uint8Array): Result<Uint8Array<ArrayBuffer>, CsrInputProblem> {
  try {
    // One TLV, spanning every byte: nothing hidden after the request.
    const element = readDerElement(bytes);
    if (element.tag !== 0x30 || element.raw.length !== bytes.length) return { ok: false, code: 'csr.malformed' };
  } catch {
    // Truncated or trailing bytes: not one DER element.
    return { ok: false, code: 'csr.malformed' };
  }
  return { ok: true, value: copyBytes(bytes) };
}
