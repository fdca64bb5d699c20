import { createCipheriv, createPrivateKey, createPublicKey, pbkdf2, randomBytes, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  concatBytes,
  encodeNonNegativeInteger,
  encodeNull,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  toArrayBuffer,
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
    keyObject = createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (cause) {
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
