import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, pbkdf2, randomBytes, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  concatBytes,
  decodeNonNegativeInteger,
  decodeObjectIdentifier,
  encodeNonNegativeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  readDerElement,
  readDerElements,
  toArrayBuffer,
  type DerElement,
} from '../der.js';
import { keyEncryptionOids } from '../oids.js';
import { toPem } from '../pem.js';
import { webCrypto } from '../webcrypto.js';
import { writeNewFile } from '../write-new-file.js';

/**
 * CA private keys at rest (SPEC §4: "CA keys in an encrypted key file").
 *
 * Format: PEM "ENCRYPTED PRIVATE KEY", i.e. PKCS#8 EncryptedPrivateKeyInfo
 * (RFC 5958) with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 with a 16-byte random
 * salt and {@link keyFileIterations} iterations, then AES-256-CBC with a random
 * IV. We encode it ourselves because Node's `KeyObject.export({ cipher })` uses
 * OpenSSL's default of 2,048 iterations and offers no way to raise it. OpenSSL
 * reads the result, so `openssl pkey -in root.key.pem -passin …` works. The key
 * is decrypted only into memory and imported as a non-extractable WebCrypto key.
 *
 * Reading decrypts this scheme ourselves too (the older files, with 2,048
 * iterations, use it as well), so the derivation stays off the event loop:
 * OpenSSL's own decryption would run it synchronously, ~0.1-0.4 s per key at
 * 600,000 iterations. Any other encryption is left to OpenSSL.
 */

/**
 * PBKDF2-HMAC-SHA256 iterations of a new key file, and the least writeKeyFile
 * accepts: OWASP Password Storage Cheat Sheet (2023) for PBKDF2-HMAC-SHA256.
 */
export const keyFileIterations = 600_000;

export interface WriteKeyFileOptions {
  /** PBKDF2 iterations; at least {@link keyFileIterations}, which is also the default. */
  readonly iterations?: number;
}

const encryptedPemLabel = 'ENCRYPTED PRIVATE KEY';
const encryptedPemHeader = `-----BEGIN ${encryptedPemLabel}-----`;
const keyFileMode = 0o600;
const saltBytes = 16;
const aesBlockBytes = 16;
const aes256KeyBytes = 32;

/** crypto.pbkdf2 runs on the libuv thread pool: deriving a key does not block the event loop. */
const pbkdf2Async = promisify(pbkdf2);

/** Writes `privateKey` (which must be extractable) to a new file, mode 0600; never overwrites. */
export async function writeKeyFile(
  path: string,
  privateKey: CryptoKey,
  passphrase: string,
  crypto: Crypto = webCrypto,
  options: WriteKeyFileOptions = {},
): Promise<void> {
  if (passphrase.length === 0) {
    throw new Error('a CA key passphrase must not be empty');
  }
  const iterations = options.iterations ?? keyFileIterations;
  if (!Number.isSafeInteger(iterations) || iterations < keyFileIterations) {
    throw new Error(`a CA key file needs at least ${keyFileIterations} PBKDF2 iterations, not ${iterations}`);
  }
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
  try {
    const der = await encryptPrivateKeyInfo(pkcs8, passphrase, iterations);
    await writeNewFile(path, toPem(der, encryptedPemLabel), keyFileMode);
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
 * with encryptionAlgorithm = PBES2 { keyDerivationFunc PBKDF2, encryptionScheme aes256-CBC }.
 */
async function encryptPrivateKeyInfo(pkcs8: Uint8Array, passphrase: string, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const salt = randomBytes(saltBytes);
  const iv = randomBytes(aesBlockBytes);
  const key = await pbkdf2Async(passphrase, salt, iterations, aes256KeyBytes, 'sha256');
  let encrypted: Uint8Array;
  try {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    encrypted = concatBytes([cipher.update(pkcs8), cipher.final()]);
  } finally {
    key.fill(0);
  }
  const pbkdf2Parameters = encodeSequence([
    encodeOctetString(salt),
    encodeNonNegativeInteger(iterations),
    // keyLength omitted: AES-256 fixes it (RFC 8018 A.2).
    encodeSequence([encodeObjectIdentifier(keyEncryptionOids.hmacWithSHA256), encodeNull()]),
  ]);
  const pbes2Parameters = encodeSequence([
    encodeSequence([encodeObjectIdentifier(keyEncryptionOids.pbkdf2), pbkdf2Parameters]),
    encodeSequence([encodeObjectIdentifier(keyEncryptionOids.aes256Cbc), encodeOctetString(iv)]),
  ]);
  return encodeSequence([
    encodeSequence([encodeObjectIdentifier(keyEncryptionOids.pbes2), pbes2Parameters]),
    encodeOctetString(encrypted),
  ]);
}

/**
 * Decrypts a key file. Returns the private key (non-extractable, `sign` only)
 * and its public key. Throws with a clear message on a wrong passphrase.
 */
export async function readKeyFile(path: string, passphrase: string, crypto: Crypto = webCrypto): Promise<CryptoKeyPair> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`reading CA key file ${path}`, { cause });
  }
  if (!pem.trimStart().startsWith(encryptedPemHeader)) {
    throw new Error(`CA key file ${path} is not an encrypted PKCS#8 key ("${encryptedPemHeader}")`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = await decryptPrivateKey(pem, passphrase);
  } catch (cause) {
    // A wrong key almost always breaks the CBC padding; when it does not, the
    // plaintext is not a PrivateKeyInfo and createPrivateKey throws: same message.
    throw new Error(`CA key file ${path}: wrong passphrase, or the file is damaged`, { cause });
  }
  const algorithm = importAlgorithmFor(keyObject, path);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8), algorithm, false, ['sign']),
    crypto.subtle.importKey('spki', toArrayBuffer(spki), algorithm, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** The private key in `pem`: our scheme decrypted here, anything else by OpenSSL. */
async function decryptPrivateKey(pem: string, passphrase: string): Promise<KeyObject> {
  const encrypted = pbes2Aes256CbcOf(pem);
  if (encrypted === undefined) {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  }
  const key = await pbkdf2Async(passphrase, encrypted.salt, encrypted.iterations, aes256KeyBytes, 'sha256');
  let pkcs8: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, encrypted.iv);
    pkcs8 = Buffer.concat([decipher.update(encrypted.encryptedData), decipher.final()]);
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } finally {
    key.fill(0);
    pkcs8?.fill(0);
  }
}

