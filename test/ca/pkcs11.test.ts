import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Crl } from '@peculiar/x509';
import { Command } from 'commander';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { caFileNames, createCa, openCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import { describeCrl, signCrl } from '../../src/ca/crl.js';
import { issueCertificate } from '../../src/ca/issuer.js';
import { generatePkcs11KeyPair, openPkcs11Signer, type Pkcs11Signer, type Pkcs11Token } from '../../src/ca/keys/pkcs11-signer.js';
import { cryptoKeySigner } from '../../src/ca/keys/signer.js';
import { issueOcspResponderCertificate } from '../../src/ca/ocsp-responder-certificate.js';
import { parseOcspRequest, signOcspResponse, type OcspSigningIdentity } from '../../src/ca/ocsp.js';
import { toPem } from '../../src/ca/pem.js';
import { dayMs, floorToSecond, subscriberProfile, validityEnd } from '../../src/ca/profile.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { keyIdentifierOf } from '../../src/ca/subject-key.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { registerCaCommands } from '../../src/cli/ca-commands.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { crlReasonCodes } from '../../src/domain/revocation-reason.js';
import { describeRun, run, succeed, verifyArgs } from '../support/interop.js';
import { bookkeepingFreeDeps, issueTestCertificate, generateTestKeys, makeTempDir, passphrase, subscriberSubject, subscriberUrls } from './ca-test-kit.js';

/**
 * CA keys in a PKCS#11 token (SPEC §4): SoftHSM2 with throwaway tokens in a temp folder.
 * SoftHSM2 is a test dependency (scripts/ensure-system-packages.sh installs it), so these
 * tests fail, never skip, without it. openssl checks what the token-signed CA issues
 * against the real clock, so the CAs here are made with a clock that reads it.
 */

const softhsmModule = '/usr/lib/softhsm/libsofthsm2.so';
const realClock: Clock = { now: () => new Date() };
const pinVariable = 'CERTDESK_TEST_TOKEN_PIN';
const pin = 'token-pin-4821';
const soPin = 'token-so-pin-9137';
/** The environment the signers read the PIN from: passed in, never process.env. */
const env = { [pinVariable]: pin };
/** One token per group of tests, all made before the first C_Initialize (SoftHSM2 reads its tokens then). */
const tokenLabels = { keys: 'certdesk keys', ca: 'certdesk ca', revocation: 'certdesk revocation', cli: 'certdesk cli' } as const;

let temp: Awaited<ReturnType<typeof makeTempDir>>;

function tokenOf(label: string): Pkcs11Token {
  return { modulePath: softhsmModule, token: { tokenLabel: label }, pinVariable };
}

beforeAll(async () => {
  if (!existsSync(softhsmModule) || spawnSync('softhsm2-util', ['--version']).error !== undefined) {
    throw new Error(`SoftHSM2 is missing (${softhsmModule}, softhsm2-util): run scripts/ensure-system-packages.sh (Debian package softhsm2)`);
  }
  temp = await makeTempDir();
  const tokenDir = join(temp.dir, 'tokens');
  await mkdir(tokenDir);
  const conf = join(temp.dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  // SoftHSM2 reads its configuration from the environment of the process that loads it: this test's.
  process.env['SOFTHSM2_CONF'] = conf;
  for (const label of Object.values(tokenLabels)) {
    succeed('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin]);
  }
  // An RSA key made outside certdesk, imported as a key pair (private and public object, id 0a11).
  const rsa = await generateTestKeys('RSA-2048');
  const rsaPem = join(temp.dir, 'rsa.key.pem');
  await writeFile(rsaPem, toPem(await webCrypto.subtle.exportKey('pkcs8', rsa.privateKey), 'PRIVATE KEY'), { mode: 0o600 });
  succeed('softhsm2-util', ['--import', rsaPem, '--token', tokenLabels.keys, '--label', 'imported rsa', '--id', '0a11', '--pin', pin]);
  rsaSpki = new Uint8Array(await webCrypto.subtle.exportKey('spki', rsa.publicKey));
});

afterAll(async () => {
  await temp?.remove();
});

let rsaSpki: Uint8Array<ArrayBuffer>;

async function verifies(signer: Pkcs11Signer, data: Uint8Array<ArrayBuffer>, signature: ArrayBuffer): Promise<boolean> {
  return webCrypto.subtle.verify(signer.algorithm, signer.publicKey, signature, data);
}

/** Everything an error says, its causes included: where a leaked PIN would show. */
function everythingSaid(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined; current = current instanceof Error ? current.cause : undefined) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}\n${current.stack ?? ''}` : String(current));
  }
  return parts.join('\n');
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe(generatePkcs11KeyPair.name, () => {
  it('makes a P-256 key in the token whose r‖s signatures over SHA-256 WebCrypto verifies', async () => {
    const signer = await generatePkcs11KeyPair(tokenOf(tokenLabels.keys), { keyLabel: 'p256 key' }, { env });
    try {
      expect(signer.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256' });
      expect(signer.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
      expect(signer).toMatchObject({ tokenLabel: tokenLabels.keys, keyLabel: 'p256 key', keyIdHex: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const data = new TextEncoder().encode('certdesk: 髙﨑さんの証明書');
      const signature = await signer.sign(data.buffer);
      expect(signature.byteLength).toBe(64);
      expect(await verifies(signer, data, signature)).toBe(true);
      expect(await verifies(signer, new TextEncoder().encode('something else'), signature)).toBe(false);
    } finally {
      await signer.close();
    }
  });

  it('makes P-384 keys, which sign SHA-384 digests (S/MIME BR 7.1.3.2)', async () => {
    const signer = await generatePkcs11KeyPair(tokenOf(tokenLabels.keys), { keyLabel: 'p384 key', curve: 'P-384' }, { env });
    try {
      expect(signer.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-384' });
      const data = new Uint8Array([1, 2, 3]);
      const signature = await signer.sign(data.buffer);
      expect(signature.byteLength).toBe(96);
      expect(await verifies(signer, data, signature)).toBe(true);
    } finally {
      await signer.close();
    }
  });

  it('refuses a label the token already holds', async () => {
    await expect(generatePkcs11KeyPair(tokenOf(tokenLabels.keys), { keyLabel: 'p256 key' }, { env })).rejects.toThrow(
      `token "${tokenLabels.keys}" already holds an object labelled "p256 key"`,
    );
  });
});

describe(openPkcs11Signer.name, () => {
  it('opens a key by label, by id, and on a token chosen by slot index; each the same key', async () => {
    const byLabel = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env });
    const byId = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyIdHex: byLabel.keyIdHex }, { env });
    // SoftHSM2 orders its slots by serial number, not by label: find the index of our token.
    const labels = spawnSync('softhsm2-util', ['--show-slots'], { encoding: 'utf8' }).stdout.match(/^\s+Label:\s+(.*?)\s*$/gm) ?? [];
    const slotIndex = labels.map((line) => line.replace(/^\s+Label:\s+/, '').trim()).indexOf(tokenLabels.keys);
    expect(slotIndex).toBeGreaterThanOrEqual(0);
    const bySlot = await openPkcs11Signer({ modulePath: softhsmModule, token: { slotIndex }, pinVariable, keyLabel: 'p256 key' }, { env });
    try {
      const spkiOf = async (signer: Pkcs11Signer) => new Uint8Array(await webCrypto.subtle.exportKey('spki', signer.publicKey));
      expect(await spkiOf(byId)).toEqual(await spkiOf(byLabel));
      expect(await spkiOf(bySlot)).toEqual(await spkiOf(byLabel));
      const data = new Uint8Array([42]);
      expect(await verifies(byLabel, data, await byId.sign(data.buffer))).toBe(true);
    } finally {
      await Promise.all([byLabel.close(), byId.close(), bySlot.close()]);
    }
  });

  it('signs with an imported RSA key by CKM_SHA256_RSA_PKCS, public key read from modulus and exponent', async () => {
    const signer = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'imported rsa' }, { env });
    try {
      expect(signer.algorithm).toEqual({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expect(signer.keyIdHex).toBe('0a11');
      expect(new Uint8Array(await webCrypto.subtle.exportKey('spki', signer.publicKey))).toEqual(rsaSpki);
      const data = new TextEncoder().encode('tbsCertificate');
      const signature = await signer.sign(data.buffer);
      expect(signature.byteLength).toBe(256);
      expect(await verifies(signer, data, signature)).toBe(true);
    } finally {
      await signer.close();
    }
  });

  it('gives each of 50 concurrent sign() calls a session of its own: all 50 signatures verify', async () => {
    const signer = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env, sessions: 3 });
    try {
      const messages = Array.from({ length: 50 }, (_, index) => new TextEncoder().encode(`message ${index}`));
      const signatures = await Promise.all(messages.map((message) => signer.sign(message.buffer)));
      const results = await Promise.all(messages.map((message, index) => verifies(signer, message, signatures[index] ?? new ArrayBuffer(0))));
      expect(results).toEqual(messages.map(() => true));
    } finally {
      await signer.close();
    }
  });

  it('waits on close for the signatures under way, then refuses new ones', async () => {
    const signer = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env, sessions: 1 });
    const data = new Uint8Array([7]);
    const underWay = [signer.sign(data.buffer), signer.sign(data.buffer), signer.sign(data.buffer)];
    await signer.close();
    for (const signature of await Promise.all(underWay)) expect(await verifies(signer, data, signature)).toBe(true);
    await expect(signer.sign(data.buffer)).rejects.toThrow(/the signer is closed/);
  });

  it('names the PIN variable, never the PIN, when the token refuses the PIN', async () => {
    const wrongPin = 'not-the-pin-5550';
    const error = await rejectionOf(openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env: { [pinVariable]: wrongPin } }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`PKCS#11 token "${tokenLabels.keys}" refused the PIN in ${pinVariable}`);
    expect(everythingSaid(error)).not.toContain(wrongPin);
    expect(everythingSaid(error)).not.toContain(pin);
  });

  it('refuses a wrong PIN while another signer holds the login (C_Login alone would not check it)', async () => {
    const holder = await openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env });
    try {
      const error = await rejectionOf(openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env: { [pinVariable]: 'guess-0000' } }));
      expect((error as Error).message).toBe(`PKCS#11 token "${tokenLabels.keys}" refused the PIN in ${pinVariable}`);
      expect(everythingSaid(error)).not.toContain('guess-0000');
      // The refusal did not end the holder's login.
      const data = new Uint8Array([1]);
      expect(await verifies(holder, data, await holder.sign(data.buffer))).toBe(true);
    } finally {
      await holder.close();
    }
  });

  it('names the PIN variable when it is not set', async () => {
    await expect(openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'p256 key' }, { env: {} })).rejects.toThrow(
      `${pinVariable} is not set: it holds the PIN of PKCS#11 token "${tokenLabels.keys}"`,
    );
  });

  it('says which key and token it looked in when the key is not there, and which tokens there are when the token is not', async () => {
    await expect(openPkcs11Signer({ ...tokenOf(tokenLabels.keys), keyLabel: 'no such key' }, { env })).rejects.toThrow(
      `no private key labelled "no such key" on PKCS#11 token "${tokenLabels.keys}"`,
    );
    await expect(openPkcs11Signer({ ...tokenOf('no such token'), keyLabel: 'p256 key' }, { env })).rejects.toThrow(
      /^no PKCS#11 tokens labelled "no such token" in \/usr\/lib\/softhsm\/libsofthsm2\.so \(tokens: .*"certdesk keys"/,
    );
  });
});

