import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openssl, opensslOk } from '../../support/interop.js';
import { ensureCa, type CaMaterial } from '../../../src/ca/bootstrap.js';
import { parseCsr } from '../../../src/ca/issuer.js';
import type { Clock } from '../../../src/domain/clock.js';
import { buildClientBundle } from '../../../src/web/client-bundle.js';
import {
  base64ToBytes,
  bytesToBase64,
  certificateHoldsKey,
  checkTypedPassword,
  createCsr,
  downloadNames,
  generatePickupKeys,
  isKeyRefusal,
  messageKeys,
  packagePickup,
  parseMessages,
  prefersCompatibleFormat,
  readIssueAnswer,
  requestCertificate,
  toPem,
  type PickupKeyType,
} from '../../../src/web/client/pickup-logic.js';
import { generateFilePassword } from '../../../src/web/client/pkcs12.js';
import { issueTestCertificate, makeTempDir, passphrase } from '../../ca/ca-test-kit.js';

const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

const hex = (bytes: ArrayBuffer | Uint8Array): string => Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('hex');

const derOfPem = (pem: string): Uint8Array =>
  new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64'));

const pemBlocks = (text: string, label: string): string[] =>
  text.match(new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`, 'g')) ?? [];


describe(prefersCompatibleFormat.name, () => {
  const agents = {
    'Edge on Windows 11': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    'Chrome on Windows 11': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Firefox on Windows': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Chrome on Linux': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Safari on macOS': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    'Chrome on macOS': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Safari on iPhone': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Chrome on Android': 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  } as const;

  it.each([
    ['Edge on Windows 11', 10],
    ['Chrome on Windows 11', 0],
    ['Firefox on Windows', 0],
    ['Chrome on Linux', 0],
  ] as const)('keeps the standard file for %s', (name, touchPoints) => {
    expect(prefersCompatibleFormat(agents[name], touchPoints)).toBe(false);
  });

  it.each([
    ['Safari on macOS', 0],
    ['Chrome on macOS', 0],
    ['Safari on iPhone', 5],
    ['Chrome on Android', 5],
  ] as const)('picks the compatible file for %s', (name, touchPoints) => {
    expect(prefersCompatibleFormat(agents[name], touchPoints)).toBe(true);
  });

  it('picks the compatible file for an iPad, which sends the desktop Macintosh user agent with touch points', () => {
    expect(prefersCompatibleFormat(agents['Safari on macOS'], 5)).toBe(true);
    expect(prefersCompatibleFormat('Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1', 5)).toBe(true);
  });
});

describe(createCsr.name, () => {
  for (const keyType of ['P-256', 'RSA-2048'] as const satisfies readonly PickupKeyType[]) {
    it(`makes a ${keyType} request that the server's parseCsr accepts, for the same public key`, async () => {
      const keys = await generatePickupKeys(keyType);
      const pem = await createCsr(keys);
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n?$/);
      const parsed = await parseCsr(pem);
      if (!parsed.ok) throw new Error(`parseCsr refused: ${parsed.code}`);
      expect(hex(parsed.value.publicKey)).toBe(hex(await crypto.subtle.exportKey('spki', keys.publicKey)));
      expect(parsed.value.key).toEqual(keyType === 'P-256' ? { kind: 'ec', curve: 'P-256' } : { kind: 'rsa', modulusBits: 2048 });
      expect(keys.privateKey.extractable).toBe(true);
    });

    it(`makes a ${keyType} request whose signature the server checks: one flipped byte is refused`, async () => {
      const der = derOfPem(await createCsr(await generatePickupKeys(keyType)));
      // The signature BIT STRING is the request's last element, so its last byte is a signature byte.
      const tampered = new Uint8Array(der);
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
      expect(await parseCsr(tampered)).toEqual({ ok: false, code: 'csr.signatureInvalid' });
      expect(await parseCsr(toPem(tampered, 'CERTIFICATE REQUEST'))).toEqual({ ok: false, code: 'csr.signatureInvalid' });
      expect((await parseCsr(der)).ok).toBe(true);
    });
  }

  it.skipIf(!hasOpenssl)('makes a request that openssl verifies as well', async () => {
    const temp = await makeTempDir();
    try {
      const path = join(temp.dir, 'request.pem');
      await writeFile(path, await createCsr(await generatePickupKeys('P-256')));
      const output = await opensslOk(['req', '-in', path, '-noout', '-verify', '-subject']);
      expect(output).toMatch(/verify OK/i);
      expect(output).toContain('CN = certdesk pickup');
    } finally {
      await temp.remove();
    }
  });
});

