import { insertRenewableStandIn } from '../support/stand-in-certificate.js';
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerCouponCommands } from '../../src/cli/coupon-commands.js';
import { formatCouponNumber, isValidCouponChecksum, makeCouponNumber } from '../../src/domain/input/registration.js';
import { japanDateOf } from '../../src/domain/japan-date.js';
import { DAY_MS } from '../../src/domain/renewal-window.js';
import { PasswordHasher } from '../../src/ra/application-password.js';
import { cancelApplication } from '../../src/ra/cancel-application.js';
import { DEMO_COUPON_PARTNER } from '../../src/ra/load-demo-data.js';
import { checkCoupon, couponRefusalOf } from '../../src/ra/coupon-answers.js';
import type { RaDeps } from '../../src/ra/deps.js';
import { exportCouponBatch } from '../../src/ra/export-coupon-batch.js';
import { finaliseDueApplications } from '../../src/ra/finalise-applications.js';
import { findCoupon } from '../../src/ra/find-coupon.js';
import { issueCouponBatch, type IssueCouponBatchInput, type IssuedCouponBatch } from '../../src/ra/issue-coupon-batch.js';
import { submitApplication } from '../../src/ra/submit-application.js';
import { voidCoupons } from '../../src/ra/void-coupons.js';
import { couponInsertChunkSize, findCouponBatch, insertCoupons, listCouponBatches, listUnbatchedCouponNumbers, lockAvailableCoupon } from '../../src/store/coupon-store.js';
import { applications, auditLog, couponBatches, couponEvents, coupons } from '../../src/store/schema/tables.js';
import { insertSubscriber } from '../../src/store/subscriber-store.js';
import { validForm } from '../domain/input/fixtures.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { FakeClock } from '../support/fake-clock.js';
import { testSite } from '../support/site.js';

const HOUR_MS = 60 * 60 * 1000;
const where = isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised';

let database: TestDatabase;
const clock = new FakeClock('2026-11-27T01:00:00Z'); // 10:00 in Japan
const passwords = new PasswordHasher();
/** Everything the use cases log, as JSON lines: no full coupon number may appear in it. */
let logged = '';
const log = pino({ level: 'info' }, { write: (line: string) => void (logged += line) });
const deps = (): RaDeps => ({ db: database.db, clock, log, site: testSite(), passwords, review: { requiredApprovals: 1, pickupCodeTtlDays: 30 } });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
// Time only moves forward: each test an hour later, so rate-limit windows and due dates stay apart.
beforeEach(() => {
  clock.advance(HOUR_MS);
});

const request = (overrides: Partial<IssueCouponBatchInput> = {}): IssueCouponBatchInput => ({
  partner: '株式会社みなと販売',
  count: 10,
  product: 'class2-standard',
  expiresOn: '2027-03-31',
  actor: 'operator:test',
  ...overrides,
});

async function issue(overrides: Partial<IssueCouponBatchInput> = {}): Promise<IssuedCouponBatch> {
  const result = await issueCouponBatch(deps(), request(overrides));
  if (!result.ok) throw new Error(result.code);
  return result.value;
}

async function numbersOf(batchId: string): Promise<string[]> {
  const rows = await database.db.select({ number: coupons.number }).from(coupons).where(eq(coupons.batchId, batchId)).orderBy(coupons.number);
  return rows.map((r) => r.number);
}

async function tableCounts() {
  const n = async (table: typeof coupons | typeof couponBatches | typeof couponEvents | typeof auditLog | typeof applications) =>
    Number((await database.db.select({ n: count() }).from(table))[0]?.n);
  return { batches: await n(couponBatches), coupons: await n(coupons), events: await n(couponEvents), audit: await n(auditLog), applications: await n(applications) };
}

async function couponRow(number: string) {
  const [row] = await database.db
    .select({ id: coupons.id, state: coupons.state, applicationId: coupons.applicationId, updatedAt: coupons.updatedAt })
    .from(coupons)
    .where(eq(coupons.number, number));
  if (row === undefined) throw new Error(`no coupon ${number}`);
  return row;
}

async function transitionsOf(number: string): Promise<[string | null, string][]> {
  const { id } = await couponRow(number);
  const rows = await database.db
    .select({ fromState: couponEvents.fromState, toState: couponEvents.toState })
    .from(couponEvents)
    .where(eq(couponEvents.couponId, id))
    .orderBy(couponEvents.at, couponEvents.id);
  return rows.map((r) => [r.fromState, r.toState]);
}

async function auditOf(action: string, subjectId: string) {
  return database.db
    .select({ actor: auditLog.actor, after: auditLog.after, before: auditLog.before })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)));
}

/** A payload like the real source's, outside this test's control. */
const randomPayload = () => Array.from({ length: 15 }, () => randomInt(0, 10)).join('');
const payloadOf = (number: string) => number.slice(0, 15);