/** A subscriber certificate from `ca`, checked by openssl against the chain in `dir`. */
async function issueAndVerifyWithOpenssl(ca: CaMaterial, dir: string, name: string): Promise<void> {
  const now = realClock.now();
  const keys = await generateTestKeys('P-256');
  const der = await issueTestCertificate(ca, keys.publicKey, now);
  const files = {
    dir,
    cert: join(dir, `${name}.crt.pem`),
    key: join(dir, `${name}.key.pem`),
    root: join(dir, caFileNames.rootCertificate),
    issuing: join(dir, caFileNames.issuingCertificate),
  };
  await writeFile(files.cert, toPem(der, 'CERTIFICATE'));
  for (const purpose of ['smimesign', 'sslclient']) expect(succeed('openssl', verifyArgs(files, purpose))).toMatch(/: OK\n/);
}

describe('a CA whose keys are in the token', () => {
  it('issues under an issuing key made in the token, which openssl verifies; ca.json names the PIN variable, not the PIN', async () => {
    const dir = join(temp.dir, 'ca-issuing-in-token');
    const created = await createCa({ dir, passphrase, clock: realClock, token: { ...tokenOf(tokenLabels.ca), isRootInToken: false }, env });
    try {
      await issueAndVerifyWithOpenssl(created, dir, 'subscriber');
      expect(created.keyPlaces.root).toEqual({ kind: 'file', path: join(dir, caFileNames.rootKey) });
      expect(created.keyPlaces.issuing).toMatchObject({ kind: 'pkcs11', key: { tokenLabel: tokenLabels.ca, pinVariable } });
    } finally {
      await created.close();
    }
    expect((await readdir(dir)).sort()).toEqual([caFileNames.about, caFileNames.issuingCertificate, caFileNames.rootCertificate, caFileNames.rootKey, 'subscriber.crt.pem'].sort());
    const aboutText = await readFile(join(dir, caFileNames.about), 'utf8');
    expect(aboutText).not.toContain(pin);
    expect(JSON.parse(aboutText)).toEqual({
      purpose: 'deployment',
      createdAt: expect.any(String),
      tokenKeys: {
        issuing: {
          modulePath: softhsmModule,
          tokenLabel: tokenLabels.ca,
          tokenSerial: expect.stringMatching(/^[0-9a-f]{16}$/),
          keyLabel: expect.stringMatching(/^certdesk issuing CA \d{4}-\d\d-\d\dT/),
          keyId: expect.stringMatching(/^[0-9a-f]{32}$/),
          pinVariable,
        },
      },
    });
  });

  it('keeps both keys in the token with the root there too: no key file, no passphrase, and openCa signs again', async () => {
    const dir = join(temp.dir, 'ca-all-in-token');
    const created = await createCa({ dir, passphrase: undefined, clock: realClock, token: { ...tokenOf(tokenLabels.ca), isRootInToken: true }, env });
    await created.close();
    expect((await readdir(dir)).sort()).toEqual([caFileNames.about, caFileNames.issuingCertificate, caFileNames.rootCertificate].sort());
    expect(created.root.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-384' });

    const opened = await openCa({ dir, passphrase: undefined, clock: realClock, env });
    try {
      expect(opened.keyPlaces.root.kind).toBe('pkcs11');
      await issueAndVerifyWithOpenssl(opened, dir, 'again');
    } finally {
      await opened.close();
    }
    await expect(openCa({ dir, passphrase: undefined, clock: realClock })).rejects.toThrow(`needs the environment that holds ${pinVariable}, and none was passed`);
  });
});

/**
 * The CRL and OCSP signatures of crl.test.ts and ocsp.test.ts, made here by the issuing key
 * in the token (the issue: "the same issuance, CRL and OCSP signing with the file key and
 * with SoftHSM2"), each read by openssl. One CA and one subscriber certificate, revoked in both.
 */
describe('CRLs and OCSP responses signed with the issuing key in the token', () => {
  let ca: CaMaterial;
  let dir: string;
  let files: { root: string; issuing: string; subscriber: string };
  let subscriberSerial: string;
  const revokedAt = floorToSecond(new Date(realClock.now().getTime() - 60_000));

  beforeAll(async () => {
    dir = join(temp.dir, 'ca-revocation');
    ca = await createCa({ dir, passphrase, clock: realClock, token: { ...tokenOf(tokenLabels.revocation), isRootInToken: false }, env });
    expect(ca.keyPlaces.issuing).toMatchObject({ kind: 'pkcs11', key: { tokenLabel: tokenLabels.revocation } });
    const now = realClock.now();
    const keys = await generateTestKeys('P-256');
    const issued = await issueCertificate(bookkeepingFreeDeps(ca, now), {
      publicKey: keys.publicKey,
      subject: subscriberSubject,
      email: 'taro.takasaki@example.jp',
      notBefore: now,
      notAfter: validityEnd(now, subscriberProfile.defaultValidityDays),
      urls: subscriberUrls,
    });
    if (!issued.ok) throw new Error(`refused: ${JSON.stringify(issued.problems)}`);
    subscriberSerial = issued.serialNumber;
    files = { root: join(dir, caFileNames.rootCertificate), issuing: join(dir, caFileNames.issuingCertificate), subscriber: join(dir, 'revoked.crt.pem') };
    await writeFile(files.subscriber, toPem(issued.der, 'CERTIFICATE'));
  });

  afterAll(async () => {
    await ca?.close();
  });

  it('signs a CRL that openssl verifies under the issuing CA, listing the revoked serial and its reason', async () => {
    const thisUpdate = floorToSecond(realClock.now());
    const nextUpdate = new Date(thisUpdate.getTime() + 7 * dayMs);
    const der = await signCrl(
      {
        issuer: ca.issuingIdentity,
        crlNumber: 7,
        thisUpdate,
        nextUpdate,
        entries: [{ serialNumberHex: subscriberSerial, revokedAt, reasonCode: crlReasonCodes.keyCompromise }],
      },
      ca.issuingSigner,
    );
    expect(await new X509Crl(der.slice().buffer).verify({ publicKey: ca.issuing }, webCrypto)).toBe(true);
    expect(describeCrl(der)).toEqual({ crlNumber: 7, thisUpdate, nextUpdate, entryCount: 1 });
    const crlFile = join(dir, 'issuing.crl');
    await writeFile(crlFile, der);

    const args = ['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', files.issuing, '-noout', '-text'];
    const read = run('openssl', args);
    expect(read.status, describeRun('openssl', args, read)).toBe(0);
    // `openssl crl -CAfile` reports "verify OK" on stderr.
    expect(read.stderr).toMatch(/verify OK/);
    expect(read.stdout).toMatch(/X509v3 CRL Number: \n\s+7\n/);
    expect(read.stdout).toContain(`Issuer: ${opensslName(ca.issuing.subject)}`);
    expect(read.stdout).toMatch(new RegExp(`Serial Number: ${subscriberSerial.toUpperCase()}\\n[\\s\\S]*?X509v3 CRL Reason Code: \\n\\s+Key Compromise`));

    // And openssl's own revocation check finds the subscriber certificate on it.
    const checkArgs = ['verify', '-crl_check', '-CRLfile', crlFile, '-CAfile', files.root, '-untrusted', files.issuing, '-purpose', 'smimesign', files.subscriber];
    const checked = run('openssl', checkArgs);
    expect(checked.status, describeRun('openssl', checkArgs, checked)).not.toBe(0);
    expect(`${checked.stdout}${checked.stderr}`).toMatch(/certificate revoked/);
  });

  it('certifies a delegated OCSP responder whose revoked answer, nonce echoed, openssl verifies up to the root', async () => {
    const now = realClock.now();
    const responderKeys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', responderKeys.publicKey));
    const responderDer = await issueOcspResponderCertificate(
      ca,
      { publicKey: spki, serialNumberHex: randomSerialNumber(), notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 30 * dayMs) },
      now,
    );
    const responder: OcspSigningIdentity = { certificateDer: responderDer, keyHash: keyIdentifierOf(spki), signer: cryptoKeySigner(responderKeys) };
    const responderFile = join(dir, 'ocsp-responder.crt.pem');
    await writeFile(responderFile, toPem(responderDer, 'CERTIFICATE'));
    expect(succeed('openssl', ['verify', '-CAfile', files.root, '-untrusted', files.issuing, '-purpose', 'ocsphelper', responderFile])).toMatch(/: OK\n/);

    // openssl asks (with a nonce, its default) about the subscriber certificate…
    const reqFile = join(dir, 'ocsp-req.der');
    succeed('openssl', ['ocsp', '-issuer', files.issuing, '-cert', files.subscriber, '-reqout', reqFile]);
    const request = parseOcspRequest(new Uint8Array(readFileSync(reqFile)));
    if (!request.ok) throw new Error(`openssl's request refused: ${request.code}`);
    expect(request.value.nonce).toBeDefined();
    const [asked] = request.value.requests;
    if (asked === undefined) throw new Error('openssl asked about no certificate');

    // …and the responder answers: revoked, for key compromise.
    const respFile = join(dir, 'ocsp-resp.der');
    await writeFile(
      respFile,
      await signOcspResponse({
        responder,
        producedAt: now,
        answers: [{ certIdDer: asked.certIdDer, status: { kind: 'revoked', revokedAt, reasonCode: crlReasonCodes.keyCompromise }, thisUpdate: now, nextUpdate: new Date(now.getTime() + 4 * dayMs) }],
        nonce: request.value.nonce,
      }),
    );

    // With openssl's request read back, it checks the signature, the responder's chain to the root and the nonce…
    const verifyArgsOcsp = ['ocsp', '-reqin', reqFile, '-respin', respFile, '-verify_other', files.issuing, '-CAfile', files.root, '-resp_text'];
    const verified = run('openssl', verifyArgsOcsp);
    expect(verified.status, describeRun('openssl', verifyArgsOcsp, verified)).toBe(0);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/Response verify OK/);
    // (a missing or different nonce is a "Nonce Verify error" or a WARNING on stderr)
    expect(verified.stderr).not.toMatch(/nonce/i);
    expect(verified.stdout).toMatch(/OCSP Nonce:/);
    expect(verified.stdout).toContain(`Responder Id: ${Buffer.from(keyIdentifierOf(spki)).toString('hex').toUpperCase()}`);
    expect(verified.stdout).toContain(`Serial Number: ${subscriberSerial.toUpperCase()}`);
    expect(verified.stdout).toMatch(/Cert Status: revoked\n\s+Revocation Time: .*\n\s+Revocation Reason: keyCompromise \(0x1\)/);
    // …and given the certificate (a request of its own, without a nonce), it prints the status.
    const statusArgs = ['ocsp', '-respin', respFile, '-issuer', files.issuing, '-cert', files.subscriber, '-no_nonce', '-CAfile', files.root];
    const status = run('openssl', statusArgs);
    expect(status.status, describeRun('openssl', statusArgs, status)).toBe(0);
    expect(`${status.stdout}${status.stderr}`).toMatch(/Response verify OK/);
    expect(status.stdout).toContain(`${files.subscriber}: revoked\n`);
    expect(status.stdout).toMatch(/^\s+Reason: keyCompromise$/m);
  });
});

