import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityInfoAccessExtension, CRLDistributionPointsExtension, X509Crl } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCrl } from '../../src/ca/crl.js';
import { subscriberUrlsOf } from '../../src/ca/issuing-ca.js';
import { toPem } from '../../src/ca/pem.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import type { CaDeps } from '../../src/ra/ca-signing.js';
import { revokeCertificate } from '../../src/ra/revoke-certificate.js';
import { maintenanceWindows } from '../../src/store/schema/tables.js';
import { freePort } from '../support/server.js';
import { hasCertutil, nssDatabaseTrusting, run, succeed } from '../support/interop.js';
import { issueStoredCertificate, type StoredCertificate } from '../support/stored-certificate.js';
import { createWorld, type World } from '../support/world.js';

/**
 * The five URLs every certificate names, served over HTTP to the real clients: openssl
 * (ocsp against the responder, crl -CAfile, verify -crl_check with the fetched CRLs) and
 * NSS (vfychain with OCSP from the certificate's AIA, certutil). Those check dates against
 * the machine's clock, so this world's FakeClock starts at the machine's time, and the
 * CA is made with PKI_BASE_URL naming this test's port, so the URLs in the certificates
 * lead here.
 */

let world: World;
let server: ServerType;
let base: string;
let dir: string;
let caDeps: CaDeps;
const files = { root: '', issuing: '', chain: '', leaf: '', other: '' };
let leaf: StoredCertificate;
let other: StoredCertificate;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  world = await createWorld({ now: new Date().toISOString(), env: { PKI_BASE_URL: base } });
  caDeps = { db: world.database.db, clock: world.clock, log: world.log, ca: world.ca };
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: world.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
  });
  dir = join(world.config.dataDir, 'pki-test');
  mkdirSync(dir, { recursive: true });
  const pem = (name: string, der: ArrayBuffer | Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, toPem(new Uint8Array(der), 'CERTIFICATE'));
    return file;
  };
  files.root = pem('root.pem', world.ca.material.root.rawData);
  files.issuing = pem('issuing.pem', world.ca.material.issuing.rawData);
  files.chain = join(dir, 'chain.pem');
  writeFileSync(files.chain, `${readFileSync(files.root, 'utf8')}${readFileSync(files.issuing, 'utf8')}`);
  leaf = await issueStoredCertificate(caDeps, 'pki-leaf@example.jp');
  other = await issueStoredCertificate(caDeps, 'pki-other@example.jp');
  files.leaf = pem('leaf.pem', leaf.certificate.rawData);
  files.other = pem('other.pem', other.certificate.rawData);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await world?.close();
});

const fetchPki = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

async function fetchCrlFile(name: 'issuing-ca.crl' | 'root-ca.crl'): Promise<{ file: string; der: Uint8Array }> {
  const response = await fetchPki(`/pki/${name}`);
  expect(response.status).toBe(200);
  const der = new Uint8Array(await response.arrayBuffer());
  const file = join(dir, `${name}.${describeCrl(der).crlNumber}.der`);
  writeFileSync(file, der);
  return { file, der };
}

