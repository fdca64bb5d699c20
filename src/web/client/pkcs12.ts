// PKCS#12 (RFC 7292) writer for certificate pickup (SPEC 1.4). It runs in the subscriber's
// browser, where the private key is made and stays, and under Node 20 for the tests, so it
// uses only WebCrypto (globalThis.crypto) and node-forge's 3DES, nothing Node-only.
// The DER is written by hand below because DER wants SET OF sorted, which the
// asn1-schema classes do not do, and @peculiar/asn1-pfx is only a transitive dependency.
import forge from 'node-forge';

export type Pkcs12Format = 'standard' | 'compatible';

export interface Pkcs12Input {
  /** The PrivateKeyInfo, as `subtle.exportKey('pkcs8', key)` returns it. */
  privateKeyPkcs8: ArrayBuffer | Uint8Array;
  /** The subscriber certificate, DER. */
  certificateDer: ArrayBuffer | Uint8Array;
  /** Issuing CA certificates, DER, nearest first. */
  chainDer: readonly (ArrayBuffer | Uint8Array)[];
  /** Printable ASCII, 8–128 characters (isAcceptableFilePassword). */
  password: string;
  /** Shown by the importing key store; written as BMPString on the key and the leaf. */
  friendlyName: string;
  /** standard: PBES2/AES-256-CBC and HMAC-SHA256; compatible: 3DES and HMAC-SHA1 (SPEC 1.4). */
  format: Pkcs12Format;
  /** PBKDF2 / PKCS#12 KDF iterations, 2,048–600,000. Defaults: standard 100,000, compatible 2,048. */
  iterations?: number;
  /** Source of salts and IVs; defaults to crypto.getRandomValues. */
  random?: (n: number) => Uint8Array;
}

/** SPEC 1.4: from OpenSSL's default count (2,048) up to Windows' ceiling (600,000). */
export const minIterations = 2_048;
export const maxIterations = 600_000;
export const defaultIterations: Readonly<Record<Pkcs12Format, number>> = { standard: 100_000, compatible: 2_048 };

const saltBytes = 8;

/**
 * The DER bytes of a password-protected PFX holding the key, the certificate and its chain.
 * Throws RangeError for a password or iteration count the page should never have passed.
 */
