import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import { issueCertificate, type IssueCertificateRequest } from '../../src/ca/issuer.js';
import { subscriberUrlsOf, type IssuingCa } from '../../src/ca/issuing-ca.js';
import { subscriberProfile, validityEnd } from '../../src/ca/profile.js';
import { ConfigurationProblem } from '../../src/configuration-problem.js';
import { bindDatabaseToCa } from '../../src/ra/ca-registry.js';
import { signingDepsOf } from '../../src/ra/ca-signing.js';
import { verifyAuditChain } from '../../src/ra/verify-audit-chain.js';
import { recordSignedCertificates, reserveSerialNumber, reserveSerialsForSigning } from '../../src/store/ca-store.js';
import { auditLog, caCertificates, certificateSerials, compromisedKeys } from '../../src/store/schema/tables.js';
import { generateTestKeys, passphrase, subscriberSubject } from '../ca/ca-test-kit.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { FakeClock } from '../support/fake-clock.js';

const where = isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised';
const clock = new FakeClock('2026-11-27T01:00:00Z');
const log = pino({ level: 'silent' });
let database: TestDatabase;
const dirs: string[] = [];
let first: CaMaterial;
let second: CaMaterial;

async function newCa(): Promise<CaMaterial> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-ca-signing-'));
  dirs.push(dir);
  return createCa({ dir, passphrase, clock });
}

beforeAll(async () => {
  database = await createTestDatabase();
  [first, second] = [await newCa(), await newCa()];
});
afterAll(async () => {
  await database?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const issuingCa = (material: CaMaterial): IssuingCa => ({ material, pkiBaseUrl: 'http://pki.certdesk.example' });
const request = async (): Promise<IssueCertificateRequest> => ({
  publicKey: (await generateTestKeys('P-256')).publicKey,
  subject: subscriberSubject,
  email: 'taro.takasaki@example.jp',
  notBefore: clock.now(),
  notAfter: validityEnd(clock.now(), subscriberProfile.defaultValidityDays),
  urls: subscriberUrlsOf('http://pki.certdesk.example'),
});

describe(signingDepsOf.name, () => {
  it('reserves the serial in the database and audits before and after the signature', async () => {
    const result = await issueCertificate(signingDepsOf({ db: database.db, clock, log, ca: issuingCa(first) }, 'application:a1'), await request());
    if (!result.ok) throw new Error('refused');
    const [reserved] = await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, result.serialNumber));
    expect(reserved).toMatchObject({ reservedFor: 'application:a1' });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, result.serialNumber)).orderBy(auditLog.seq);
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      ['system:ca', 'certificate.signing'],
      ['system:ca', 'certificate.signed'],
    ]);
    expect(entries[0]?.after).toMatchObject({ reservedFor: 'application:a1', tbsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('keeps the serial reserved and the audit entry written when the signature fails', async () => {
    const broken: CaMaterial = { ...first, issuingSigner: { ...first.issuingSigner, sign: () => Promise.reject(new Error('token removed')) } };
    const before = await database.db.select().from(certificateSerials);
    await expect(issueCertificate(signingDepsOf({ db: database.db, clock, log, ca: issuingCa(broken) }, 'application:a2'), await request())).rejects.toThrow('token removed');
    const after = await database.db.select().from(certificateSerials);
    const added = after.filter((row) => !before.some((b) => b.serialNumber === row.serialNumber));
    expect(added.map((row) => row.reservedFor)).toEqual(['application:a2']);
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.subjectId, added[0]!.serialNumber));
    expect(entries.map((e) => e.action)).toEqual(['certificate.signing']);
  });
});

