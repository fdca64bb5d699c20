import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pkcs10CertificateRequestGenerator, X509Certificate } from '@peculiar/x509';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { formatCouponNumber, makeCouponNumber } from '../../src/domain/input/registration.js';
import { PasswordHasher } from '../../src/ra/application-password.js';
import { approveApplication } from '../../src/ra/decide-application.js';
import { addOperator } from '../../src/ra/operators.js';
import { changeClaim } from '../../src/ra/review-application.js';
import { insertCoupons } from '../../src/store/coupon-store.js';
import { applications, caCertificates, certificates, operators, outboxMessages } from '../../src/store/schema/tables.js';
import { validForm } from '../domain/input/fixtures.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { PortalClient } from '../support/portal-client.js';
import { freePort } from '../support/server.js';
import { couponParts } from '../support/world.js';
import { testSite } from '../support/site.js';
import { systemClock } from '../../src/domain/clock.js';

/**
 * Issue #8, done when: `certdesk ca init` on an empty folder, then several `certdesk serve`
 * processes on one PostgreSQL issue under the same CA. Real processes, real HTTP; on the
 * embedded database one process owns the data folder, so this runs on the server only.
 */
const root = path.resolve(import.meta.dirname, '../..');
const passphrase = 'shared CA passphrase, not secret';
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-shared-ca-'));
const caDir = path.join(temp, 'ca');
let database: TestDatabase;
const children: ChildProcess[] = [];

function certdesk(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(root, 'bin/certdesk.js'), ...args], { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: temp, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 });
}

/** `certdesk serve` as its own process; resolves once it says where to open it, or with its exit. */
function serve(env: Record<string, string>): Promise<{ url: string } | { exitCode: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/certdesk.js'), 'serve'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: temp, LOG_LEVEL: 'warn', ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /certdesk is running: open (\S+)\//.exec(stdout)?.[1];
      if (url !== undefined) resolve({ url });
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('exit', (exitCode) => resolve({ exitCode, stderr }));
  });
}