/** The CSV as a partner's import would read it: bytes → text without the BOM → rows → cells. */
function parseCsv(bytes: Uint8Array): { hasBom: boolean; header: string; rows: string[][] } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/u, '');
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe(''); // every line ends in CRLF, the last one too
  const [header, ...rows] = lines;
  return { hasBom, header: header ?? '', rows: rows.map((line) => line.split(',')) };
}

const fullWidth = (s: string) => s.replace(/[0-9]/gu, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/-/gu, '－');

// ---------------------------------------------------------------------------
// Applications that lock coupons

let clients = 0;
const clientKey = () => `203.0.113.${(clients++ % 250) + 1}:${clients}`;
const valuesFor = (couponNumber: string) => ({ ...validForm, couponPart1: couponNumber.slice(0, 8), couponPart2: couponNumber.slice(8) });

/** A new application paying with `couponNumber` (its coupon locked), at `at`. */
async function applyWith(couponNumber: string, at: FakeClock = clock) {
  return submitApplication(
    { ...deps(), clock: at },
    { kind: 'new', values: valuesFor(couponNumber), draftPassword: 'coupon-test-42', lang: 'ja', submissionKey: randomUUID(), clientKey: clientKey() },
  );
}

async function lockWithApplication(couponNumber: string): Promise<string> {
  const result = await applyWith(couponNumber);
  if (!result.ok) throw new Error(result.code);
  return result.value.id;
}

async function consumeWithApplication(couponNumber: string): Promise<string> {
  const applicationId = await lockWithApplication(couponNumber);
  clock.advance(HOUR_MS);
  await finaliseDueApplications(deps());
  return applicationId;
}

/** N subscribers with a certificate 20 days from expiry: renewals need no password hash, so they race at full speed. */
async function renewableCertificates(n: number): Promise<{ subscriberId: string; certificateId: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const now = clock.now();
    const subscriberId = await insertSubscriber(database.db, {
      organisation: { nameJa: validForm.orgNameJa, nameKana: validForm.orgNameKana, nameEn: validForm.orgNameEn },
      email: validForm.email,
      passwordHash: 'not used here',
      registration: { ...validForm },
      vettedAt: now,
      now,
    });
    const certificateId = await insertRenewableStandIn(database.db, { subscriberId, subjectDn: 'CN=Taro Heno', email: validForm.email, now });
    out.push({ subscriberId, certificateId });
  }
  return out;
}

const renewWith = (couponNumber: string, certificate: { subscriberId: string; certificateId: string }) =>
  submitApplication(deps(), {
    kind: 'renewal',
    ...certificate,
    values: valuesFor(couponNumber),
    draftPassword: undefined,
    lang: 'ja',
    submissionKey: randomUUID(),
    clientKey: clientKey(),
  });

// ---------------------------------------------------------------------------

