import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readKeyFile, writeKeyFile } from '../../src/ca/keys/key-file.js';
import { cryptoKeySigner } from '../../src/ca/keys/signer.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, hasOpenssl, makeTempDir, openssl, passphrase } from './ca-test-kit.js';

describe(writeKeyFile.name, () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('writes an encrypted PKCS#8 PEM with mode 0600', async () => {
    const path = join(temp.dir, 'ca.key.pem');
    const keys = await generateTestKeys('P-256');
    await writeKeyFile(path, keys.privateKey, passphrase);

    const pem = await readFile(path, 'utf8');
    expect(pem.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // PBES2 with AES-256-CBC: the cipher is named in the EncryptedPrivateKeyInfo.
    expect(() => createPrivateKey({ key: pem, format: 'pem' })).toThrow();
  });

  it('never overwrites an existing file', async () => {
    const path = join(temp.dir, 'ca.key.pem');
    const keys = await generateTestKeys('P-256');
    await writeKeyFile(path, keys.privateKey, passphrase);
    const before = await readFile(path, 'utf8');
    await expect(writeKeyFile(path, keys.privateKey, passphrase)).rejects.toThrow(/writing/);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('refuses an empty passphrase', async () => {
    const keys = await generateTestKeys('P-256');
    await expect(writeKeyFile(join(temp.dir, 'k.pem'), keys.privateKey, '')).rejects.toThrow(/must not be empty/);
  });

  it.skipIf(!hasOpenssl)('writes a file the openssl CLI decrypts with the passphrase', async () => {
    const path = join(temp.dir, 'ca.key.pem');
    const keys = await generateTestKeys('P-384');
    await writeKeyFile(path, keys.privateKey, passphrase);
    const text = openssl(['pkey', '-in', path, '-passin', `pass:${passphrase}`, '-noout', '-text']);
    expect(text).toMatch(/NIST CURVE: P-384/);
    expect(() => openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-noout'])).toThrow();
  });
});

describe(readKeyFile.name, () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('returns a non-extractable signing key and its public key', async () => {
    const path = join(temp.dir, 'ca.key.pem');
    const original = await generateTestKeys('P-256');
    await writeKeyFile(path, original.privateKey, passphrase);

    const loaded = await readKeyFile(path, passphrase);
    expect(loaded.privateKey.extractable).toBe(false);
    expect(loaded.privateKey.usages).toEqual(['sign']);
    expect(new Uint8Array(await webCrypto.subtle.exportKey('spki', loaded.publicKey))).toEqual(
      new Uint8Array(await webCrypto.subtle.exportKey('spki', original.publicKey)),
    );
    const signer = cryptoKeySigner(loaded);
    expect(signer.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256' });
    const data = new TextEncoder().encode('tbs').buffer;
    const signature = await signer.sign(data);
    expect(await webCrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, original.publicKey, signature, data)).toBe(true);
  });

  it('fails clearly on a wrong passphrase', async () => {
    const path = join(temp.dir, 'ca.key.pem');
    await writeKeyFile(path, (await generateTestKeys('P-256')).privateKey, passphrase);
    await expect(readKeyFile(path, 'not the passphrase')).rejects.toThrow(`CA key file ${path}: wrong passphrase`);
  });

  it('refuses a key stored unencrypted', async () => {
    const path = join(temp.dir, 'plain.key.pem');
    const keys = await generateTestKeys('P-256');
    const pkcs8 = await webCrypto.subtle.exportKey('pkcs8', keys.privateKey);
    const pem = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
    await writeFile(path, pem);
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(/is not an encrypted PKCS#8 key/);
  });

  it('reports a missing file with its path', async () => {
    const path = join(temp.dir, 'absent.key.pem');
    await expect(readKeyFile(path, passphrase)).rejects.toThrow(`reading CA key file ${path}`);
  });
});