describe.skipIf(!isOnPostgresServer())('one CA for several processes on one PostgreSQL', () => {
  let databaseUrl: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.target.kind !== 'postgres') throw new Error('needs the PostgreSQL server');
    databaseUrl = database.target.url;
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    await database?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('refuses to serve without a CA, and never makes one', async () => {
    const started = await serve({ DATABASE_URL: databaseUrl, CA_DIR: caDir, CA_KEY_PASSPHRASE: passphrase, DATA_DIR: path.join(temp, 'none'), PORT: String(await freePort()) });
    expect(started).toMatchObject({ exitCode: 2, stderr: expect.stringContaining(`no CA in ${caDir}: create one with "certdesk ca init"`) });
    expect(fs.existsSync(path.join(caDir, 'root.crt.pem'))).toBe(false);
  });

  it('makes the CA with `certdesk ca init`, once', () => {
    const missing = certdesk(['ca', 'init'], { CA_DIR: caDir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('set CA_KEY_PASSPHRASE');
    const init = certdesk(['ca', 'init', '--issuing-name', 'CN=Shared Test S/MIME CA G1, O=certdesk Test, C=JP'], { CA_DIR: caDir, CA_KEY_PASSPHRASE: passphrase });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/^created CA in .* \(deployment\)\nroot: C=JP, O=certdesk Demo, CN=certdesk Demo Root CA\n.*\n  SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\nissuing: C=JP, O=certdesk Test, CN=Shared Test S\/MIME CA G1\n/);
    expect(fs.statSync(path.join(caDir, 'issuing.key.pem')).mode & 0o777).toBe(0o600);
    const again = certdesk(['ca', 'init'], { CA_DIR: caDir, CA_KEY_PASSPHRASE: passphrase });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already holds a CA');
  });

  it('issues under that CA from two serve processes, and refuses a process with another CA', async () => {
    const common = { DATABASE_URL: databaseUrl, CA_DIR: caDir, CA_KEY_PASSPHRASE: passphrase };
    const started = await Promise.all([
      serve({ ...common, DATA_DIR: path.join(temp, 'a'), PORT: String(await freePort()) }),
      serve({ ...common, DATA_DIR: path.join(temp, 'b'), PORT: String(await freePort()) }),
    ]);
    const urls = started.map((s) => {
      if (!('url' in s)) throw new Error(`serve exited ${s.exitCode}: ${s.stderr}`);
      return s.url;
    });

    const otherCa = path.join(temp, 'other-ca');
    expect(certdesk(['ca', 'init'], { CA_DIR: otherCa, CA_KEY_PASSPHRASE: passphrase }).status).toBe(0);
    const intruder = await serve({ ...common, CA_DIR: otherCa, DATA_DIR: path.join(temp, 'c'), PORT: String(await freePort()) });
    expect(intruder).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('this database belongs to another CA') });

    const [recorded] = await database.db.select().from(caCertificates).where(eq(caCertificates.role, 'issuing'));
    const issuingCa = new X509Certificate(fs.readFileSync(path.join(caDir, 'issuing.crt.pem'), 'utf8'));
    expect(new Uint8Array(recorded!.der)).toEqual(new Uint8Array(issuingCa.rawData));

    const ra = { db: database.db, clock: systemClock, log: pino({ level: 'silent' }), site: testSite(), passwords: new PasswordHasher(), review: { requiredApprovals: 1, pickupCodeTtlDays: 30 } };
    const added = await addOperator({ ...ra, publicUrl: 'http://127.0.0.1' }, { email: 'shared@ca.example.jp', role: 'reviewer', actor: 'test' });
    if (!added.ok) throw new Error(added.code);
    const [operator] = await database.db.select({ id: operators.id }).from(operators).where(eq(operators.email, 'shared@ca.example.jp'));

    const issued: X509Certificate[] = [];
    for (const [i, url] of urls.entries()) {
      const client = new PortalClient({ request: (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, redirect: 'manual' }) }, url);
      const number = makeCouponNumber(`6${String(i + 1).padStart(14, '0')}`);
      await insertCoupons(database.db, [number], 'パートナーA', new Date(), 'test');
      await client.get('/new');
      const email = `shared-${i}@example.jp`;
      await client.post('/new/confirm', { ...validForm, email, ...couponParts(formatCouponNumber(number)), applicationPassword: 'Applicant-Pass-1', applicationPasswordConfirm: 'Applicant-Pass-1' });
      await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
      const [application] = await database.db.select({ id: applications.id }).from(applications).where(eq(applications.email, email));
      // Final acceptance is an hour away: make it due now, as the clock would.
      await database.db.update(applications).set({ finalAt: new Date(Date.now() - 1000) }).where(eq(applications.id, application!.id));
      await changeClaim(ra, { applicationId: application!.id, operatorId: operator!.id, action: 'claim' });
      expect((await approveApplication(ra, { applicationId: application!.id, operatorId: operator!.id, isVettingRedone: true })).ok).toBe(true);
      const [mail] = await database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.approved:${application!.id}`));
      const code = /証明書コード: ([0-9A-Z-]{29})/.exec(mail!.text)![1]!;

      await client.get('/pickup');
      await client.post('/pickup/sign-in', { certificateCode: code, password: 'Applicant-Pass-1' });
      const keys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const csr = await Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webCrypto);
      await client.post('/pickup/issue', { csr: csr.toString('pem') });
      expect(client.lastRedirects).toEqual(['/pickup/done']);
      issued.push(new X509Certificate(await (await client.get('/pickup/certificate.pem')).text()));
    }
    for (const certificate of issued) {
      expect(certificate.issuer).toBe(issuingCa.subject);
      expect(await certificate.verify({ publicKey: issuingCa, signatureOnly: true }, webCrypto)).toBe(true);
    }
    expect(issued[0]!.serialNumber).not.toBe(issued[1]!.serialNumber);
    expect(await database.db.select().from(certificates)).toHaveLength(2);
  });
});