describe('signatures in flight together', () => {
  it(`share their statements, and each is reserved, audited twice and kept (${where})`, async () => {
    const statements: string[] = [];
    const counted = await createTestDatabase({ onQuery: (text) => statements.push(text) });
    try {
      const deps = { db: counted.db, clock, log, ca: issuingCa(first) };
      const requests = await Promise.all(Array.from({ length: 24 }, () => request()));
      statements.length = 0;
      const results = await Promise.all(requests.map((r, i) => issueCertificate(signingDepsOf(deps, `application:batch-${i}`), r)));
      const serials = results.map((result) => (result.ok ? result.serialNumber : 'refused'));
      expect(new Set(serials).size).toBe(24);
      expect(serials).not.toContain('refused');
      // Two statements per batch at most: far fewer than the 2 × 24 one signature at a time takes.
      const ledgerStatements = statements.filter((text) => /reserve_serials_for_signing|record_signed_certificates/.test(text));
      expect(ledgerStatements.length).toBeLessThan(24);
      expect(statements).toHaveLength(ledgerStatements.length);

      const rows = await counted.db.select().from(certificateSerials);
      for (const [i, result] of results.entries()) {
        if (!result.ok) continue;
        const row = rows.find((candidate) => candidate.serialNumber === result.serialNumber);
        expect(row).toMatchObject({ reservedFor: `application:batch-${i}`, signedAt: clock.now() });
        expect(new Uint8Array(row!.der!)).toEqual(new Uint8Array(result.der));
      }
      const entries = await counted.db.select().from(auditLog).orderBy(auditLog.seq);
      for (const serial of serials) {
        expect(entries.filter((entry) => entry.subjectId === serial).map((entry) => entry.action)).toEqual(['certificate.signing', 'certificate.signed']);
      }
      expect(entries.find((entry) => entry.subjectId === serials[3] && entry.action === 'certificate.signed')?.after).toMatchObject({
        reservedFor: 'application:batch-3',
        certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(await verifyAuditChain({ db: counted.db })).toMatchObject({ ok: true });
    } finally {
      await counted.close();
    }
  });

  it(`answers each intent of one batch on its own: reserved, taken, compromised (${where})`, async () => {
    const at = clock.now();
    const compromised = 'c'.repeat(64);
    await database.db.insert(compromisedKeys).values({ spkiSha256: compromised, reason: 'keyCompromise', recordedAt: at, source: 'test' });
    const intent = (serialNumber: string, spkiSha256 = 'a'.repeat(64)) => ({ serialNumber, reservedFor: 'test:batch', spkiSha256, tbsSha256: 'b'.repeat(64), at });
    const auditBefore = (await database.db.select().from(auditLog)).length;
    expect(await reserveSerialsForSigning(database.db, [intent('5a'.repeat(20)), intent('5A'.repeat(20)), intent('5b'.repeat(20), compromised), intent('5c'.repeat(20))])).toEqual([
      'reserved',
      'serialTaken',
      'keyCompromised',
      'reserved',
    ]);
    expect((await database.db.select().from(auditLog)).length).toBe(auditBefore + 2);
    expect(await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, '5b'.repeat(20)))).toEqual([]);
  });

  it(`writes nothing of a batch that records a serial never reserved (${where})`, async () => {
    const at = clock.now();
    const [reserved] = await reserveSerialsForSigning(database.db, [{ serialNumber: '6a'.repeat(20), reservedFor: 'test:record', spkiSha256: 'a'.repeat(64), tbsSha256: 'b'.repeat(64), at }]);
    expect(reserved).toBe('reserved');
    const auditBefore = (await database.db.select().from(auditLog)).length;
    const record = (serialNumber: string) => ({ serialNumber, der: new Uint8Array([0x30, 0x00]), certificateSha256: 'd'.repeat(64), at });
    await expect(recordSignedCertificates(database.db, [record('6a'.repeat(20)), record('6b'.repeat(20))])).rejects.toThrow();
    const [row] = await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, '6a'.repeat(20)));
    expect(row?.der).toBeNull();
    expect((await database.db.select().from(auditLog)).length).toBe(auditBefore);
  });
});