describe(issueCouponBatch.name, () => {
  it('issues 500 coupons in one batch: distinct, Luhn-valid, available, each with its first event, audited without the numbers', async () => {
    const before = await tableCounts();
    const batch = await issue({ count: 500 });
    expect(batch).toMatchObject({ count: 500, partner: '株式会社みなと販売', product: 'class2-standard', expiresOn: '2027-03-31', expiresAt: new Date('2027-03-31T15:00:00Z') });

    const numbers = await numbersOf(batch.batchId);
    expect(numbers).toHaveLength(500);
    expect(new Set(numbers).size).toBe(500);
    expect(numbers.every((n) => /^\d{16}$/u.test(n) && isValidCouponChecksum(n))).toBe(true);

    const rows = await database.db
      .select({ state: coupons.state, partner: coupons.partner, product: coupons.product, expiresAt: coupons.expiresAt })
      .from(coupons)
      .where(eq(coupons.batchId, batch.batchId));
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ state: 'available', partner: '株式会社みなと販売', product: 'class2-standard', expiresAt: new Date('2027-03-31T15:00:00Z') })]),
    );
    const events = await database.db
      .select({ fromState: couponEvents.fromState, toState: couponEvents.toState, actor: couponEvents.actor, at: couponEvents.at })
      .from(couponEvents)
      .innerJoin(coupons, eq(coupons.id, couponEvents.couponId))
      .where(eq(coupons.batchId, batch.batchId));
    expect(events).toHaveLength(500);
    expect(events.every((e) => e.fromState === null && e.toState === 'available' && e.actor === 'operator:test' && e.at.getTime() === clock.now().getTime())).toBe(true);

    expect(await findCouponBatch(database.db, batch.batchId)).toMatchObject({
      count: 500,
      createdBy: 'operator:test',
      states: { available: 500, locked: 0, consumed: 0, void: 0 },
    });
    const [entry, ...more] = await auditOf('couponBatch.issued', batch.batchId);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      actor: 'operator:test',
      after: { partner: '株式会社みなと販売', count: 500, product: 'class2-standard', expiresOn: '2027-03-31', expiresAt: '2027-03-31T15:00:00.000Z' },
    });
    const auditText = JSON.stringify(entry);
    expect(numbers.some((n) => auditText.includes(n) || auditText.includes(formatCouponNumber(n)))).toBe(false);

    const after = await tableCounts();
    expect(after).toEqual({ ...before, batches: before.batches + 1, coupons: before.coupons + 500, events: before.events + 500, audit: before.audit + 1 });
  });

  it('refuses what the batch rules refuse and writes nothing', async () => {
    const before = await tableCounts();
    expect(await issueCouponBatch(deps(), request({ count: 0 }))).toEqual({ ok: false, code: 'couponBatch.countOutOfRange' });
    expect(await issueCouponBatch(deps(), request({ expiresOn: japanDateOf(clock.now()) }))).toEqual({ ok: false, code: 'couponBatch.expiryNotAfterToday' });
    expect(await issueCouponBatch(deps(), request({ product: 'class3' }))).toEqual({ ok: false, code: 'couponBatch.productUnknown' });
    expect(await issueCouponBatch(deps(), request({ partner: 'みなと\n販売' }))).toEqual({ ok: false, code: 'couponBatch.partnerInvalidCharacters' });
    expect(await tableCounts()).toEqual(before);
  });

  // A number that exists already, drawn after the first chunk of coupons went in: the
  // transaction fails midway, on the second INSERT of coupons.
  const count = couponInsertChunkSize + 100;
  const collidingAt = couponInsertChunkSize + 50;

  it('draws the whole batch again when a number exists already, and keeps nothing of the failed attempt', async () => {
    const [taken] = await numbersOf((await issue({ count: 1 })).batchId);
    const before = await tableCounts();
    const firstAttempt: string[] = [];
    let calls = 0;
    const draw = () => {
      const call = calls++;
      if (call === collidingAt) return payloadOf(taken!);
      const payload = randomPayload();
      if (call < count) firstAttempt.push(makeCouponNumber(payload));
      return payload;
    };

    const result = await issueCouponBatch({ ...deps(), drawCouponPayload: draw }, request({ count }));
    expect(result.ok).toBe(true);
    expect(calls).toBe(2 * count);
    const numbers = await numbersOf(result.ok ? result.value.batchId : '');
    expect(numbers).toHaveLength(count);
    expect(numbers).not.toContain(taken);
    // The first attempt's first chunk had been inserted when the collision came: it was rolled back.
    const leftovers = await database.db.select({ number: coupons.number }).from(coupons).where(inArray(coupons.number, firstAttempt.slice(0, couponInsertChunkSize)));
    expect(leftovers).toEqual([]);
    expect(await tableCounts()).toEqual({ ...before, batches: before.batches + 1, coupons: before.coupons + count, events: before.events + count, audit: before.audit + 1 });
    expect(logged).toContain('"event":"couponBatch.numberCollision"');
  });

  it('writes nothing at all when every attempt collides midway: batch, coupons, events and audit roll back together', async () => {
    const [taken] = await numbersOf((await issue({ count: 1 })).batchId);
    const before = await tableCounts();
    const drawn: string[] = [];
    let calls = 0;
    const draw = () => {
      const payload = calls++ % count === collidingAt ? payloadOf(taken!) : randomPayload();
      drawn.push(makeCouponNumber(payload));
      return payload;
    };

    await expect(issueCouponBatch({ ...deps(), drawCouponPayload: draw }, request({ count }))).rejects.toThrow(`issuing a batch of ${count} coupons (attempt 3)`);
    expect(calls).toBe(3 * count);
    expect(await tableCounts()).toEqual(before);
    const leftovers = await database.db.select({ number: coupons.number }).from(coupons).where(inArray(coupons.number, drawn.filter((n) => n !== taken)));
    expect(leftovers).toEqual([]);
  });

  it('treats a source that keeps repeating itself as a bug, before writing anything', async () => {
    const before = await tableCounts();
    await expect(issueCouponBatch({ ...deps(), drawCouponPayload: () => '123456789012345' }, request({ count: 3 }))).rejects.toThrow(/distinct numbers/);
    expect(await tableCounts()).toEqual(before);
  });
});

