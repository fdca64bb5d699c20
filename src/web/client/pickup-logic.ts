// Certificate pickup in the browser (SPEC 1.4), the part without a DOM: the key pair, the
// PKCS#10 request, the call to the server and the files to save. The private key is made
// here and never leaves: only the CSR goes to the server. Runs in the browser (bundled by
// web/client-bundle.ts) and under Node 20 for the tests, so it uses WebCrypto
// (globalThis.crypto), fetch and FormData, and nothing Node-only.
import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import { Pkcs10CertificateRequestGenerator, X509Certificate } from '@peculiar/x509';
import { buildPkcs12, isAcceptableFilePassword } from './pkcs12.js';

// --- The page's messages ----------------------------------------------------------------

/** The keys of data-messages: all visible text comes localised from the server. */
export const messageKeys = [
  'generating',
  'requesting',
  'packaging',
  'done',
  'errorNetwork',
  'errorServer',
  'errorLocal',
  'errorKeyMismatch',
  'typedPasswordShown',
  'passwordMismatch',
  'passwordInvalid',
  'copied',
  'copyFailed',
  'leaveWarning',
] as const;

export type MessageKey = (typeof messageKeys)[number];
export type PickupMessages = Readonly<Record<MessageKey, string>>;

/** The data-messages JSON, or undefined when it is missing, not JSON or lacks a key (the page then stays without script). */
export function parseMessages(json: string | undefined): PickupMessages | undefined {
  if (json === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // A broken attribute is the server's bug; the no-JavaScript upload form still works.
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const messages: Partial<Record<MessageKey, string>> = {};
  for (const key of messageKeys) {
    const text = record[key];
    if (typeof text !== 'string') return undefined;
    messages[key] = text;
  }
  return messages as PickupMessages;
}

// --- Choices on the page --------------------------------------------------------------

/** Profile key types the page offers (SPEC 1.4). */
export type PickupKeyType = 'P-256' | 'RSA-2048';

export const isPickupKeyType = (value: unknown): value is PickupKeyType => value === 'P-256' || value === 'RSA-2048';

/**
 * Whether to preselect the compatible (3DES / HMAC-SHA1) file: Apple's key stores (macOS
 * Keychain, iOS and iPadOS profiles) and Android's are the importers that refuse the
 * standard file's PBES2 / AES-256. iPadOS asks for desktop pages with a Macintosh user
 * agent; only its touch points tell it from a Mac, and both want the compatible file.
 */
export function prefersCompatibleFormat(userAgent: string, maxTouchPoints: number): boolean {
  if (/\b(?:iPhone|iPad|iPod)\b/.test(userAgent)) return true;
  if (/\bAndroid\b/.test(userAgent)) return true;
  const isMacintosh = /\bMacintosh\b|\bMac OS X\b/.test(userAgent);
  // An iPad in desktop mode (Macintosh + touch points) and a Mac get the same answer today;
  // the check stays so that a change for Macs alone cannot take iPads along by accident.
  const isIpadWithDesktopAgent = isMacintosh && maxTouchPoints > 1;
  return isIpadWithDesktopAgent || isMacintosh;
}

export type PasswordProblem = 'passwordInvalid' | 'passwordMismatch';

/** A typed file password: printable ASCII, 8–128 characters (as buildPkcs12 wants), typed twice alike. */
export function checkTypedPassword(password: string, confirmation: string): { ok: true } | { ok: false; problem: PasswordProblem; field: 'password' | 'confirmation' } {
  if (!isAcceptableFilePassword(password)) return { ok: false, problem: 'passwordInvalid', field: 'password' };
  if (password !== confirmation) return { ok: false, problem: 'passwordMismatch', field: 'confirmation' };
  return { ok: true };
}

// --- Key pair and CSR -----------------------------------------------------------------

/** The WebCrypto parameters of each key type; extractable, because the PKCS#12 file needs the PKCS#8. */
export function keyGenerationParams(keyType: PickupKeyType): EcKeyGenParams | RsaHashedKeyGenParams {
  switch (keyType) {
    case 'P-256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'RSA-2048':
      // 65537 as the big-endian bytes WebCrypto takes.
      return { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
}

export async function generatePickupKeys(keyType: PickupKeyType): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(keyGenerationParams(keyType), true, ['sign', 'verify']);
}

/** The server ignores the CSR's subject and extensions (parseCsr): it takes the key and checks the signature. */
export const csrSubject = 'CN=certdesk pickup';

/** A PKCS#10 request for the key pair, signed with SHA-256, as PEM. */
export async function createCsr(keys: CryptoKeyPair): Promise<string> {
  const keyAlgorithm = keys.privateKey.algorithm.name;
  let signingAlgorithm: EcdsaParams | Algorithm;
  if (keyAlgorithm === 'ECDSA') {
    signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
  } else if (keyAlgorithm === 'RSASSA-PKCS1-v1_5') {
    signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
  } else {
    throw new Error(`no CSR signature for a ${keyAlgorithm} key`);
  }
  // The WebCrypto goes in explicitly (STYLE §10): no global cryptoProvider.set.
  const request = await Pkcs10CertificateRequestGenerator.create({ name: csrSubject, keys, signingAlgorithm }, crypto);
  return request.toString('pem');
}

// --- The server's answer --------------------------------------------------------------

export interface IssuedCertificate {
  readonly certificateDer: Uint8Array<ArrayBuffer>;
  /** Issuing CA first, then the root. */
  readonly chainDer: readonly Uint8Array<ArrayBuffer>[];
  readonly serialNumber: string;
  readonly fileName: string;
}

export type IssueOutcome =
  | { readonly ok: true; readonly issued: IssuedCertificate }
  /** The server refused and said why, in the subscriber's language: shown as is. */
  | { readonly ok: false; readonly kind: 'refused'; readonly message: string; readonly code: string }
  /** No answer at all (offline, connection reset): errorNetwork. */
  | { readonly ok: false; readonly kind: 'network' }
  /** An answer that is not the JSON agreed on (a proxy's error page, a broken body): errorServer. */
  | { readonly ok: false; readonly kind: 'server' };

export interface IssueRequest {
  readonly endpoint: string;
  readonly csrf: string;
  readonly csrPem: string;
}

/** POSTs the CSR (multipart, with the form token) and reads the JSON answer. Never throws. */
export async function requestCertificate(request: IssueRequest, fetchImpl: typeof fetch = fetch): Promise<IssueOutcome> {
  const body = new FormData();
  body.append('_csrf', request.csrf);
  body.append('csr', request.csrPem);
  let response: Response;
  try {
    response = await fetchImpl(request.endpoint, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    // fetch rejects only when no response came.
    return { ok: false, kind: 'network' };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    // Not JSON (or cut off): nothing we can show as the server's words.
    return { ok: false, kind: 'server' };
  }
  return readIssueAnswer(response.ok, json);
}

/** The 200 answer `{ certificate, chain, serialNumber, fileName }` or the 4xx/5xx `{ error, code }`. */
export function readIssueAnswer(isOk: boolean, json: unknown): IssueOutcome {
  if (typeof json !== 'object' || json === null) return { ok: false, kind: 'server' };
  const record = json as Record<string, unknown>;
  if (!isOk) {
    const { error, code } = record;
    return typeof error === 'string' && error.trim() !== '' ? { ok: false, kind: 'refused', message: error, code: typeof code === 'string' ? code : '' } : { ok: false, kind: 'server' };
  }
  const { certificate, chain, serialNumber, fileName } = record;
  if (typeof certificate !== 'string' || !Array.isArray(chain) || typeof serialNumber !== 'string' || typeof fileName !== 'string' || fileName.trim() === '') {
    return { ok: false, kind: 'server' };
  }
  try {
    const chainDer = chain.map((entry: unknown) => {
      if (typeof entry !== 'string') throw new TypeError('chain entry is not a string');
      return base64ToBytes(entry);
    });
    return { ok: true, issued: { certificateDer: base64ToBytes(certificate), chainDer, serialNumber, fileName } };
  } catch {
    // Bad base64: the answer is broken, not a refusal.
    return { ok: false, kind: 'server' };
  }
}

/**
 * Refusals about the CSR's key itself: the next try needs a new key. After any other
 * failure (no answer, a broken answer, "busy") the page keeps its key and sends the same
 * CSR again, since the server may have issued for it: it answers that certificate again.
 */
const keyRefusalCodes: ReadonlySet<string> = new Set(['csrMalformed', 'csrContainsPrivateKey', 'csrKeyNotAllowed', 'csrSignatureInvalid', 'keyRefused']);

export function isKeyRefusal(outcome: IssueOutcome): boolean {
  return !outcome.ok && outcome.kind === 'refused' && keyRefusalCodes.has(outcome.code);
}

/** Whether the certificate is for this public key: nothing else is packaged with the private key. */
export async function certificateHoldsKey(certificateDer: Uint8Array, publicKey: CryptoKey): Promise<boolean> {
  let certified: Uint8Array;
  try {
    certified = new Uint8Array(new X509Certificate(new Uint8Array(certificateDer)).publicKey.rawData);
  } catch {
    // Not a certificate at all: certainly not ours.
    return false;
  }
  const own = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  return certified.length === own.length && certified.every((byte, i) => byte === own[i]);
}

// --- The files ------------------------------------------------------------------------

export interface PickupPackageInput {
  privateKeyPkcs8: ArrayBuffer;
  certificateDer: Uint8Array;
  chainDer: Uint8Array[];
  password: string;
  friendlyName: string;
}

export interface PickupPackage {
  /** PBES2 / AES-256-CBC, HMAC-SHA256, 100,000 iterations. */
  standard: Uint8Array;
  /** 3DES, HMAC-SHA1, 2,048 iterations: for macOS, iOS and Android. */
  compatible: Uint8Array;
  /** The certificate then its chain, as PEM blocks: no key. */
  pem: string;
}

/** Both PKCS#12 files under one password, and the certificate PEM. */
export async function packagePickup(input: PickupPackageInput): Promise<PickupPackage> {
  const common = {
    privateKeyPkcs8: input.privateKeyPkcs8,
    certificateDer: input.certificateDer,
    chainDer: input.chainDer,
    password: input.password,
    friendlyName: input.friendlyName,
  };
  // One after the other: both are CPU-bound on the page's one thread anyway.
  const standard = await buildPkcs12({ ...common, format: 'standard' });
  const compatible = await buildPkcs12({ ...common, format: 'compatible' });
  const pem = [input.certificateDer, ...input.chainDer].map((der) => toPem(der, 'CERTIFICATE')).join('');
  return { standard, compatible, pem };
}

/** The names the save links give their files. */
export function downloadNames(fileName: string): { standard: string; compatible: string; pem: string } {
  return { standard: `${fileName}-standard.p12`, compatible: `${fileName}-compatible.p12`, pem: `${fileName}.pem` };
}

// --- Base64 and PEM -------------------------------------------------------------------

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Standard base64 with padding (what the server sends); throws TypeError on anything else. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new TypeError('not base64');
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** PEM armour (RFC 7468): 64-character lines, a newline after the END line. */
export function toPem(der: Uint8Array, label: string): string {
  const lines = bytesToBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
