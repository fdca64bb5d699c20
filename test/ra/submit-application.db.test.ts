import { insertRenewableStandIn } from '../support/stand-in-certificate.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCouponNumber } from '../../src/domain/input/registration.js';
import { DAY_MS } from '../../src/domain/renewal-window.js';
import { PasswordHasher } from '../../src/ra/application-password.js';
import { submitApplication } from '../../src/ra/submit-application.js';
import { isSubmissionAllowed } from '../../src/ra/submission-limit.js';
import { insertCoupons } from '../../src/store/coupon-store.js';
import { applications, couponEvents, coupons } from '../../src/store/schema/tables.js';
import { insertSubscriber } from '../../src/store/subscriber-store.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { validForm } from '../domain/input/fixtures.js';
import { FakeClock } from '../support/fake-clock.js';
import { testSite } from '../support/site.js';

const registration = {
  orgNameJa: '検証株式会社',
  orgNameKana: 'ケンショウカブシキガイシャ',
  orgNameEn: 'Kensho K.K.',
  lastNameJa: '試験',
  firstNameJa: '太郎',
  lastNameKana: 'シケン',
  firstNameKana: 'タロウ',
  lastNameEn: 'Shiken',
  firstNameEn: 'Taro',
  email: 'taro@example.jp',
};

let database: TestDatabase;
const clock = new FakeClock('2026-11-27T01:00:00Z');
const passwords = new PasswordHasher();
const deps = () => ({ db: database.db, clock, log: pino({ level: 'silent' }), site: testSite(), passwords, review: { requiredApprovals: 1, pickupCodeTtlDays: 30 } });

/** The draft a confirmation screen holds for this coupon: the form as 「次へ」 accepted it. */
const valuesFor = (couponNumber: string) => ({ ...validForm, couponPart1: couponNumber.slice(0, 8), couponPart2: couponNumber.slice(8) });
let clients = 0;
/** Every call its own client, so the per-client submission limit stays out of these tests. */
const common = (couponNumber: string, submissionKey = randomUUID()) => ({
  values: valuesFor(couponNumber),
  draftPassword: undefined,
  lang: 'ja' as const,
  submissionKey,
  clientKey: `203.0.113.${(clients++ % 250) + 1}:${clients}`,
});

/** N subscribers, each with one certificate 20 days from expiry (inside the window). */
async function renewableCertificates(n: number): Promise<{ subscriberId: string; certificateId: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const now = clock.now();
    const subscriberId = await insertSubscriber(database.db, {
      organisation: { nameJa: registration.orgNameJa, nameKana: registration.orgNameKana, nameEn: registration.orgNameEn },
      email: registration.email,
      passwordHash: 'not used here',
      registration,
      vettedAt: now,
      now,
    });
    const certificateId = await insertRenewableStandIn(database.db, { subscriberId, subjectDn: 'CN=Taro Shiken', email: registration.email, now });
    out.push({ subscriberId, certificateId });
  }
  return out;
}

