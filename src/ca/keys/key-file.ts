import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { toArrayBuffer } from '../der.js';
import { webCrypto } from '../webcrypto.js';
import { writeNewFile } from '../write-new-file.js';

/**
 * CA private keys at rest (SPEC §4: "CA keys in an encrypted key file").
 *
 * Format: PEM "ENCRYPTED PRIVATE KEY", i.e. PKCS#8 EncryptedPrivateKeyInfo with
 * PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) as OpenSSL writes it, so
 * `openssl pkey -in root.key.pem -passin …` reads it. The key is decrypted only
 * into memory and imported as a non-extractable WebCrypto key.
 */

const encryptedPemHeader = '-----BEGIN ENCRYPTED PRIVATE KEY-----';
const keyFileMode = 0o600;

/** Writes `privateKey` (which must be extractable) to a new file, mode 0600; never overwrites. */
export async function writeKeyFile(
  path: string,
  privateKey: CryptoKey,
  passphrase: string,
  crypto: Crypto = webCrypto,
): Promise<void> {
  if (passphrase.length === 0) {
    throw new Error('a CA key passphrase must not be empty');
  }
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', privateKey);
  const keyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const pem = keyObject.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase });
  await writeNewFile(path, pem.toString(), keyFileMode);
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