describe(recordSignedCertificates.name, () => {
  it(`takes the same certificate recorded again as done, and refuses another one for the serial (${where})`, async () => {
    const at = clock.now();
    const serialNumber = '7a'.repeat(20);
    await reserveSerialsForSigning(database.db, [{ serialNumber, reservedFor: 'test:again', spkiSha256: 'a'.repeat(64), tbsSha256: 'b'.repeat(64), at }]);
    const record = (der: number[]) => ({ serialNumber, der: new Uint8Array(der), certificateSha256: 'd'.repeat(64), at });
    await recordSignedCertificates(database.db, [record([0x30, 0x01, 0x01])]);
    const entries = async () => (await database.db.select().from(auditLog).where(eq(auditLog.subjectId, serialNumber))).map((entry) => entry.action);
    expect(await entries()).toEqual(['certificate.signing', 'certificate.signed']);
    // A batch written again after its answer was lost: nothing changes, nothing is added.
    await recordSignedCertificates(database.db, [record([0x30, 0x01, 0x01])]);
    expect(await entries()).toEqual(['certificate.signing', 'certificate.signed']);
    // Another certificate under a serial that holds one: refused, the first one kept.
    await expect(recordSignedCertificates(database.db, [record([0x30, 0x01, 0x02])])).rejects.toThrow();
    const [row] = await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, serialNumber));
    expect([...new Uint8Array(row!.der!)]).toEqual([0x30, 0x01, 0x01]);
  });

  it(`refuses one serial twice in a batch, and writes nothing of it (${where})`, async () => {
    const at = clock.now();
    const serialNumber = '9a'.repeat(20);
    await reserveSerialsForSigning(database.db, [{ serialNumber, reservedFor: 'test:twice', spkiSha256: 'a'.repeat(64), tbsSha256: 'b'.repeat(64), at }]);
    const record = (der: number[], serial = serialNumber) => ({ serialNumber: serial, der: new Uint8Array(der), certificateSha256: 'd'.repeat(64), at });
    await expect(recordSignedCertificates(database.db, [record([0x30, 0x01, 0x08]), record([0x30, 0x01, 0x09], serialNumber.toUpperCase())])).rejects.toThrow();
    const [row] = await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, serialNumber));
    expect(row?.der).toBeNull();
    expect((await database.db.select().from(auditLog).where(eq(auditLog.subjectId, serialNumber))).map((entry) => entry.action)).toEqual(['certificate.signing']);
  });
});

describe(reserveSerialsForSigning.name, () => {
  it.runIf(isOnPostgresServer())('refuses a key whose keyCompromise revocation commits while the reservation waits for it', async () => {
    if (database.target.kind !== 'postgres') throw new Error('a server test');
    const revoker = new pg.Client({ connectionString: database.target.url });
    const observer = new pg.Client({ connectionString: database.target.url });
    await revoker.connect();
    await observer.connect();
    const spkiSha256 = 'e'.repeat(64);
    try {
      // A revocation as revoke-certificate.ts makes it: the key history, then its audit entry (the head locked) last.
      await revoker.query('begin');
      await revoker.query(`insert into compromised_keys (spki_sha256, reason, recorded_at, source) values ($1, 'keyCompromise', now(), 'test')`, [spkiSha256]);
      await revoker.query(`select append_audit_entries('[{"at":"2026-11-27T01:00:00Z","actor":"cli","action":"certificate.revoked","subjectType":"certificate","subjectId":"race"}]'::jsonb)`);
      const reservation = reserveSerialsForSigning(database.db, [{ serialNumber: '8a'.repeat(20), reservedFor: 'test:race', spkiSha256, tbsSha256: 'b'.repeat(64), at: clock.now() }]);
      // Until the reservation is seen waiting for the revocation's lock.
      for (let turn = 0; ; turn++) {
        const { rows } = await observer.query(`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if ((rows[0] as { waiting: number }).waiting > 0) break;
        if (turn > 10_000) throw new Error('the reservation never waited for the revocation');
        await new Promise((resolve) => setImmediate(resolve));
      }
      await revoker.query('commit');
      expect(await reservation).toEqual(['keyCompromised']);
    } finally {
      await revoker.end();
      await observer.end();
    }
    expect(await database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, '8a'.repeat(20)))).toEqual([]);
  });
});

describe(reserveSerialNumber.name, () => {
  it(`hands one serial to exactly one of 20 racing reservations (${where})`, async () => {
    const serial = '4'.repeat(40);
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => reserveSerialNumber(database.db, serial, `race:${i}`, clock.now())));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await reserveSerialNumber(database.db, serial.toUpperCase(), 'again', clock.now())).toBe(false);
  });
});

describe(bindDatabaseToCa.name, () => {
  it(`binds the database to the first CA of two racing processes, and refuses the other (${where})`, async () => {
    const outcomes = await Promise.allSettled([bindDatabaseToCa(database.db, first, clock.now()), bindDatabaseToCa(database.db, second, clock.now())]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConfigurationProblem);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/this database belongs to another CA/);
    const rows = await database.db.select().from(caCertificates);
    expect(rows.map((r) => r.role).sort()).toEqual(['issuing', 'root']);
    const winner = outcomes[0]!.status === 'fulfilled' ? first : second;
    const loser = winner === first ? second : first;
    await expect(bindDatabaseToCa(database.db, winner, clock.now())).resolves.toBeUndefined();
    await expect(bindDatabaseToCa(database.db, loser, clock.now())).rejects.toBeInstanceOf(ConfigurationProblem);
  });
});
