import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCipheriv, createPrivateKey, pbkdf2Sync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeNonNegativeInteger,
  encodeOctetString,
  encodeSequence,
  readDerElement,
  readDerElements,
  toHex,
  type DerElement,
} from '../../src/ca/der.js';
import { keyFileIterations, readKeyFile, writeKeyFile } from '../../src/ca/keys/key-file.js';
import { cryptoKeySigner } from '../../src/ca/keys/signer.js';
import { toPem } from '../../src/ca/pem.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, hasOpenssl, makeTempDir, openssl, passphrase, type TestKeyKind } from './ca-test-kit.js';

// Each key file costs one PBKDF2 derivation of 600,000 iterations to write and
// one to read (~0.1-0.4 s), so the tests share files where they can.

/** OBJECT IDENTIFIER TLVs, spelled out in hex so the test does not trust the encoder it checks. */
const oidTlv = {
  pbes2: '06092a864886f70d01050d', // 1.2.840.113549.1.5.13
  pbkdf2: '06092a864886f70d01050c', // 1.2.840.113549.1.5.12
  hmacWithSHA256: '06082a864886f70d0209', // 1.2.840.113549.2.9
  aes256Cbc: '060960864801650304012a', // 2.16.840.1.101.3.4.1.42
} as const;

function pemToDer(pem: string, label: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----\\n([A-Za-z0-9+/=\\n]+)-----END ${label}-----\\n$`).exec(pem);
  if (!match?.[1]) {
    throw new Error(`not a ${label} PEM`);
  }
  return new Uint8Array(Buffer.from(match[1], 'base64'));
}

function child(parent: DerElement, index: number, tag: number): DerElement {
  const found = readDerElements(parent.content)[index];
  if (found?.tag !== tag) {
    throw new Error(`expected tag 0x${tag.toString(16)} at child ${index}, found ${found?.tag.toString(16) ?? 'nothing'}`);
  }
  return found;
}

/** What an EncryptedPrivateKeyInfo declares, read with the generic TLV reader only. */
function declaredEncryption(pem: string) {
  const info = readDerElement(pemToDer(pem, 'ENCRYPTED PRIVATE KEY'));
  const algorithm = child(info, 0, 0x30);
  const pbes2Parameters = child(algorithm, 1, 0x30);
  const kdf = child(pbes2Parameters, 0, 0x30);
  const kdfParameters = child(kdf, 1, 0x30);
  const cipher = child(pbes2Parameters, 1, 0x30);
  const prfIdentifier = readDerElements(kdfParameters.content).find((element) => element.tag === 0x30);
  return {
    topLevelCount: readDerElements(info.content).length,
    scheme: toHex(child(algorithm, 0, 0x06).raw),
    kdf: toHex(child(kdf, 0, 0x06).raw),
    salt: child(kdfParameters, 0, 0x04).content,
    iterations: decodeNonNegativeInteger(child(kdfParameters, 1, 0x02).content),
    kdfParameterTags: readDerElements(kdfParameters.content).map((element) => element.tag),
    prf: prfIdentifier && toHex(child(prfIdentifier, 0, 0x06).raw),
    prfParameters: prfIdentifier && readDerElements(prfIdentifier.content).slice(1).map((element) => toHex(element.raw)),
    cipher: toHex(child(cipher, 0, 0x06).raw),
    iv: child(cipher, 1, 0x04).content,
    encryptedData: child(info, 1, 0x04).content,
  };
}

/** An encrypted PKCS#8 PEM as Node's KeyObject.export writes it (2,048 PBKDF2 iterations). */
async function nodeExportedPem(keys: CryptoKeyPair, cipher: string, secret: string): Promise<string> {
  const pkcs8 = await webCrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyObject = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return keyObject.export({ type: 'pkcs8', format: 'pem', cipher, passphrase: secret }).toString();
}

async function spki(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await webCrypto.subtle.exportKey('spki', key));
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
/** One P-384 key file written by writeKeyFile, shared by the tests that only look at it. */
let shared: { path: string; pem: string; keys: CryptoKeyPair };
beforeAll(async () => {
  temp = await makeTempDir();
  const keys = await generateTestKeys('P-384');
  const path = join(temp.dir, 'shared.key.pem');
  await writeKeyFile(path, keys.privateKey, passphrase);
  shared = { path, pem: await readFile(path, 'utf8'), keys };
});
afterAll(async () => {
  await temp.remove();
});

describe(writeKeyFile.name, () => {
  it('writes an encrypted PKCS#8 PEM with mode 0600', async () => {
    expect(shared.pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect(shared.pem.endsWith('-----END ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect((await stat(shared.path)).mode & 0o777).toBe(0o600);
    expect(() => createPrivateKey({ key: shared.pem, format: 'pem' })).toThrow();
  });

  it('uses PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, 16-byte salt) and AES-256-CBC', () => {
    expect(keyFileIterations).toBe(600_000);
    const declared = declaredEncryption(shared.pem);
    expect(declared.topLevelCount).toBe(2);
    expect(declared.scheme).toBe(oidTlv.pbes2);
    expect(declared.kdf).toBe(oidTlv.pbkdf2);
    expect(declared.iterations).toBeGreaterThanOrEqual(600_000);
    expect(declared.iterations).toBe(keyFileIterations);
    expect(declared.salt).toHaveLength(16);
    // salt, iterationCount, prf: keyLength is omitted.
    expect(declared.kdfParameterTags).toEqual([0x04, 0x02, 0x30]);
    expect(declared.prf).toBe(oidTlv.hmacWithSHA256);
    expect(declared.prfParameters).toEqual(['0500']);
    expect(declared.cipher).toBe(oidTlv.aes256Cbc);
    expect(declared.iv).toHaveLength(16);
    expect(declared.encryptedData.length % 16).toBe(0);
  });

  it('draws a fresh salt and IV for every file', async () => {
    const path = join(temp.dir, 'second.key.pem');
    await writeKeyFile(path, shared.keys.privateKey, passphrase);
    const [first, second] = [declaredEncryption(shared.pem), declaredEncryption(await readFile(path, 'utf8'))];
    expect(toHex(second.salt)).not.toBe(toHex(first.salt));
    expect(toHex(second.iv)).not.toBe(toHex(first.iv));
  });

  it('writes more iterations when asked, and the file says so', async () => {
    const path = join(temp.dir, 'more.key.pem');
    const keys = await generateTestKeys('P-256');
    await writeKeyFile(path, keys.privateKey, passphrase, webCrypto, { iterations: keyFileIterations + 1 });
    expect(declaredEncryption(await readFile(path, 'utf8')).iterations).toBe(keyFileIterations + 1);
    const loaded = await readKeyFile(path, passphrase);
    expect(await spki(loaded.publicKey)).toEqual(await spki(keys.publicKey));
  });

  it.each([keyFileIterations - 1, 2048, 0, Number.NaN, keyFileIterations + 0.5])('refuses %s iterations', async (iterations) => {
    const path = join(temp.dir, `weak-${iterations}.key.pem`);
    await expect(writeKeyFile(path, shared.keys.privateKey, passphrase, webCrypto, { iterations })).rejects.toThrow(
      /needs at least 600000 PBKDF2 iterations/,
    );
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('never overwrites an existing file', async () => {
    await expect(writeKeyFile(shared.path, shared.keys.privateKey, passphrase)).rejects.toThrow(/writing/);
    expect(await readFile(shared.path, 'utf8')).toBe(shared.pem);
  });

  it('refuses an empty passphrase', async () => {
    await expect(writeKeyFile(join(temp.dir, 'k.pem'), shared.keys.privateKey, '')).rejects.toThrow(/must not be empty/);
  });

  it.skipIf(!hasOpenssl)('writes a file the openssl CLI parses and decrypts with the passphrase', () => {
    const structure = openssl(['asn1parse', '-in', shared.path]);
    expect(structure).toMatch(/OBJECT +:PBES2\n/);
    expect(structure).toMatch(/OBJECT +:PBKDF2\n/);
    expect(structure).toMatch(/INTEGER +:0927C0\n/); // 600000
    expect(structure).toMatch(/OBJECT +:hmacWithSHA256\n/);
    expect(structure).toMatch(/OBJECT +:aes-256-cbc\n/);

    const text = openssl(['pkey', '-in', shared.path, '-passin', `pass:${passphrase}`, '-noout', '-text']);
    expect(text).toMatch(/NIST CURVE: P-384/);
    expect(() => openssl(['pkey', '-in', shared.path, '-passin', 'pass:wrong', '-noout'])).toThrow();
  });
});

describe(readKeyFile.name, () => {
  const expectSigningKeyOf = async (path: string, original: CryptoKeyPair): Promise<void> => {
    const loaded = await readKeyFile(path, passphrase);
    expect(loaded.privateKey.extractable).toBe(false);
    expect(loaded.privateKey.usages).toEqual(['sign']);
    expect(await spki(loaded.publicKey)).toEqual(await spki(original.publicKey));
    const signer = cryptoKeySigner(loaded);
    const data = new TextEncoder().encode('tbs').buffer;
    const signature = await signer.sign(data);
    expect(await webCrypto.subtle.verify(signer.algorithm, original.publicKey, signature, data)).toBe(true);
  };

  it('round-trips a P-384 key: the loaded key signs and verifies', async () => {
    await expectSigningKeyOf(shared.path, shared.keys);
  });

  it.each(['P-256', 'RSA-2048', 'Ed25519'] as const)('round-trips a %s key: the loaded key signs and verifies', async (kind: TestKeyKind) => {
    const path = join(temp.dir, `round-trip-${kind}.key.pem`);
    const original = await generateTestKeys(kind);
    await writeKeyFile(path, original.privateKey, passphrase);
    await expectSigningKeyOf(path, original);
  });

  it('keeps the event loop turning while it derives the key', async () => {
    // OpenSSL's own decryption would run all 600,000 iterations in one blocking call.
    let longestGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    try {
      await readKeyFile(shared.path, passphrase);
      // A blocking call at the end would leave no tick after it: count the gap up to now.
      longestGapMs = Math.max(longestGapMs, performance.now() - last);
    } finally {
      clearInterval(ticker);
    }
    const tookMs = performance.now() - started;
    expect(longestGapMs).toBeLessThan(tookMs / 2);
  });

  it('fails clearly on a wrong passphrase', async () => {
    await expect(readKeyFile(shared.path, 'not the passphrase')).rejects.toThrow(`CA key file ${shared.path}: wrong passphrase, or the file is damaged`);
  });

  it('reads a file Node exported with its defaults (2,048 iterations), and refuses a wrong passphrase for it', async () => {
    const path = join(temp.dir, 'node-exported.key.pem');
    const keys = await generateTestKeys('P-256');
    const pem = await nodeExportedPem(keys, 'aes-256-cbc', passphrase);
    expect(declaredEncryption(pem).iterations).toBe(2048);
    await writeFile(path, pem, { mode: 0o600 });

    const loaded = await readKeyFile(path, passphrase);
    expect(await spki(loaded.publicKey)).toEqual(await spki(keys.publicKey));
    await expect(readKeyFile(path, 'not the passphrase')).rejects.toThrow(`CA key file ${path}: wrong passphrase, or the file is damaged`);
  });

  it('reads other encrypted PKCS#8 files OpenSSL understands (AES-128-CBC)', async () => {
    const path = join(temp.dir, 'aes128.key.pem');
    const keys = await generateTestKeys('P-256');
    await writeFile(path, await nodeExportedPem(keys, 'aes-128-cbc', passphrase), { mode: 0o600 });

    const loaded = await readKeyFile(path, passphrase);
    expect(await spki(loaded.publicKey)).toEqual(await spki(keys.publicKey));
    await expect(readKeyFile(path, 'not the passphrase')).rejects.toThrow(`CA key file ${path}: wrong passphrase, or the file is damaged`);
  });

  it('fails clearly on a damaged ciphertext', async () => {
    const path = join(temp.dir, 'damaged.key.pem');
    const der = pemToDer(shared.pem, 'ENCRYPTED PRIVATE KEY');
    const damaged = Uint8Array.from(der);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    await writeFile(path, toPem(damaged, 'ENCRYPTED PRIVATE KEY'));
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(`CA key file ${path}: wrong passphrase, or the file is damaged`);
  });

  it('does not mistake a well-padded decryption that is not a PKCS#8 key for one', async () => {
    // The right key and IV, well-formed padding, but the plaintext is not a PrivateKeyInfo.
    const declared = declaredEncryption(shared.pem);
    const key = pbkdf2Sync(passphrase, declared.salt, declared.iterations, 32, 'sha256');
    const cipher = createCipheriv('aes-256-cbc', key, declared.iv);
    const garbage = Buffer.concat([cipher.update(Buffer.from('30820000 not a private key'.repeat(4))), cipher.final()]);
    const algorithm = child(readDerElement(pemToDer(shared.pem, 'ENCRYPTED PRIVATE KEY')), 0, 0x30);
    const path = join(temp.dir, 'garbage.key.pem');
    await writeFile(path, toPem(encodeSequence([algorithm.raw, encodeOctetString(garbage)]), 'ENCRYPTED PRIVATE KEY'));
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(`CA key file ${path}: wrong passphrase, or the file is damaged`);
  });

  it('refuses a key stored unencrypted', async () => {
    const path = join(temp.dir, 'plain.key.pem');
    const pkcs8 = await webCrypto.subtle.exportKey('pkcs8', shared.keys.privateKey);
    const pem = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
    await writeFile(path, pem);
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(/is not an encrypted PKCS#8 key/);
  });

  it('reports a missing file with its path', async () => {
    const path = join(temp.dir, 'absent.key.pem');
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(`reading CA key file ${path}`);
  });
});