describe('issued pickup files', () => {
  const realClock: Clock = { now: () => new Date() };
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let ca: CaMaterial;

  beforeAll(async () => {
    temp = await makeTempDir();
    ca = await ensureCa({ dir: temp.dir, passphrase, clock: realClock });
  });
  afterAll(async () => {
    await temp.remove();
  });

  /** The server's side, as a test: the CSR's key gets a certificate from the throwaway CA. */
  async function issueForCsr(csrPem: string): Promise<Uint8Array> {
    const parsed = await parseCsr(csrPem);
    if (!parsed.ok) throw new Error(`parseCsr refused: ${parsed.code}`);
    return new Uint8Array(await issueTestCertificate(ca, parsed.value.publicKey, realClock.now()));
  }

  for (const keyType of ['P-256', 'RSA-2048'] as const satisfies readonly PickupKeyType[]) {
    it(`packages a ${keyType} key with its certificate and chain: two PKCS#12 files and the PEM`, async () => {
      const keys = await generatePickupKeys(keyType);
      const certificateDer = await issueForCsr(await createCsr(keys));
      const chainDer = [new Uint8Array(ca.issuing.rawData), new Uint8Array(ca.root.rawData)];
      const password = generateFilePassword();
      const files = await packagePickup({
        privateKeyPkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey),
        certificateDer,
        chainDer,
        password,
        friendlyName: '髙﨑 太郎 (certdesk)',
      });

      // The PEM: the certificate, then the issuing CA, then the root, byte for byte; no key.
      const blocks = pemBlocks(files.pem, 'CERTIFICATE');
      expect(blocks.map((block) => hex(derOfPem(block)))).toEqual([certificateDer, ...chainDer].map(hex));
      expect(files.pem).not.toContain('PRIVATE KEY');

      if (!hasOpenssl) return;
      const dir = join(temp.dir, keyType);
      const leafPath = `${dir}-leaf.pem`;
      await writeFile(leafPath, toPem(certificateDer, 'CERTIFICATE'));
      const publicOfCert = await opensslOk(['x509', '-in', leafPath, '-noout', '-pubkey']);
      for (const [format, der] of [
        ['standard', files.standard],
        ['compatible', files.compatible],
      ] as const) {
        const path = `${dir}-${format}.p12`;
        await writeFile(path, der);
        // No -legacy: OpenSSL 3's default provider opens both formats (SPEC 1.4).
        const info = await opensslOk(['pkcs12', '-info', '-nokeys', '-in', path, '-passin', `pass:${password}`]);
        expect(info).toContain(format === 'standard' ? 'MAC: sha256, Iteration 100000' : 'MAC: sha1, Iteration 2048');
        expect(pemBlocks(info, 'CERTIFICATE').map((block) => hex(derOfPem(block)))).toEqual([certificateDer, ...chainDer].map(hex));
        // The key inside belongs to the certificate.
        const keyOut = await opensslOk(['pkcs12', '-nocerts', '-nodes', '-in', path, '-passin', `pass:${password}`]);
        const [keyPem] = pemBlocks(keyOut, 'PRIVATE KEY');
        expect(keyPem).toBeDefined();
        const keyPath = `${dir}-${format}.key.pem`;
        await writeFile(keyPath, `${keyPem}\n`, { mode: 0o600 });
        expect(await opensslOk(['pkey', '-in', keyPath, '-pubout'])).toBe(publicOfCert);
        // And the wrong password does not open it.
        expect((await openssl(['pkcs12', '-info', '-nokeys', '-in', path, '-passin', 'pass:not-the-password'])).ok).toBe(false);
      }
    });
  }

  it('packages only a certificate for its own key', async () => {
    const keys = await generatePickupKeys('P-256');
    const certificateDer = await issueForCsr(await createCsr(keys));
    expect(await certificateHoldsKey(certificateDer, keys.publicKey)).toBe(true);
    expect(await certificateHoldsKey(certificateDer, (await generatePickupKeys('P-256')).publicKey)).toBe(false);
    expect(await certificateHoldsKey(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), keys.publicKey)).toBe(false);
  });
});