export async function buildPkcs12(input: Pkcs12Input): Promise<Uint8Array> {
  const { format, password } = input;
  if (!isAcceptableFilePassword(password)) {
    // ASCII only, so the UTF-8 (PBES2) and BMPString (PKCS#12 KDF) readings of it agree.
    throw new RangeError('PKCS#12 password must be 8–128 printable ASCII characters');
  }
  const iterations = input.iterations ?? defaultIterations[format];
  if (!Number.isInteger(iterations) || iterations < minIterations || iterations > maxIterations) {
    throw new RangeError(`PKCS#12 iterations must be an integer from ${minIterations} to ${maxIterations}, got ${iterations}`);
  }
  const random = input.random ?? defaultRandom;
  const randomBytes = (n: number): Uint8Array<ArrayBuffer> => {
    const bytes = copy(random(n));
    if (bytes.length !== n) {
      throw new Error(`random source returned ${bytes.length} bytes, wanted ${n}`);
    }
    return bytes;
  };
  const certificate = copy(input.certificateDer);
  const encryption: ContentEncryption =
    format === 'standard' ? pbes2Encryption(password, iterations, randomBytes) : tripleDesEncryption(password, iterations, randomBytes);

  // Step 1: the bag attributes that tie the key to its certificate (RFC 7292 4.2).
  const localKeyId = new Uint8Array(await crypto.subtle.digest('SHA-1', certificate));
  const attributes = set(
    seq(oid(oids.friendlyName), set(bmpString(input.friendlyName))),
    seq(oid(oids.localKeyId), set(octetString(localKeyId))),
  );

  // Step 2: the certificates, leaf first, in an EncryptedData content.
  const certBag = (der: Uint8Array, bagAttributes?: Uint8Array): Uint8Array =>
    seq(
      oid(oids.certBag),
      explicit(0, seq(oid(oids.x509Certificate), explicit(0, octetString(der)))),
      ...(bagAttributes === undefined ? [] : [bagAttributes]),
    );
  const certSafeContents = seq(certBag(certificate, attributes), ...input.chainDer.map((der) => certBag(copy(der))));
  const certsEncrypted = await encryption.encrypt(certSafeContents);
  const certsContentInfo = seq(
    oid(oids.encryptedData),
    explicit(0, seq(integer(0), seq(oid(oids.data), certsEncrypted.algorithm, implicitPrimitive(0, certsEncrypted.ciphertext)))),
  );

  // Step 3: the key in a PKCS8ShroudedKeyBag inside a plain data content.
  const keyEncrypted = await encryption.encrypt(copy(input.privateKeyPkcs8));
  const keyBag = seq(oid(oids.pkcs8ShroudedKeyBag), explicit(0, seq(keyEncrypted.algorithm, octetString(keyEncrypted.ciphertext))), attributes);
  const keyContentInfo = seq(oid(oids.data), explicit(0, octetString(seq(keyBag))));

  // Step 4: AuthenticatedSafe, the MAC over its DER, and the PFX (version 3).
  const authenticatedSafe = seq(certsContentInfo, keyContentInfo);
  const macData = await computeMac(format, password, iterations, randomBytes(saltBytes), authenticatedSafe);
  return seq(integer(3), seq(oid(oids.data), explicit(0, octetString(authenticatedSafe))), macData);
}

/** Unambiguous alphabet: no 0/O, 1/l/I. 57 symbols × 20 characters ≈ 116.6 bits. */
export const filePasswordAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const filePasswordLength = 20;

/** A random file password for the page to show once (SPEC 1.4). */
export function generateFilePassword(random: (n: number) => Uint8Array = defaultRandom): string {
  const alphabetSize = filePasswordAlphabet.length;
  // Rejection sampling keeps every symbol equally likely: use bytes below 4 × 57 = 228 only.
  const limit = 256 - (256 % alphabetSize);
  let password = '';
  for (let round = 0; password.length < filePasswordLength; round++) {
    if (round > 64) {
      throw new Error('random source keeps returning bytes out of range');
    }
    for (const byte of random(filePasswordLength * 2)) {
      if (byte < limit && password.length < filePasswordLength) {
        password += filePasswordAlphabet[byte % alphabetSize];
      }
    }
  }
  return password;
}

/** Printable ASCII (0x20–0x7E), 8–128 characters: what every key store reads the same way. */
export function isAcceptableFilePassword(password: string): boolean {
  return /^[\x20-\x7e]{8,128}$/.test(password);
}

// --- Encryption schemes ---------------------------------------------------------------

interface ContentEncryption {
  encrypt(plaintext: Uint8Array<ArrayBuffer>): Promise<{ algorithm: Uint8Array; ciphertext: Uint8Array }>;
}

type RandomBytes = (n: number) => Uint8Array<ArrayBuffer>;