interface Pbes2Aes256Cbc {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly iv: Uint8Array;
  readonly encryptedData: Uint8Array;
}

/** Node's crypto.pbkdf2 takes at most this many iterations. */
const maxPbkdf2Iterations = 2 ** 31 - 1;

/**
 * The parameters of a PEM EncryptedPrivateKeyInfo that uses PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC, or undefined for anything else,
 * malformed files included: OpenSSL then reads it, or explains why not.
 */
function pbes2Aes256CbcOf(pem: string): Pbes2Aes256Cbc | undefined {
  const body = /^-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END ENCRYPTED PRIVATE KEY-----$/.exec(pem.trim())?.[1];
  if (body === undefined) {
    return undefined;
  }
  try {
    return parsePbes2Aes256Cbc(Buffer.from(body, 'base64'));
  } catch {
    // Not DER we understand: leave it to OpenSSL.
    return undefined;
  }
}

function parsePbes2Aes256Cbc(der: Uint8Array): Pbes2Aes256Cbc | undefined {
  const [algorithm, encryptedData] = fields(readDerElement(der), [0x30, 0x04]);
  const [schemeOid, schemeParameters] = fields(algorithm, [0x06, 0x30]);
  const [kdf, cipher] = fields(schemeParameters, [0x30, 0x30]);
  const [kdfOid, kdfParameters] = fields(kdf, [0x06, 0x30]);
  const [cipherOid, iv] = fields(cipher, [0x06, 0x04]);
  if (
    decodeObjectIdentifier(schemeOid.content) !== keyEncryptionOids.pbes2 ||
    decodeObjectIdentifier(kdfOid.content) !== keyEncryptionOids.pbkdf2 ||
    decodeObjectIdentifier(cipherOid.content) !== keyEncryptionOids.aes256Cbc ||
    iv.content.length !== aesBlockBytes ||
    encryptedData.content.length === 0 ||
    encryptedData.content.length % aesBlockBytes !== 0
  ) {
    return undefined;
  }
  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
  //   keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
  const [salt, iterationCount, ...optional] = readDerElements(kdfParameters.content);
  const keyLength = optional[0]?.tag === 0x02 ? optional.shift() : undefined;
  const [prf, ...extra] = optional;
  if (salt?.tag !== 0x04 || iterationCount?.tag !== 0x02 || prf?.tag !== 0x30 || extra.length > 0) {
    return undefined;
  }
  if (keyLength !== undefined && decodeNonNegativeInteger(keyLength.content) !== aes256KeyBytes) {
    return undefined;
  }
  const [prfOid, ...prfParameters] = readDerElements(prf.content);
  if (prfOid?.tag !== 0x06 || decodeObjectIdentifier(prfOid.content) !== keyEncryptionOids.hmacWithSHA256 || !isNullOrAbsent(prfParameters)) {
    return undefined;
  }
  const iterations = decodeNonNegativeInteger(iterationCount.content);
  if (iterations < 1 || iterations > maxPbkdf2Iterations) {
    return undefined;
  }
  return { salt: salt.content, iterations, iv: iv.content, encryptedData: encryptedData.content };
}

/** AlgorithmIdentifier parameters that are absent or NULL (hmacWithSHA256 has none, RFC 8018 B.1.2). */
function isNullOrAbsent(parameters: readonly DerElement[]): boolean {
  const [only, ...more] = parameters;
  return only === undefined || (only.tag === 0x05 && only.content.length === 0 && more.length === 0);
}

/** The elements of a SEQUENCE whose fields have exactly these tags; throws otherwise. */
function fields<const Tags extends readonly number[]>(sequence: DerElement, tags: Tags): { readonly [K in keyof Tags]: DerElement } {
  const elements = sequence.tag === 0x30 ? readDerElements(sequence.content) : [];
  if (sequence.tag !== 0x30 || elements.length !== tags.length || elements.some((element, index) => element.tag !== tags[index])) {
    throw new Error('DER: unexpected structure');
  }
  return elements as unknown as { readonly [K in keyof Tags]: DerElement };
}

function importAlgorithmFor(key: KeyObject, path: string): EcKeyImportParams | RsaHashedImportParams | Algorithm {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const namedCurve = curve === undefined ? undefined : webCryptoCurves[curve];
      if (namedCurve === undefined) {
        throw new Error(`CA key file ${path}: curve ${curve ?? '(none)'} is not supported`);
      }
      return { name: 'ECDSA', namedCurve };
    }
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'ed25519':
      return { name: 'Ed25519' };
    default:
      throw new Error(`CA key file ${path}: key type ${key.asymmetricKeyType ?? '(unknown)'} is not supported`);
  }
}

const webCryptoCurves: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};