describe(isKeyRefusal.name, () => {
  it('drops the key only when the server refused the key itself', () => {
    expect(isKeyRefusal({ ok: false, kind: 'refused', message: 'x', code: 'keyRefused' })).toBe(true);
    expect(isKeyRefusal({ ok: false, kind: 'refused', message: 'x', code: 'csrSignatureInvalid' })).toBe(true);
    expect(isKeyRefusal({ ok: false, kind: 'refused', message: 'x', code: 'busy' })).toBe(false);
    expect(isKeyRefusal({ ok: false, kind: 'network' })).toBe(false);
    expect(isKeyRefusal({ ok: false, kind: 'server' })).toBe(false);
  });
});

describe(requestCertificate.name, () => {
  const request = { endpoint: '/pickup/issue', csrf: 'TOKEN-1', csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n' };
  const certificate = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
  const issuing = Uint8Array.of(0x30, 0x01, 0x02);
  const root = Uint8Array.of(0x30, 0x01, 0x03);
  const okBody = { certificate: bytesToBase64(certificate), chain: [bytesToBase64(issuing), bytesToBase64(root)], serialNumber: '7a01', fileName: 'certdesk-7a01' };

  const answering =
    (response: () => Response, seen: { url?: string; init?: RequestInit }[] = []): typeof fetch =>
    (url, init) => {
      seen.push({ url: String(url), ...(init === undefined ? {} : { init }) });
      return Promise.resolve(response());
    };

  it('posts the form token and the CSR as form data, same-origin, asking for JSON', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const outcome = await requestCertificate(request, answering(() => Response.json(okBody), seen));
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call?.url).toBe('/pickup/issue');
    expect(call?.init?.method).toBe('POST');
    expect(call?.init?.credentials).toBe('same-origin');
    expect(call?.init?.headers).toEqual({ Accept: 'application/json' });
    const body = call?.init?.body;
    expect(body).toBeInstanceOf(FormData);
    const fields: [string, FormDataEntryValue][] = [];
    (body as FormData).forEach((value, name) => fields.push([name, value]));
    expect(fields).toEqual([
      ['_csrf', 'TOKEN-1'],
      ['csr', request.csrPem],
    ]);
    expect(outcome).toEqual({ ok: true, issued: { certificateDer: certificate, chainDer: [issuing, root], serialNumber: '7a01', fileName: 'certdesk-7a01' } });
  });

  it("shows the server's refusal as is, with its code", async () => {
    const outcome = await requestCertificate(request, answering(() => Response.json({ error: 'この証明書はすでに発行されています。', code: 'pickup.alreadyIssued' }, { status: 409 })));
    expect(outcome).toEqual({ ok: false, kind: 'refused', message: 'この証明書はすでに発行されています。', code: 'pickup.alreadyIssued' });
  });

  it('tells a network failure from a broken answer', async () => {
    expect(await requestCertificate(request, () => Promise.reject(new TypeError('Failed to fetch')))).toEqual({ ok: false, kind: 'network' });
    const html = (): Response => new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } });
    expect(await requestCertificate(request, answering(html))).toEqual({ ok: false, kind: 'server' });
    expect(await requestCertificate(request, answering(() => Response.json({ code: 'x' }, { status: 500 })))).toEqual({ ok: false, kind: 'server' });
    expect(await requestCertificate(request, answering(() => new Response('{"certificate":', { status: 200 })))).toEqual({ ok: false, kind: 'server' });
  });

  it('refuses a 200 answer that is not the agreed JSON', () => {
    for (const body of [null, [], 'text', { ...okBody, certificate: 'not base64!' }, { ...okBody, chain: 'x' }, { ...okBody, chain: [1] }, { ...okBody, fileName: '' }, { ...okBody, serialNumber: 7 }]) {
      expect(readIssueAnswer(true, body), JSON.stringify(body)).toEqual({ ok: false, kind: 'server' });
    }
  });
});