/** PBES2 (RFC 8018 6.2): PBKDF2 with hmacWithSHA256, AES-256-CBC; a fresh salt and IV per call. */
function pbes2Encryption(password: string, iterations: number, randomBytes: RandomBytes): ContentEncryption {
  return {
    async encrypt(plaintext) {
      const salt = randomBytes(saltBytes);
      const iv = randomBytes(16);
      const baseKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
      const aesKey = await crypto.subtle.deriveKey(
        { name: 'PBKDF2', salt, iterations, hash: 'SHA-256' },
        baseKey,
        { name: 'AES-CBC', length: 256 },
        false,
        ['encrypt'],
      );
      const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, aesKey, plaintext));
      // keyLength is left out, as OpenSSL does for fixed-length ciphers; the PRF carries NULL.
      const algorithm = seq(
        oid(oids.pbes2),
        seq(
          seq(oid(oids.pbkdf2), seq(octetString(salt), integer(iterations), seq(oid(oids.hmacWithSha256), nullValue()))),
          seq(oid(oids.aes256Cbc), octetString(iv)),
        ),
      );
      return { algorithm, ciphertext };
    },
  };
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 Appendix C): key and IV from the PKCS#12 KDF with SHA-1. */
function tripleDesEncryption(password: string, iterations: number, randomBytes: RandomBytes): ContentEncryption {
  return {
    encrypt(plaintext) {
      const salt = randomBytes(saltBytes);
      const key = pkcs12Kdf('SHA-1', password, salt, 1, iterations, 24);
      const iv = pkcs12Kdf('SHA-1', password, salt, 2, iterations, 8);
      // WebCrypto has no DES (SPEC 1.4), so this one cipher comes from node-forge.
      const cipher = forge.cipher.createCipher('3DES-CBC', forge.util.createBuffer(binaryString(key)));
      cipher.start({ iv: binaryString(iv) });
      cipher.update(forge.util.createBuffer(binaryString(plaintext)));
      if (!cipher.finish()) {
        throw new Error('3DES encryption failed');
      }
      const ciphertext = bytesOfBinaryString(cipher.output.getBytes());
      const algorithm = seq(oid(oids.pbeWithSha1And3KeyTripleDesCbc), seq(octetString(salt), integer(iterations)));
      return Promise.resolve({ algorithm, ciphertext });
    },
  };
}

/** MacData (RFC 7292 4): HMAC over the AuthenticatedSafe DER, keyed by the PKCS#12 KDF with ID 3. */
async function computeMac(
  format: Pkcs12Format,
  password: string,
  iterations: number,
  salt: Uint8Array<ArrayBuffer>,
  authenticatedSafe: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  const hash = format === 'standard' ? 'SHA-256' : 'SHA-1';
  const macKey = pkcs12Kdf(hash, password, salt, 3, iterations, hashLength[hash]);
  const hmacKey = await crypto.subtle.importKey('raw', macKey, { name: 'HMAC', hash }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, authenticatedSafe));
  const digestAlgorithm = seq(oid(hash === 'SHA-256' ? oids.sha256 : oids.sha1), nullValue());
  return seq(seq(digestAlgorithm, octetString(mac)), octetString(salt), integer(iterations));
}

type KdfHash = 'SHA-1' | 'SHA-256';
const hashLength: Readonly<Record<KdfHash, number>> = { 'SHA-1': 20, 'SHA-256': 32 };

/**
 * RFC 7292 Appendix B.2, step by step. Both SHA-1 and SHA-256
 * have a 64-byte block (v). The password is a BMPString with two zero bytes at the end.
 */
function iteratedDigest(hash: KdfHash, input: Uint8Array, iterations: number): Uint8Array {
  const md = hash === 'SHA-1' ? forge.md.sha1 : forge.md.sha256;
  let bytes = binaryString(input);
  for (let r = 0; r < iterations; r++) {
    bytes = md.create().update(bytes).digest().getBytes();
  }
  return Uint8Array.from(bytes, (ch) => ch.charCodeAt(0));
}