async function newCoupon(): Promise<string> {
  const number = makeCouponNumber(Array.from(randomBytes(15), (b) => String(b % 10)).join(''));
  await insertCoupons(database.db, [number], 'test', clock.now(), 'test');
  return number;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(submitApplication.name, () => {
  it(`locks one coupon exactly once when 50 renewals race for it (${isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised'})`, async () => {
    const certs = await renewableCertificates(50);
    const coupon = await newCoupon();
    const results = await Promise.all(
      certs.map((c) =>
        submitApplication(deps(), {
          kind: 'renewal',
          ...c,
          ...common(coupon),
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'coupon.locked')).toHaveLength(49);

    const [row] = await database.db.select({ id: coupons.id, state: coupons.state }).from(coupons).where(eq(coupons.number, coupon));
    expect(row?.state).toBe('locked');
    const locks = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(couponEvents)
      .where(sql`${couponEvents.couponId} = ${row!.id} and ${couponEvents.toState} = 'locked'`);
    expect(Number(locks[0]?.n)).toBe(1);
    const apps = await database.db.select({ id: applications.id }).from(applications).where(eq(applications.couponId, row!.id));
    expect(apps).toHaveLength(1);
  });

  it('turns 20 concurrent replays of one submission into one application', async () => {
    const [cert] = await renewableCertificates(1);
    const coupon = await newCoupon();
    const submissionKey = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        submitApplication(deps(), {
          kind: 'renewal', ...cert!, ...common(coupon, submissionKey) }),
      ),
    );
    const ids = new Set(results.map((r) => (r.ok ? r.value.id : r.code)));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('allows one renewal per certificate even with two coupons racing', async () => {
    const [cert] = await renewableCertificates(1);
    const coupons2 = [await newCoupon(), await newCoupon()];
    const results = await Promise.all(
      coupons2.map((couponNumber) =>
        submitApplication(deps(), {
          kind: 'renewal', ...cert!, ...common(couponNumber) }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'renewal.notAvailable')).toHaveLength(1);
    // The losing coupon was not left locked.
    const states = await database.db.select({ state: coupons.state }).from(coupons).where(sql`${coupons.number} in (${coupons2[0]}, ${coupons2[1]})`);
    expect(states.map((s) => s.state).sort()).toEqual(['available', 'locked']);
  });

  it('answers coupon.unknown for a number nobody issued and locks nothing', async () => {
    const [cert] = await renewableCertificates(1);
    const result = await submitApplication(deps(), {
          kind: 'renewal',
      ...cert!,
      ...common(makeCouponNumber('999999999999999')),
    });
    expect(result).toEqual({ ok: false, code: 'coupon.unknown' });
  });

  it('locks a coupon until its expiry instant and answers coupon.expired from then on, locking nothing', async () => {
    const [first, second] = await renewableCertificates(2);
    const coupon = await newCoupon();
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    await database.db.update(coupons).set({ expiresAt }).where(eq(coupons.number, coupon));

    const refused = await submitApplication({ ...deps(), clock: new FakeClock(expiresAt) }, { kind: 'renewal', ...first!, ...common(coupon) });
    expect(refused).toEqual({ ok: false, code: 'coupon.expired' });
    const [row] = await database.db.select({ id: coupons.id, state: coupons.state }).from(coupons).where(eq(coupons.number, coupon));
    expect(row?.state).toBe('available');
    const events = await database.db.select({ toState: couponEvents.toState }).from(couponEvents).where(eq(couponEvents.couponId, row!.id));
    expect(events.map((e) => e.toState)).toEqual(['available']);

    const justInTime = await submitApplication(
      { ...deps(), clock: new FakeClock(new Date(expiresAt.getTime() - 1)) },
      { kind: 'renewal', ...second!, ...common(coupon) },
    );
    expect(justInTime.ok).toBe(true);
  });

  it('refuses a certificate outside its window', async () => {
    const [cert] = await renewableCertificates(1);
    const coupon = await newCoupon();
    const later = new FakeClock(new Date(clock.now().getTime() + 386 * DAY_MS));
    const result = await submitApplication(
      { ...deps(), clock: later },
      { kind: 'renewal', ...cert!, ...common(coupon) },
    );
    expect(result).toEqual({ ok: false, code: 'renewal.notAvailable' });
  });
});

describe(isSubmissionAllowed.name, () => {
  it('allows 20 submissions per client and hour, then refuses until the hour is over', async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 21; i++) results.push(await isSubmissionAllowed(deps(), '198.51.100.7'));
    expect(results.slice(0, 20).every(Boolean)).toBe(true);
    expect(results[20]).toBe(false);
    expect(await isSubmissionAllowed(deps(), '198.51.100.8')).toBe(true);
    clock.advance(60 * 60 * 1000 + 1);
    expect(await isSubmissionAllowed(deps(), '198.51.100.7')).toBe(true);
  });
});