/** @peculiar/x509's "C=JP, O=…, CN=…" as openssl -text prints a name: "C = JP, O = …, CN = …". */
function opensslName(subject: string): string {
  return subject.replace(/(^|, )([A-Za-z.0-9]+)=/g, '$1$2 = ');
}

describe(registerCaCommands.name, () => {
  async function certdesk(args: readonly string[], caDir: string, processEnv: Record<string, string>): Promise<string> {
    const loaded = loadConfig({ CA_DIR: caDir, LOG_LEVEL: 'silent', ...processEnv });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const program = new Command().exitOverride();
    registerCaCommands(program, () => ({ config: loaded.value, clock: realClock, log: pino({ level: 'silent' }), env: processEnv }));
    let stdout = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
    }
    return stdout;
  }

  it('makes the issuing key in the token with `ca init --pkcs11-module`; opening the CA again signs with it', async () => {
    const caDir = join(temp.dir, 'ca-cli');
    const processEnv = { CA_KEY_PASSPHRASE: passphrase, [pinVariable]: pin };
    const stdout = await certdesk(
      ['ca', 'init', '--pkcs11-module', softhsmModule, '--slot', tokenLabels.cli, '--pin-env', pinVariable, '--issuing-name', 'CN=Token S/MIME CA G1, O=certdesk Test, C=JP'],
      caDir,
      processEnv,
    );
    expect(stdout).toMatch(/^created CA in .* \(deployment\)\nroot: /);
    expect(stdout).toContain(`issuing key: PKCS#11 token "${tokenLabels.cli}"`);
    expect(stdout).toContain(`PIN from ${pinVariable}`);
    expect(stdout).not.toContain(pin);
    expect(await readdir(caDir)).not.toContain(caFileNames.issuingKey);

    const opened = await openCa({ dir: caDir, passphrase, clock: realClock, env: processEnv });
    try {
      expect(opened.issuing.subject).toBe('C=JP, O=certdesk Test, CN=Token S/MIME CA G1');
      expect(opened.keyPlaces.issuing).toMatchObject({ kind: 'pkcs11', key: { tokenLabel: tokenLabels.cli, pinVariable } });
      await issueAndVerifyWithOpenssl(opened, caDir, 'from-cli');
    } finally {
      await opened.close();
    }
    expect(await certdesk(['ca', 'show'], caDir, processEnv)).toContain(`issuing key: PKCS#11 token "${tokenLabels.cli}"`);
  });

  it('refuses --pkcs11-module without --pin-env, and a PIN instead of a variable name', async () => {
    const caDir = join(temp.dir, 'ca-cli-refused');
    const processEnv = { CA_KEY_PASSPHRASE: passphrase };
    await expect(certdesk(['ca', 'init', '--pkcs11-module', softhsmModule, '--slot', '0'], caDir, processEnv)).rejects.toThrow(
      '--pkcs11-module needs --slot <index|token label> and --pin-env <VARIABLE>',
    );
    await expect(certdesk(['ca', 'init', '--pkcs11-module', softhsmModule, '--slot', '0', '--pin-env', '1234'], caDir, processEnv)).rejects.toThrow(
      '--pin-env takes the NAME of the environment variable that holds the PIN, not "1234"',
    );
    expect(existsSync(join(caDir, caFileNames.about))).toBe(false);
  });
});