describe('page helpers', () => {
  const messages = Object.fromEntries(messageKeys.map((key) => [key, `text of ${key}`]));

  it('reads data-messages only when every key is a string', () => {
    expect(parseMessages(JSON.stringify(messages))).toEqual(messages);
    expect(parseMessages(undefined)).toBeUndefined();
    expect(parseMessages('{')).toBeUndefined();
    expect(parseMessages('null')).toBeUndefined();
    const { leaveWarning: _missing, ...incomplete } = messages;
    expect(parseMessages(JSON.stringify(incomplete))).toBeUndefined();
    expect(parseMessages(JSON.stringify({ ...messages, done: 1 }))).toBeUndefined();
  });

  it('checks a typed password: printable ASCII 8–128 first, then the confirmation', () => {
    expect(checkTypedPassword('pickup-Pass 2026~', 'pickup-Pass 2026~')).toEqual({ ok: true });
    expect(checkTypedPassword('short', 'short')).toEqual({ ok: false, problem: 'passwordInvalid', field: 'password' });
    expect(checkTypedPassword('パスワード12345678', 'パスワード12345678')).toEqual({ ok: false, problem: 'passwordInvalid', field: 'password' });
    expect(checkTypedPassword('pickup-Pass 2026~', 'pickup-Pass 2026')).toEqual({ ok: false, problem: 'passwordMismatch', field: 'confirmation' });
  });

  it('names the downloads after the server-given file name', () => {
    expect(downloadNames('certdesk-7a01')).toEqual({ standard: 'certdesk-7a01-standard.p12', compatible: 'certdesk-7a01-compatible.p12', pem: 'certdesk-7a01.pem' });
  });

  it('round-trips base64 and writes PEM in 64-character lines', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff);
    expect(hex(base64ToBytes(bytesToBase64(bytes)))).toBe(hex(bytes));
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(() => base64ToBytes('abc')).toThrow(TypeError);
    expect(() => base64ToBytes('ab-_')).toThrow(TypeError);
    const pem = toPem(bytes.subarray(0, 100), 'CERTIFICATE');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -1).map((line) => line.length)).toEqual([64, 64, 8]);
  });
});

describe(buildClientBundle.name, () => {
  it('bundles the pickup script for the browser, with no Node built-in left, once per process', async () => {
    const bundle = await buildClientBundle();
    expect(bundle.code.length).toBeGreaterThan(1_000);
    expect(bundle.code).not.toContain('node:');
    const builtins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/[/]/g, '\\/'));
    expect(bundle.code).not.toMatch(new RegExp(`\\brequire\\s*\\(\\s*["'\`](?:${builtins.join('|')})["'\`]`));
    expect(bundle.code).not.toMatch(/\bimport\s*\(?\s*["'`]node:/);
    // A strong ETag: the quoted base64url SHA-256 of the code.
    expect(bundle.etag).toBe(`"${createHash('sha256').update(bundle.code).digest('base64url')}"`);
    expect(await buildClientBundle()).toBe(bundle);
    console.info(`pickup bundle: ${bundle.code.length} bytes minified, ${gzipSync(bundle.code).length} bytes gzipped`);
  });
});
