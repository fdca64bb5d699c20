import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import { issueCertificate, type IssueCertificateRequest } from '../../src/ca/issuer.js';
import { subscriberUrlsOf, type IssuingCa } from '../../src/ca/issuing-ca.js';
import { subscriberProfile, validityEnd } from '../../src/ca/profile.js';
import { ConfigurationProblem } from '../../src/configuration-problem.js';
import { bindDatabaseToCa } from '../../src/ra/ca-registry.js';
import { signingDepsOf } from '../../src/ra/ca-signing.js';
import { reserveSerialNumber } from '../../src/store/ca-store.js';
import { auditLog, caCertificates, certificateSerials } from '../../src/store/schema/tables.js';
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