/** A client that talks to this process's server: never spawnSync, which would stop the server answering it. */
function runAsync(command: string, args: readonly string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

/** `openssl ocsp` against the responder: stdout and stderr together (it reports on both). */
async function opensslOcsp(args: readonly string[]): Promise<string> {
  return (await runAsync('openssl', ['ocsp', '-url', `${base}/pki/ocsp`, '-CAfile', files.root, ...args])).output;
}

describe('the /pki URLs', () => {
  it('are the ones the certificates name, all plain http', () => {
    const urls = subscriberUrlsOf(base);
    expect(leaf.certificate.getExtension(CRLDistributionPointsExtension)?.distributionPoints.flatMap((p) => p.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier) ?? [])).toEqual([urls.crl]);
    const aia = leaf.certificate.getExtension(AuthorityInfoAccessExtension);
    expect(aia?.ocsp.map((n) => n.value)).toEqual([urls.ocsp]);
    expect(aia?.caIssuers.map((n) => n.value)).toEqual([urls.caIssuers]);
    const issuing = world.ca.material.issuing;
    expect(issuing.getExtension(CRLDistributionPointsExtension)?.distributionPoints[0]?.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier).toBe(`${base}/pki/root-ca.crl`);
    expect(issuing.getExtension(AuthorityInfoAccessExtension)?.caIssuers.map((n) => n.value)).toEqual([`${base}/pki/root-ca.crt`]);
  });

  it('serve the CA certificates as DER application/pkix-cert, GET and HEAD, without cookies', async () => {
    for (const [path, certificate] of [
      ['/pki/issuing-ca.crt', world.ca.material.issuing],
      ['/pki/root-ca.crt', world.ca.material.root],
    ] as const) {
      const response = await fetchPki(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pkix-cert');
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(certificate.rawData));
      const head = await fetchPki(path, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-type'), (await head.arrayBuffer()).byteLength]).toEqual([200, 'application/pkix-cert', 0]);
      const again = await fetchPki(path, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
  });

  it('serve both CRLs as DER application/pkix-crl, signed by their CA, with ETag and Last-Modified', async () => {
    for (const [name, issuer] of [
      ['issuing-ca.crl', world.ca.material.issuing],
      ['root-ca.crl', world.ca.material.root],
    ] as const) {
      const response = await fetchPki(`/pki/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pkix-crl');
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('cache-control')).toMatch(/^public, no-transform, max-age=\d+$/);
      const der = new Uint8Array(await response.arrayBuffer());
      const crl = new X509Crl(der.slice().buffer);
      expect(crl.issuer).toBe(issuer.subject);
      expect(await crl.verify({ publicKey: issuer }, webCrypto)).toBe(true);
      expect(response.headers.get('etag')).toBe(`"${name.startsWith('root') ? 'root' : 'issuing'}-${describeCrl(der).crlNumber}"`);
      expect(response.headers.get('last-modified')).toBe(crl.thisUpdate.toUTCString());
      // S/MIME BR 4.9.7: seven days for the issuing CA (at most ten), a year for the root (at most twelve months).
      const days = (crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()) / 86_400_000;
      expect(days).toBe(name.startsWith('root') ? 365 : 7);
      expect((await fetchPki(`/pki/${name}`, { headers: { 'if-none-match': response.headers.get('etag')! } })).status).toBe(304);
      expect((await fetchPki(`/pki/${name}`, { headers: { 'if-modified-since': response.headers.get('last-modified')! } })).status).toBe(304);
      const head = await fetchPki(`/pki/${name}`, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-type'), (await head.arrayBuffer()).byteLength]).toEqual([200, 'application/pkix-crl', 0]);
    }
  });

  it('refuse other methods with 405 and Allow, and answer unknown paths 404 as plain text', async () => {
    const put = await fetchPki('/pki/ocsp', { method: 'PUT', body: 'x' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    const post = await fetchPki('/pki/issuing-ca.crl', { method: 'POST', body: 'x', headers: { 'content-type': 'application/ocsp-request' } });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const missing = await fetchPki('/pki/nothing.crl');
    expect([missing.status, missing.headers.get('content-type'), missing.headers.get('set-cookie')]).toEqual([404, 'text/plain; charset=utf-8', null]);
  });

  it('answer during a maintenance window, while the subscriber flows answer 503', async () => {
    const now = world.clock.now();
    await world.database.db.insert(maintenanceWindows).values({ startsAt: new Date(now.getTime() - 60_000), endsAt: new Date(now.getTime() + 3_600_000), messageJa: '保守中', messageEn: 'maintenance', createdAt: now, createdBy: 'test' });
    try {
      expect((await fetchPki('/renew')).status).toBe(503);
      for (const path of ['/pki/issuing-ca.crt', '/pki/root-ca.crt', '/pki/issuing-ca.crl', '/pki/root-ca.crl']) {
        expect((await fetchPki(path)).status, path).toBe(200);
      }
      expect(await opensslOcsp(['-issuer', files.issuing, '-cert', files.other])).toMatch(/other\.pem: good/);
    } finally {
      await world.database.db.delete(maintenanceWindows);
    }
  });
});

describe('the OCSP responder with openssl', () => {
  it('says good, with the nonce echoed and the delegated responder verified up to the root', async () => {
    const output = await opensslOcsp(['-issuer', files.issuing, '-cert', files.leaf, '-resp_text']);
    expect(output).toMatch(/Response verify OK/);
    expect(output).toMatch(/leaf\.pem: good/);
    expect(output).toMatch(/OCSP Nonce/);
    expect(output).not.toMatch(/WARNING: no nonce|Nonce Verify error/);
    expect(output).toMatch(/Responder Id: [0-9A-F]{40}/);
    // The responder certificate: OCSP signing, no check, issued by the issuing CA.
    expect(output).toMatch(/OCSP Signing/);
    expect(output).toMatch(/OCSP No Check/);
    // S/MIME BR 4.9.10: a validity interval of 8 hours to 10 days.
    const thisUpdate = Date.parse(/This Update: (.+)\n/.exec(output)![1]!);
    const nextUpdate = Date.parse(/Next Update: (.+)\n/.exec(output)![1]!);
    expect(nextUpdate - thisUpdate).toBeGreaterThanOrEqual(8 * 3_600_000);
    expect(nextUpdate - thisUpdate).toBeLessThanOrEqual(10 * 86_400_000);
  });

  it('says unknown for a serial the CA never used, and unauthorized for another CA', async () => {
    expect(await opensslOcsp(['-issuer', files.issuing, '-serial', '0x4123456789abcdef0123456789abcdef01234567'])).toMatch(/0x4123456789ABCDEF0123456789ABCDEF01234567: unknown/i);
    expect(await opensslOcsp(['-issuer', files.root, '-serial', '0x4123'])).toMatch(/Responder Error: unauthorized \(6\)/);
  });

  it('answers the GET form (RFC 6960 A.1), cacheable without a nonce, the same bytes again', async () => {
    const requestFile = join(dir, 'get-req.der');
    run('openssl', ['ocsp', '-issuer', files.issuing, '-cert', files.leaf, '-no_nonce', '-reqout', requestFile]);
    const base64 = readFileSync(requestFile).toString('base64');
    const response = await fetchPki(`/pki/ocsp/${encodeURIComponent(base64)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/ocsp-response');
    expect(response.headers.get('cache-control')).toMatch(/^public, no-transform, max-age=([1-9]\d*)$/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const der = new Uint8Array(await response.arrayBuffer());
    const parsed = AsnConvert.parse(der, OCSPResponse);
    expect(parsed.responseStatus).toBe(OCSPResponseStatus.successful);
    const basic = AsnConvert.parse(parsed.responseBytes!.response, BasicOCSPResponse);
    expect(basic.tbsResponseData.responses[0]!.certStatus.good).toBeNull();
    // Unencoded base64 (with its "/" and "+") reads the same; the signature is reused.
    const raw = await fetchPki(`/pki/ocsp/${base64}`);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(der);
    const responseFile = join(dir, 'get-resp.der');
    writeFileSync(responseFile, der);
    const checked = run('openssl', ['ocsp', '-respin', responseFile, '-issuer', files.issuing, '-cert', files.leaf, '-no_nonce', '-CAfile', files.root]);
    expect(`${checked.stdout}${checked.stderr}`).toMatch(/Response verify OK/);
    expect(checked.stdout).toMatch(/leaf\.pem: good/);
  });

  it('answers hostile requests with malformedRequest, 413 or 415, never a 5xx', async () => {
    const malformed = Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x01);
    const post = (body: BodyInit, type = 'application/ocsp-request') => fetchPki('/pki/ocsp', { method: 'POST', body, headers: { 'content-type': type } });
    for (const body of [new Uint8Array(0), Uint8Array.of(0x30, 0x80), new Uint8Array(200).fill(0x41), Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff)]) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(malformed);
    }
    expect((await post(new Uint8Array(5000))).status).toBe(413);
    expect((await post(new Uint8Array(10), 'application/x-www-form-urlencoded')).status).toBe(415);
    // A chunked body states no length: refused once it passes the bound.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new Uint8Array(1000));
        controller.close();
      },
    });
    const streamed = await fetch(`${base}/pki/ocsp`, { method: 'POST', body: chunked, headers: { 'content-type': 'application/ocsp-request' }, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    for (const path of ['/pki/ocsp/!!!!', '/pki/ocsp/%E0%A4%A', '/pki/ocsp', `/pki/ocsp/${'A'.repeat(8000)}`, '/pki/ocsp/MAMCAQA=']) {
      const response = await fetchPki(path);
      expect(response.status, path).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer()), path).toEqual(malformed);
    }
  });
});

describe('revocation as relying parties see it', () => {
  it.skipIf(!hasCertutil)('is checked by NSS over OCSP from the certificate itself: good first', async () => {
    const db = nssDatabaseTrusting(join(dir, 'nss-good'), files.root, files.issuing);
    const result = await runAsync('vfychain', ['-d', db, '-pp', '-g', 'leaf', '-h', 'requireFreshInfo', '-m', 'ocsp', '-s', 'failIfNoInfo', '-u', '4', '-a', files.leaf]);
    expect(result.output).toMatch(/Chain is good!/);
  });

  it('shows within seconds: OCSP says revoked with the reason, the CRL lists it under a higher number, openssl verify refuses it', async () => {
    const before = await fetchCrlFile('issuing-ca.crl');
    const root = await fetchCrlFile('root-ca.crl');
    // Before: the whole chain checks against both CRLs.
    expect(succeed('openssl', ['verify', '-crl_check_all', '-CRLfile', before.file, '-CRLfile', root.file, '-CAfile', files.root, '-untrusted', files.issuing, files.leaf])).toMatch(/leaf\.pem: OK/);

    const revoked = await revokeCertificate(caDeps, { certificateId: leaf.id, reason: 'keyCompromise', actor: 'operator:test', at: world.clock.now() });
    expect(revoked.ok).toBe(true);

    const ocsp = await opensslOcsp(['-issuer', files.issuing, '-cert', files.leaf]);
    expect(ocsp).toMatch(/Response verify OK/);
    expect(ocsp).toMatch(/leaf\.pem: revoked\n[\s\S]*Reason: keyCompromise\n\s+Revocation Time: /);
    expect(await opensslOcsp(['-issuer', files.issuing, '-cert', files.other])).toMatch(/other\.pem: good/);

    const after = await fetchCrlFile('issuing-ca.crl');
    expect(describeCrl(after.der).crlNumber).toBeGreaterThan(describeCrl(before.der).crlNumber);
    const text = run('openssl', ['crl', '-inform', 'DER', '-in', after.file, '-CAfile', files.chain, '-noout', '-text']);
    expect(text.stderr).toMatch(/verify OK/);
    expect(text.stdout).toMatch(new RegExp(`Serial Number: ${leaf.serialNumber.toUpperCase()}\\n[\\s\\S]*?Key Compromise`));
    expect(text.stdout).toMatch(new RegExp(`X509v3 CRL Number: \\n\\s+${describeCrl(after.der).crlNumber}\\n`));

    const refused = run('openssl', ['verify', '-crl_check', '-CRLfile', after.file, '-CAfile', files.root, '-untrusted', files.issuing, files.leaf]);
    expect(refused.status).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/certificate revoked/);
    expect(succeed('openssl', ['verify', '-crl_check', '-CRLfile', after.file, '-CAfile', files.root, '-untrusted', files.issuing, files.other])).toMatch(/other\.pem: OK/);
  });

  it.skipIf(!hasCertutil)('is reported by NSS: vfychain with OCSP from the AIA, and certutil -V with the CRL imported', async () => {
    const nssDir = join(dir, 'nss-revoked');
    const db = nssDatabaseTrusting(nssDir, files.root, files.issuing);
    const ocsp = await runAsync('vfychain', ['-d', db, '-pp', '-g', 'leaf', '-h', 'requireFreshInfo', '-m', 'ocsp', '-s', 'failIfNoInfo', '-u', '4', '-a', files.leaf]);
    expect(ocsp.status).not.toBe(0);
    expect(ocsp.output).toMatch(/ERROR -8180: Peer's Certificate has been revoked/);
    // ocspclnt asks the responder in the certificate's AIA and verifies the answer (-V: with the chain, as an email recipient).
    succeed('certutil', ['-A', '-d', db, '-n', 'leaf', '-t', ',,', '-a', '-i', files.leaf]);
    succeed('certutil', ['-A', '-d', db, '-n', 'other', '-t', ',,', '-a', '-i', files.other]);
    expect((await runAsync('ocspclnt', ['-d', db, '-S', 'leaf'])).output).toMatch(/Check of certificate "leaf" failed\.\s+Reason:\nPeer's Certificate has been revoked/);
    expect((await runAsync('ocspclnt', ['-d', db, '-V', 'leaf', '-u', 'e'])).output).toMatch(/Verification of certificate "leaf" failed\.\s+Reason:\nPeer's Certificate has been revoked/);
    const good = await runAsync('ocspclnt', ['-d', db, '-V', 'other', '-u', 'e']);
    expect(good.output).toMatch(/Verification of certificate "other" succeeded/);
    // certutil -V with the fetched CRL imported: the revoked certificate is refused, the other one stays valid.
    const { file } = await fetchCrlFile('issuing-ca.crl');
    succeed('crlutil', ['-I', '-d', db, '-i', file, '-t', '1']);
    const refused = run('certutil', ['-V', '-e', '-d', db, '-n', 'leaf', '-u', 'R']);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/certificate is invalid: Peer's Certificate has been revoked/);
    expect(succeed('certutil', ['-V', '-e', '-d', db, '-n', 'other', '-u', 'R'])).toMatch(/certificate is valid/);
  });
});