describe(exportCouponBatch.name, () => {
  it('gives the batch as CSV (BOM, CRLF) that parses back to the same numbers, and audits the export', async () => {
    const batch = await issue({ count: 500 });
    const result = await exportCouponBatch(deps(), { batchId: batch.batchId, actor: 'operator:test' });
    if (!result.ok) throw new Error(result.code);
    expect(result.value).toMatchObject({ batchId: batch.batchId, count: 500, fileName: `coupons-${batch.batchId}.csv` });

    const csv = parseCsv(result.value.csv);
    expect(csv.hasBom).toBe(true);
    expect(csv.header).toBe('クーポン番号,パートナー,商品,有効期限,状態');
    expect(csv.rows).toHaveLength(500);
    expect(csv.rows.every((r) => r.length === 5 && /^\d{8}-\d{8}$/u.test(r[0]!))).toBe(true);
    expect(csv.rows.map((r) => r[0]!.replace('-', ''))).toEqual(await numbersOf(batch.batchId));
    expect(new Set(csv.rows.map((r) => r.slice(1).join(',')))).toEqual(new Set(['株式会社みなと販売,class2-standard,2027-03-31,available']));
    expect(await auditOf('couponBatch.exported', batch.batchId)).toEqual([{ actor: 'operator:test', before: null, after: { count: 500 } }]);
  });

  it('shows each coupon in its state now', async () => {
    const batch = await issue({ count: 3 });
    const [locked, voided] = await numbersOf(batch.batchId);
    await lockWithApplication(locked!);
    await voidCoupons(deps(), { kind: 'coupon', couponNumber: voided!, actor: 'operator:test' });
    const result = await exportCouponBatch(deps(), { batchId: batch.batchId, actor: 'operator:test' });
    const states = parseCsv(result.ok ? result.value.csv : new Uint8Array()).rows.map((r) => r[4]);
    expect(states).toEqual(['locked', 'void', 'available']);
  });

  it('keeps a partner name that a spreadsheet would run as a formula as text', async () => {
    const batch = await issue({ count: 2, partner: '=HYPERLINK("https://evil.example","請求書")' });
    const result = await exportCouponBatch(deps(), { batchId: batch.batchId, actor: 'operator:test' });
    const text = new TextDecoder().decode(result.ok ? result.value.csv : new Uint8Array());
    const [, row] = text.split('\r\n');
    expect(row).toMatch(/^\d{8}-\d{8},"'=HYPERLINK\(""https:\/\/evil\.example"",""請求書""\)",class2-standard,2027-03-31,available$/u);
  });

  it('answers couponBatch.unknown for an id that names no batch, and audits nothing', async () => {
    const before = await tableCounts();
    expect(await exportCouponBatch(deps(), { batchId: 'not-a-uuid', actor: 'cli' })).toEqual({ ok: false, code: 'couponBatch.unknown' });
    expect(await exportCouponBatch(deps(), { batchId: randomUUID(), actor: 'cli' })).toEqual({ ok: false, code: 'couponBatch.unknown' });
    expect(await tableCounts()).toEqual(before);
  });
});