export function pkcs12Kdf(
  hash: KdfHash,
  password: string,
  salt: Uint8Array,
  id: 1 | 2 | 3,
  iterations: number,
  length: number,
): Uint8Array<ArrayBuffer> {
  const u = hashLength[hash];
  const v = 64;
  const passwordBytes = password.length === 0 ? new Uint8Array(0) : concat(bmpBytes(password), new Uint8Array(2));
  // Step 1: D is v copies of ID.
  const d = new Uint8Array(v).fill(id);
  // Steps 2–4: I = S || P, each repeated to a whole number of v-byte blocks.
  const repeatToBlocks = (bytes: Uint8Array): Uint8Array => {
    const out = new Uint8Array(v * Math.ceil(bytes.length / v));
    for (let i = 0; i < out.length; i++) {
      out[i] = bytes[i % bytes.length] ?? 0;
    }
    return out;
  };
  const block = concat(repeatToBlocks(salt), repeatToBlocks(passwordBytes));
  // Step 5: c = ceil(n / u).
  const c = Math.ceil(length / u);
  const output = new Uint8Array(c * u);
  for (let i = 0; i < c; i++) {
    // Step 6a: A_i = H^r(D || I). Synchronous hashing: 100,000 awaited WebCrypto digests
    // take ten times longer than forge's, the await costing more than the hash.
    const a = iteratedDigest(hash, concat(d, block), iterations);
    output.set(a, i * u);
    if (i === c - 1) {
      break;
    }
    // Steps 6b–6c: B is A_i repeated to v bytes; each v-byte block I_j becomes (I_j + B + 1) mod 2^(8v).
    for (let j = 0; j < block.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = (block[j + k] ?? 0) + (a[k % u] ?? 0) + carry;
        block[j + k] = sum & 0xff;
        carry = sum >>> 8;
      }
    }
  }
  // Step 7: the first n bytes of A.
  return output.slice(0, length);
}

// --- DER --------------------------------------------------------------------------------

const oids = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeWithSha1And3KeyTripleDesCbc: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

function tlv(tag: number, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = content.length;
  let header: number[];
  if (length < 0x80) {
    header = [tag, length];
  } else {
    const lengthBytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
      lengthBytes.unshift(rest & 0xff);
    }
    header = [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  }
  return concat(Uint8Array.from(header), content);
}

const seq = (...items: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(0x30, concat(...items));

/** DER (X.690 11.6): the elements of a SET OF in ascending order of their encodings. */
const set = (...items: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(0x31, concat(...[...items].sort(compareBytes)));

const octetString = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => tlv(0x04, bytes);
const nullValue = (): Uint8Array<ArrayBuffer> => Uint8Array.of(0x05, 0x00);
const explicit = (tagNumber: number, inner: Uint8Array): Uint8Array<ArrayBuffer> => tlv(0xa0 | tagNumber, inner);
const implicitPrimitive = (tagNumber: number, content: Uint8Array): Uint8Array<ArrayBuffer> => tlv(0x80 | tagNumber, content);

/**
 * BMPString as UTF-16BE code units. A character beyond the BMP (𠮷, common in names) goes
 * in as its surrogate pair, which UTF-16 readers such as node-forge decode; strict UCS-2
 * has no room for it, and OpenSSL's own `-name` refuses it rather than drop it.
 */
const bmpString = (text: string): Uint8Array<ArrayBuffer> => tlv(0x1e, bmpBytes(text));

function bmpBytes(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit >>> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

function integer(value: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`cannot encode INTEGER ${value}`);
  }
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest & 0xff);
  }
  // Minimal two's complement: a leading zero when the top bit is set, and 0 as one byte.
  if (bytes.length === 0 || (bytes[0] ?? 0) >= 0x80) {
    bytes.unshift(0);
  }
  return tlv(0x02, Uint8Array.from(bytes));
}

function oid(dotted: string): Uint8Array<ArrayBuffer> {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(bytes));
}

// --- Bytes ------------------------------------------------------------------------------

function defaultRandom(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A private copy on a plain ArrayBuffer, which is what WebCrypto's typings accept. */
function copy(bytes: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes instanceof Uint8Array ? new Uint8Array(bytes) : new Uint8Array(bytes.slice(0));
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return a.length - b.length;
}

/** node-forge speaks "binary strings", one char per byte. */
function binaryString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return out;
}

function bytesOfBinaryString(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    out[i] = text.charCodeAt(i);
  }
  return out;
}