describe(findCoupon.name, () => {
  it('shows available → locked → consumed after a submission and its final acceptance, found by a full-width 8-8 number', async () => {
    const batch = await issue({ count: 1 });
    const [number] = await numbersOf(batch.batchId);
    const applicationId = await consumeWithApplication(number!);

    const found = await findCoupon(deps(), { couponNumber: fullWidth(formatCouponNumber(number!)) });
    if (!found.ok) throw new Error(found.code);
    expect(found.value).toMatchObject({
      number,
      state: 'consumed',
      isExpired: false,
      partner: '株式会社みなと販売',
      batchId: batch.batchId,
      product: 'class2-standard',
      expiresOn: '2027-03-31',
      expiresAt: new Date('2027-03-31T15:00:00Z'),
      applicationId,
    });
    expect(found.value.history.map((e) => [e.fromState, e.toState, e.actor])).toEqual([
      [null, 'available', 'operator:test'],
      ['available', 'locked', 'applicant'],
      ['locked', 'consumed', 'system:finalise'],
    ]);
    expect(found.value.history.map((e) => e.applicationId)).toEqual([null, applicationId, applicationId]);
    const at = found.value.history.map((e) => e.at.getTime());
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('shows locked → available after a cancellation', async () => {
    const [number] = await numbersOf((await issue({ count: 1 })).batchId);
    const applicationId = await lockWithApplication(number!);
    clock.advance(10 * 60_000);
    expect((await cancelApplication(deps(), { applicationId, via: 'lookup' })).ok).toBe(true);

    const found = await findCoupon(deps(), { couponNumber: number! });
    if (!found.ok) throw new Error(found.code);
    expect(found.value).toMatchObject({ state: 'available', applicationId: null });
    expect(found.value.history.map((e) => [e.fromState, e.toState])).toEqual([
      [null, 'available'],
      ['available', 'locked'],
      ['locked', 'available'],
    ]);
  });

  it('names a malformed, a mistyped and an unknown number', async () => {
    expect(await findCoupon(deps(), { couponNumber: '1234-5678' })).toEqual({ ok: false, code: 'coupon.format' });
    expect(await findCoupon(deps(), { couponNumber: '12345678-12345671' })).toEqual({ ok: false, code: 'coupon.checksum' });
    expect(await findCoupon(deps(), { couponNumber: makeCouponNumber('000000000000001') })).toEqual({ ok: false, code: 'coupon.unknown' });
  });
});

describe(voidCoupons.name, () => {
  it('voids one available coupon, with its event and an audit entry', async () => {
    const batch = await issue({ count: 2 });
    const [number, other] = await numbersOf(batch.batchId);
    const result = await voidCoupons(deps(), { kind: 'coupon', couponNumber: formatCouponNumber(number!), actor: 'operator:admin' });
    expect(result).toEqual({ ok: true, value: { voided: 1, batchId: batch.batchId } });
    expect(await transitionsOf(number!)).toEqual([
      [null, 'available'],
      ['available', 'void'],
    ]);
    expect((await couponRow(other!)).state).toBe('available');
    const { id } = await couponRow(number!);
    expect(await auditOf('coupon.voided', id)).toEqual([
      { actor: 'operator:admin', before: { state: 'available' }, after: { state: 'void', batchId: batch.batchId, count: 1 } },
    ]);
  });

  it('refuses a locked, a consumed and a void coupon, and changes nothing', async () => {
    const [locked, consumed, voided] = await numbersOf((await issue({ count: 3 })).batchId);
    // Consumed first: finalising it makes every application an hour old final.
    await consumeWithApplication(consumed!);
    await lockWithApplication(locked!);
    await voidCoupons(deps(), { kind: 'coupon', couponNumber: voided!, actor: 'operator:admin' });
    const snapshot = async () => ({
      rows: await Promise.all([locked!, consumed!, voided!].map(couponRow)),
      events: await Promise.all([locked!, consumed!, voided!].map(transitionsOf)),
      counts: await tableCounts(),
    });
    const before = await snapshot();

    const attempt = (couponNumber: string) => voidCoupons(deps(), { kind: 'coupon', couponNumber, actor: 'operator:admin' });
    expect(await attempt(locked!)).toEqual({ ok: false, code: 'coupon.locked' });
    expect(await attempt(consumed!)).toEqual({ ok: false, code: 'coupon.consumed' });
    expect(await attempt(voided!)).toEqual({ ok: false, code: 'coupon.alreadyVoid' });
    expect(await attempt(makeCouponNumber('000000000000002'))).toEqual({ ok: false, code: 'coupon.unknown' });
    expect(await attempt('12345678')).toEqual({ ok: false, code: 'coupon.format' });
    expect(await snapshot()).toEqual(before);
  });

  it('voids the rest of a batch in one go, leaving locked and consumed coupons as they are', async () => {
    const batch = await issue({ count: 6 });
    const [locked, consumed, voided, ...rest] = await numbersOf(batch.batchId);
    // Consumed first: finalising it makes every application an hour old final.
    await consumeWithApplication(consumed!);
    await lockWithApplication(locked!);
    await voidCoupons(deps(), { kind: 'coupon', couponNumber: voided!, actor: 'operator:admin' });

    const result = await voidCoupons(deps(), { kind: 'batch', batchId: batch.batchId, actor: 'operator:admin' });
    expect(result).toEqual({ ok: true, value: { voided: 3, batchId: batch.batchId, untouched: { locked: 1, consumed: 1, void: 1 } } });
    expect((await findCouponBatch(database.db, batch.batchId))?.states).toEqual({ available: 0, locked: 1, consumed: 1, void: 4 });
    for (const number of rest) {
      expect(await transitionsOf(number)).toEqual([
        [null, 'available'],
        ['available', 'void'],
      ]);
    }
    expect((await couponRow(locked!)).state).toBe('locked');
    expect((await couponRow(consumed!)).state).toBe('consumed');
    expect(await auditOf('couponBatch.voided', batch.batchId)).toEqual([{ actor: 'operator:admin', before: null, after: { voided: 3, locked: 1, consumed: 1, void: 1 } }]);

    // Again: nothing left to void, nothing changes, nothing is audited.
    const before = await tableCounts();
    expect(await voidCoupons(deps(), { kind: 'batch', batchId: batch.batchId, actor: 'operator:admin' })).toEqual({
      ok: true,
      value: { voided: 0, batchId: batch.batchId, untouched: { locked: 1, consumed: 1, void: 4 } },
    });
    expect(await tableCounts()).toEqual(before);
  });

  it('answers couponBatch.unknown for an id that names no batch', async () => {
    expect(await voidCoupons(deps(), { kind: 'batch', batchId: 'nope', actor: 'cli' })).toEqual({ ok: false, code: 'couponBatch.unknown' });
    expect(await voidCoupons(deps(), { kind: 'batch', batchId: randomUUID(), actor: 'cli' })).toEqual({ ok: false, code: 'couponBatch.unknown' });
  });
});

describe(listCouponBatches.name, () => {
  it('lists the newest batch first, with its counts per state', async () => {
    const older = await issue({ count: 2, partner: '古い販売店' });
    clock.advance(1000);
    const newer = await issue({ count: 3, partner: '新しい販売店' });
    await voidCoupons(deps(), { kind: 'coupon', couponNumber: (await numbersOf(newer.batchId))[0]!, actor: 'cli' });
    const [first, second] = await listCouponBatches(database.db, 2);
    expect(first).toMatchObject({ id: newer.batchId, partner: '新しい販売店', count: 3, states: { available: 2, locked: 0, consumed: 0, void: 1 } });
    expect(second).toMatchObject({ id: older.batchId, partner: '古い販売店', count: 2, states: { available: 2, locked: 0, consumed: 0, void: 0 } });
  });
});

describe(listUnbatchedCouponNumbers.name, () => {
  it("keeps batches out of the demo's coupons, even a batch for a partner called demo", async () => {
    const demoCoupon = makeCouponNumber(randomPayload());
    await insertCoupons(database.db, [demoCoupon], DEMO_COUPON_PARTNER, clock.now(), 'system:demo');
    const batchNumbers = await numbersOf((await issue({ count: 3, partner: DEMO_COUPON_PARTNER })).batchId);
    const listed = await listUnbatchedCouponNumbers(database.db, DEMO_COUPON_PARTNER, 'available', 1000);
    expect(listed).toContain(demoCoupon);
    expect(listed.filter((n) => batchNumbers.includes(n))).toEqual([]);
  });
});

describe('coupon expiry', () => {
  it('refuses an expired coupon at 次へ and at submission with coupon.expired, and does not lock it', async () => {
    const batch = await issue({ count: 1, expiresOn: japanDateOf(new Date(clock.now().getTime() + 2 * DAY_MS)) });
    const [number] = await numbersOf(batch.batchId);
    const atExpiry = new FakeClock(batch.expiresAt);
    const before = await tableCounts();

    expect(await checkCoupon({ ...deps(), clock: atExpiry }, { couponNumber: number!, clientKey: clientKey() })).toEqual({ ok: false, code: 'coupon.expired' });
    expect(await applyWith(number!, atExpiry)).toEqual({ ok: false, code: 'coupon.expired' });
    expect((await couponRow(number!)).state).toBe('available');
    expect(await transitionsOf(number!)).toEqual([[null, 'available']]);
    const after = await tableCounts();
    expect(after.applications).toBe(before.applications);
    const shown = await findCoupon({ ...deps(), clock: atExpiry }, { couponNumber: number! });
    expect(shown.ok && shown.value.isExpired).toBe(true);
  });

  it('still takes it a millisecond before its expiry instant: the last day counts whole', async () => {
    const batch = await issue({ count: 1, expiresOn: japanDateOf(new Date(clock.now().getTime() + 2 * DAY_MS)) });
    const [number] = await numbersOf(batch.batchId);
    // 23:59:59.999 in Japan on the expiry date.
    const lastMoment = new FakeClock(new Date(batch.expiresAt.getTime() - 1));
    expect(japanDateOf(lastMoment.now())).toBe(batch.expiresOn);
    expect(await couponRefusalOf(database.db, number!, lastMoment.now())).toBeUndefined();
    const result = await applyWith(number!, lastMoment);
    expect(result.ok).toBe(true);
    expect((await couponRow(number!)).state).toBe('locked');
  });
});

describe('voids and locks racing for coupons', () => {
  /** What 送信 does at step 6 (submit-application.ts): the conditional lock, in a transaction of its own. */
  const lock = (number: string) =>
    database.db.transaction(async (tx) => ((await lockAvailableCoupon(tx, number, randomUUID(), clock.now(), 'applicant')) === undefined ? 'refused' : 'locked'));
  const voidOne = (number: string, i: number) => voidCoupons(deps(), { kind: 'coupon', couponNumber: number, actor: `operator:${i}` });

  it(`settles 20 parallel voids and locks of one coupon with exactly one winner and one event (${where})`, async () => {
    for (let round = 0; round < 6; round++) {
      const [number] = await numbersOf((await issue({ count: 1 })).batchId);
      // Interleaved, voids first in even rounds and locks first in odd ones.
      const attempts = Array.from({ length: 20 }, (_, i) => ((i + round) % 2 === 0 ? voidOne(number!, i) : lock(number!)));
      const results = await Promise.all(attempts);
      const voidWins = results.filter((r) => typeof r === 'object' && r.ok).length;
      const lockWins = results.filter((r) => r === 'locked').length;
      expect(voidWins + lockWins).toBe(1);

      const { id, state } = await couponRow(number!);
      expect(state).toBe(voidWins === 1 ? 'void' : 'locked');
      const transitions = await transitionsOf(number!);
      expect(transitions).toEqual([
        [null, 'available'],
        ['available', state],
      ]);
      expect(await auditOf('coupon.voided', id)).toHaveLength(voidWins);
      // The losing voids say why, in the winner's terms.
      const voidCodes = new Set(results.flatMap((r) => (typeof r === 'object' && !r.ok ? [r.code] : [])));
      expect([...voidCodes].every((c) => c === (voidWins === 1 ? 'coupon.alreadyVoid' : 'coupon.locked'))).toBe(true);
    }
  });

  it(`lets only one of 10 voids and 10 submissions have one coupon (${where})`, async () => {
    const certificates = await renewableCertificates(10);
    const [number] = await numbersOf((await issue({ count: 1 })).batchId);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? voidOne(number!, i) : renewWith(number!, certificates[(i - 1) / 2]!))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const { id, state } = await couponRow(number!);
    expect(await transitionsOf(number!)).toEqual([
      [null, 'available'],
      ['available', state],
    ]);
    const applicationsOfCoupon = await database.db.select({ id: applications.id }).from(applications).where(eq(applications.couponId, id));
    expect(applicationsOfCoupon).toHaveLength(state === 'locked' ? 1 : 0);
  });

  it(`voids the rest of a batch while its coupons are being locked: each ends locked or void, never both (${where})`, async () => {
    const batch = await issue({ count: 10 });
    const numbers = await numbersOf(batch.batchId);
    const [voided, ...locks] = await Promise.all([voidCoupons(deps(), { kind: 'batch', batchId: batch.batchId, actor: 'operator:admin' }), ...numbers.map(lock)]);
    const lockedCount = locks.filter((r) => r === 'locked').length;
    expect(voided).toMatchObject({ ok: true, value: { voided: 10 - lockedCount } });
    for (const number of numbers) {
      const [, second, ...more] = await transitionsOf(number);
      expect(more).toEqual([]);
      expect(second?.[1]).toBe((await couponRow(number)).state);
    }
    expect((await findCouponBatch(database.db, batch.batchId))?.states).toEqual({ available: 0, locked: lockedCount, consumed: 0, void: 10 - lockedCount });
  });
});

// ---------------------------------------------------------------------------

describe(registerCouponCommands.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-coupons-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Run `certdesk <args>` against the test database; commander's exit becomes a thrown CommanderError. */
  async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number; opened: number }> {
    let out = '';
    let err = '';
    let opened = 0;
    const program = new Command()
      .name('certdesk')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerCouponCommands(program, () => {
      opened += 1;
      return Promise.resolve({ db: database.db, clock, log, close: () => Promise.resolve() });
    });
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out, err, exitCode: 0, opened };
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      return { out, err, exitCode: error.exitCode, opened };
    }
  }

  const issueArgs = (count = '3') => ['coupons', 'issue', '--partner', '港販売', '--count', count, '--product', 'class2-standard', '--expires', '2027-03-31'];
  const batchIdOf = (out: string) => /^issued batch ([0-9a-f-]{36}): /u.exec(out)?.[1] ?? '';

  it('issues a batch, prints its id and count, and writes its CSV to a new file only this account can read', async () => {
    const file = path.join(dir, 'issued.csv');
    const result = await cli(...issueArgs(), '--csv', file);
    expect(result.exitCode).toBe(0);
    expect(result.out).toMatch(/^issued batch [0-9a-f-]{36}: 3 coupons of class2-standard for 港販売, usable through 2027-03-31 \(Japan time\)\nwrote 3 coupons to .*issued\.csv\n$/u);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const csv = parseCsv(fs.readFileSync(file));
    expect(csv.hasBom).toBe(true);
    expect(csv.rows.map((r) => r[0]!.replace('-', ''))).toEqual(await numbersOf(batchIdOf(result.out)));
  });

  it('refuses to overwrite a file, and then issues nothing', async () => {
    const file = path.join(dir, 'taken.csv');
    fs.writeFileSync(file, 'keep me');
    const before = await tableCounts();
    const result = await cli(...issueArgs(), '--csv', file);
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('exists already');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    expect(await tableCounts()).toEqual(before);
  });

  it('leaves no file behind when the batch is refused', async () => {
    const file = path.join(dir, 'refused.csv');
    const result = await cli(...issueArgs('0'), '--csv', file);
    expect(result.exitCode).toBe(1);
    expect(result.err).toBe('error: --count must be from 1 to 10000 (couponBatch.countOutOfRange)\n');
    expect(fs.existsSync(file)).toBe(false);
  });

  it.each([
    ['issue without --partner', ['coupons', 'issue', '--count', '3', '--product', 'class2-standard', '--expires', '2027-03-31']],
    ['an unknown option', [...issueArgs(), '--colour', 'red']],
    ['no subcommand', ['coupons']],
    ['an unknown subcommand', ['coupons', 'revoke']],
    ['show without a number', ['coupons', 'show']],
    ['export without a batch id', ['coupons', 'export']],
    ['void with neither a number nor --batch', ['coupons', 'void']],
    ['void with both', ['coupons', 'void', '4111111111111111', '--batch', randomUUID()]],
    ['an extra argument', ['coupons', 'show', '4111111111111111', 'extra']],
  ])('exits 2 on a malformed command line (%s), before opening the database', async (_what, args) => {
    const result = await cli(...args);
    expect(result).toMatchObject({ exitCode: 2, opened: 0 });
    expect(result.err).toMatch(/error/u);
  });

  it('exits 1 on a refusal and names its code', async () => {
    const [locked] = await numbersOf((await issue({ count: 1 })).batchId);
    await lockWithApplication(locked!);
    const cases: [string[], string][] = [
      [issueArgs('10001'), 'couponBatch.countOutOfRange'],
      [[...issueArgs().slice(0, -1), '2020-01-01'], 'couponBatch.expiryNotAfterToday'],
      [[...issueArgs().slice(0, -1), '31/03/2027'], 'couponBatch.expiryInvalid'],
      [['coupons', 'show', formatCouponNumber(makeCouponNumber('000000000000003'))], 'coupon.unknown'],
      [['coupons', 'show', '12345678-12345671'], 'coupon.checksum'],
      [['coupons', 'export', randomUUID()], 'couponBatch.unknown'],
      [['coupons', 'void', locked!], 'coupon.locked'],
      [['coupons', 'void', '--batch', 'nope'], 'couponBatch.unknown'],
    ];
    for (const [args, code] of cases) {
      const result = await cli(...args);
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.err, args.join(' ')).toContain(`(${code})`);
      expect(result.out).toBe('');
    }
    expect((await couponRow(locked!)).state).toBe('locked');
  });

  it('exports a batch to stdout, or to a new 0600 file', async () => {
    const batchId = batchIdOf((await cli(...issueArgs('4'))).out);
    const toStdout = await cli('coupons', 'export', batchId);
    expect(toStdout.exitCode).toBe(0);
    expect(toStdout.out.startsWith('\uFEFFクーポン番号,パートナー,商品,有効期限,状態\r\n')).toBe(true);
    expect(parseCsv(new TextEncoder().encode(toStdout.out)).rows).toHaveLength(4);

    const file = path.join(dir, 'exported.csv');
    const toFile = await cli('coupons', 'export', batchId, '--out', file);
    expect(toFile).toMatchObject({ exitCode: 0, out: `wrote 4 coupons to ${file}\n` });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file)).toEqual(Buffer.from(new TextEncoder().encode(toStdout.out)));
    expect((await cli('coupons', 'export', batchId, '--out', file)).exitCode).toBe(1);

    const refused = path.join(dir, 'unknown-batch.csv');
    expect((await cli('coupons', 'export', randomUUID(), '--out', refused)).exitCode).toBe(1);
    expect(fs.existsSync(refused)).toBe(false);
  });

  it('shows a coupon and its history as text and as JSON', async () => {
    const batchId = batchIdOf((await cli(...issueArgs('1'))).out);
    const [number] = await numbersOf(batchId);
    const text = await cli('coupons', 'show', formatCouponNumber(number!));
    expect(text.exitCode).toBe(0);
    expect(text.out).toContain(`coupon   ${formatCouponNumber(number!)}\nstate    available\npartner  港販売\nbatch    ${batchId}\nproduct  class2-standard\nexpiry   usable through 2027-03-31 (Japan time)\nhistory\n`);
    expect(text.out).toMatch(/issued → available\s+cli\n$/u);

    const json = await cli('coupons', 'show', number!, '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      number: formatCouponNumber(number!),
      state: 'available',
      isExpired: false,
      partner: '港販売',
      batchId,
      product: 'class2-standard',
      expiresOn: '2027-03-31',
      expiresAt: '2027-04-01T00:00:00+09:00',
      applicationId: null,
      history: [{ from: null, to: 'available', actor: 'cli', applicationId: null }],
    });
  });

  it('voids a coupon, then the rest of its batch', async () => {
    const batchId = batchIdOf((await cli(...issueArgs('3'))).out);
    const [first] = await numbersOf(batchId);
    expect(await cli('coupons', 'void', first!)).toMatchObject({ exitCode: 0, out: `voided 1 coupon of batch ${batchId}\n` });
    expect(await cli('coupons', 'void', '--batch', batchId)).toMatchObject({
      exitCode: 0,
      out: `voided 2 coupons of batch ${batchId}; left as they are: 0 locked, 0 consumed, 1 already void\n`,
    });
    expect((await findCouponBatch(database.db, batchId))?.states).toEqual({ available: 0, locked: 0, consumed: 0, void: 3 });
    expect((await auditOf('couponBatch.voided', batchId))[0]?.actor).toBe('cli');
  });

  it('never logs a full coupon number, at most its last four digits', async () => {
    logged = '';
    const batchId = batchIdOf((await cli(...issueArgs('2'))).out);
    const [number, other] = await numbersOf(batchId);
    await cli('coupons', 'show', number!);
    await cli('coupons', 'show', makeCouponNumber('000000000000004'));
    await cli('coupons', 'void', other!);
    await cli('coupons', 'void', other!);
    await cli('coupons', 'export', batchId);
    expect(logged).toContain(`"couponLast4":"${number!.slice(-4)}"`);
    for (const n of [number!, other!]) {
      expect(logged).not.toContain(n);
      expect(logged).not.toContain(n.slice(0, 8));
    }
    expect(logged).not.toMatch(/\d{16}|\d{8}-\d{8}/u);
  });
});

// The numbers must never reach the database's own view of the log either.
describe('audit log', () => {
  it('holds no coupon number in any entry', async () => {
    const rows = await database.db.execute(sql`select after::text as after from audit_log where action like 'coupon%'`);
    const texts = (rows as unknown as { rows: { after: string | null }[] }).rows.map((r) => r.after ?? '');
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.some((t) => /\d{16}|\d{8}-\d{8}/u.test(t))).toBe(false);
  });
});
