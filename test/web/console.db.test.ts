import 'reflect-metadata';
import { X509Crl } from '@peculiar/x509';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCouponNumber, makeCouponNumber } from '../../src/domain/input/registration.js';
import { totpStepAt } from '../../src/domain/totp.js';
import { approveApplication, rejectApplication } from '../../src/ra/decide-application.js';
import { checkPickupCredential } from '../../src/ra/pickup-credential.js';
import { changeClaim } from '../../src/ra/review-application.js';
import { totpCodeAt } from '../../src/ra/totp-codes.js';
import { insertCoupons } from '../../src/store/coupon-store.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { applications, auditLog, certificates, coupons, outboxMessages, subscribers } from '../../src/store/schema/tables.js';
import { validForm } from '../domain/input/fixtures.js';
import { enrolOperator, type Operator } from '../support/console.js';
import { PortalClient } from '../support/portal-client.js';
import { issueStoredCertificate } from '../support/stored-certificate.js';
import { couponParts, createWorld, demoSubscriber, type World } from '../support/world.js';

let world: World;
let admin: Operator;
let reviewer: Operator;
let reviewer2: Operator;

beforeAll(async () => {
  world = await createWorld();
  admin = await enrolOperator(world, 'admin@ca.example.jp', 'admin');
  reviewer = await enrolOperator(world, 'reviewer@ca.example.jp', 'reviewer');
  reviewer2 = await enrolOperator(world, 'reviewer2@ca.example.jp', 'reviewer');
});
afterAll(async () => {
  await world?.close();
});

const HOUR = 60 * 60 * 1000;
let couponSeq = 0;
async function freshCoupon(): Promise<string> {
  const number = makeCouponNumber(`8${String(++couponSeq).padStart(14, '0')}`);
  await insertCoupons(world.database.db, [number], 'パートナーA', world.clock.now(), 'test');
  return formatCouponNumber(number);
}

/** A new application through the portal, made final by the clock. */
async function finalApplication(email: string, lang: 'ja' | 'en' = 'ja'): Promise<{ id: string; acceptanceNumber: string }> {
  const client = new PortalClient(world.app);
  if (lang === 'en') client.cookies.set('lang', 'en');
  await client.get('/new');
  await client.post('/new/confirm', { ...validForm, email, ...couponParts(await freshCoupon()), applicationPassword: 'Applicant-Pass-1', applicationPasswordConfirm: 'Applicant-Pass-1' });
  await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
  const acceptanceNumber = /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
  const [row] = await world.database.db.select({ id: applications.id }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
  world.clock.advance(HOUR);
  return { id: row!.id, acceptanceNumber };
}

describe('console sign-in and sessions', () => {
  it('sends a signed-out visitor to the sign-in page, and refuses a signed-out POST', async () => {
    const stranger = new PortalClient(world.app);
    await stranger.get('/console/queue');
    expect(stranger.lastRedirects[0]).toBe('/console/sign-in?next=%2Fconsole%2Fqueue');
    expect(stranger.lastHtml).toContain('サインイン');
    await stranger.get('/console/sign-in');
    const res = await stranger.post('/console/applications/00000000-0000-0000-0000-000000000000/approve', {}, { follow: false });
    expect(res.headers.get('location')).toBe('/console/sign-in');
  });

  it('signs in with password and TOTP, and lands on the queue', async () => {
    const res = await admin.signIn();
    expect(res.status).toBe(200);
    expect(admin.client.lastRedirects).toEqual(['/console/queue']);
    expect(admin.client.lastHtml).toContain('審査キュー');
  });

  it('accepts a code one step either side, refuses two steps off, and refuses a code used before', async () => {
    const op = await enrolOperator(world, 'drift@ca.example.jp', 'reviewer');
    const tryCode = async (code: string) => {
      const c = new PortalClient(world.app);
      await c.get('/console/sign-in');
      await c.post('/console/sign-in', { email: op.email, password: op.password, code });
      return c.lastRedirects[0];
    };
    world.clock.advance(5 * 30_000);
    expect(await tryCode(op.code(+2))).toBe('/console/sign-in?done=failed');
    expect(await tryCode(op.code(-2))).toBe('/console/sign-in?done=failed');
    expect(await tryCode(op.code(-1))).toBe('/console/queue');
    // The previous step's code was used: this step's is fresh, the previous one's again is a replay.
    expect(await tryCode(op.code(-1))).toBe('/console/sign-in?done=failed');
    expect(await tryCode(op.code(0))).toBe('/console/queue');
    expect(await tryCode(op.code(0))).toBe('/console/sign-in?done=failed');
    world.clock.advance(30_000);
    expect(await tryCode(op.code(+1))).toBe('/console/queue');
  });

  it('locks an account after five failures for fifteen minutes, even for the right code, then lets it in', async () => {
    const op = await enrolOperator(world, 'locked@ca.example.jp', 'reviewer');
    const attempt = async (password: string) => {
      const c = new PortalClient(world.app);
      await c.get('/console/sign-in');
      world.clock.advance(30_000);
      await c.post('/console/sign-in', { email: op.email, password, code: op.code() });
      return c.lastRedirects[0];
    };
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong-password-${i}`)).toBe('/console/sign-in?done=failed');
    expect(await attempt(op.password)).toBe('/console/sign-in?done=failed');
    world.clock.advance(15 * 60_000);
    expect(await attempt(op.password)).toBe('/console/queue');
  });

  it('ends a console session after 30 idle minutes, and grants nothing to a portal cookie', async () => {
    const op = await enrolOperator(world, 'idle@ca.example.jp', 'reviewer');
    await op.signIn();
    world.clock.advance(31 * 60_000);
    await op.client.get('/console/queue');
    expect(op.client.lastRedirects[0]).toMatch(/^\/console\/sign-in/);

    // A portal session cookie under the console's name is not a console session.
    const visitor = new PortalClient(world.app);
    await visitor.get('/new');
    await visitor.post('/new/confirm', { email: 'x@example.jp' });
    const portalSession = [...visitor.cookies].find(([name]) => name === '__Host-certdesk')![1];
    visitor.cookies.set('__Host-certdesk-console', portalSession);
    await visitor.get('/console/queue');
    expect(visitor.lastRedirects[0]).toMatch(/^\/console\/sign-in/);
  });

  it('refuses a console POST with a forged token, and a portal token', async () => {
    await reviewer.signIn();
    const res = await reviewer.client.post('/console/sign-out', {}, { csrf: 'forged', follow: false });
    expect(res.status).toBe(403);
    const portal = new PortalClient(world.app);
    await portal.get('/new');
    const portalToken = portal.csrf();
    const res2 = await reviewer.client.post('/console/sign-out', {}, { csrf: portalToken, follow: false });
    expect(res2.status).toBe(403);
  });
});

describe('roles', () => {
  it('lets a reviewer review and look certificates up, and nothing else', async () => {
    await reviewer.signIn();
    for (const path of ['/console/queue', '/console/certificates']) {
      expect((await reviewer.client.get(path)).status, path).toBe(200);
    }
    for (const path of ['/console/maintenance', '/console/mail', '/console/audit']) {
      expect((await reviewer.client.get(path)).status, path).toBe(403);
    }
    await reviewer.client.get('/console/queue');
    const post = await reviewer.client.post('/console/maintenance', { startsAt: '2027-01-01 02:00', endsAt: '2027-01-01 03:00', messageJa: '保守' }, { follow: false });
    expect(post.status).toBe(403);
    // The menu shows only what the role may open.
    await reviewer.client.get('/console/queue');
    expect(reviewer.client.lastHtml).not.toContain('href="/console/maintenance"');
  });

  it('lets an admin open every section', async () => {
    await admin.signIn();
    for (const path of ['/console/queue', '/console/certificates', '/console/maintenance', '/console/mail', '/console/audit']) {
      expect((await admin.client.get(path)).status, path).toBe(200);
    }
  });
});

describe('review', () => {
  it('shows a final application in the queue before the job ran, oldest first, with counts', async () => {
    const first = await finalApplication('queue-1@example.jp');
    const second = await finalApplication('queue-2@example.jp');
    await reviewer.signIn();
    await reviewer.client.get('/console/queue');
    const html = reviewer.client.lastHtml;
    expect(html.indexOf(first.acceptanceNumber)).toBeGreaterThan(-1);
    expect(html.indexOf(first.acceptanceNumber)).toBeLessThan(html.indexOf(second.acceptanceNumber));
    expect(html).toMatch(/審査待ち<span class="n">\d+<\/span>/);
    await reviewer.client.get('/console/queue?sort=finalAt&dir=desc');
    expect(reviewer.client.lastHtml.indexOf(second.acceptanceNumber)).toBeLessThan(reviewer.client.lastHtml.indexOf(first.acceptanceNumber));
    await reviewer.client.get('/console/queue?kind=renewal');
    expect(reviewer.client.lastHtml).not.toContain(first.acceptanceNumber);
  });

  it('approves with a claim, makes a certificate code, and mails it in the application\'s language', async () => {
    const { id, acceptanceNumber } = await finalApplication('approve-me@example.jp', 'en');
    await reviewer.signIn();
    await reviewer.client.get(`/console/applications/${id}`);
    expect(reviewer.client.lastHtml).toContain('審査を開始する');
    await reviewer.client.post(`/console/applications/${id}/claim`, {});
    expect(reviewer.client.lastHtml).toContain('審査を開始しました。');
    await reviewer.client.post(`/console/applications/${id}/approve`, {});
    expect(reviewer.client.lastHtml).toContain('承認しました。');
    const [row] = await world.database.db.select({ state: applications.state, subscriberId: applications.subscriberId, couponId: applications.couponId }).from(applications).where(eq(applications.id, id));
    expect(row?.state).toBe('approved');
    // The job had not run: the approval did the final acceptance first, so the coupon is consumed.
    const [coupon] = await world.database.db.select({ state: coupons.state }).from(coupons).where(eq(coupons.id, row!.couponId));
    expect(coupon?.state).toBe('consumed');
    expect(await world.database.db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.final:${id}`))).toHaveLength(1);
    const [subscriber] = await world.database.db.select({ vettedAt: subscribers.vettedAt }).from(subscribers).where(eq(subscribers.id, row!.subscriberId!));
    expect(subscriber?.vettedAt?.getTime()).toBe(world.clock.now().getTime());
    const [mail] = await world.database.db.select({ subject: outboxMessages.subject, text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.approved:${id}`));
    expect(mail?.subject).toBe(`[certdesk] new application approved (acceptance number ${acceptanceNumber})`);
    const code = /Certificate code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})/.exec(mail!.text)?.[1];
    expect(code).toBeDefined();
    expect(mail!.text).toContain('http://127.0.0.1:3000/pickup');

    // The status page says 審査完了.
    const status = new PortalClient(world.app);
    await status.get('/status');
    await status.post('/status/search', { acceptanceNumber, email: 'approve-me@example.jp', password: 'Applicant-Pass-1' });
    expect(status.lastHtml).toContain('審査が完了しました。');
  });

  it('rejects with a reason, mails it, and keeps the coupon consumed', async () => {
    const { id, acceptanceNumber } = await finalApplication('reject-me@example.jp');
    await reviewer.signIn();
    await reviewer.client.post(`/console/applications/${id}/claim`, {});
    await reviewer.client.post(`/console/applications/${id}/reject`, { reason: 'identity.unverifiable', note: '在籍確認の電話がつながりませんでした。' });
    expect(reviewer.client.lastHtml).toContain('不承認にしました。');
    const [row] = await world.database.db.select({ state: applications.state, couponId: applications.couponId }).from(applications).where(eq(applications.id, id));
    expect(row?.state).toBe('rejected');
    const [coupon] = await world.database.db.select({ state: coupons.state }).from(coupons).where(eq(coupons.id, row!.couponId));
    expect(coupon?.state).toBe('consumed');
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.rejected:${id}`));
    expect(mail?.text).toContain('ご本人様の確認ができませんでした。');
    expect(mail?.text).toContain('在籍確認の電話がつながりませんでした。');
    const status = new PortalClient(world.app);
    await status.get('/status');
    await status.post('/status/search', { acceptanceNumber, email: 'reject-me@example.jp', password: 'Applicant-Pass-1' });
    expect(status.lastHtml).toContain('承認されませんでした(不承認)');
    expect(status.lastHtml).toContain('理由: ご本人様の確認ができませんでした。');
  });

  it('lets one of two operators act at a time, with a clear message to the other', async () => {
    const { id, acceptanceNumber } = await finalApplication('contested@example.jp');
    await reviewer.signIn();
    await reviewer2.signIn();
    await reviewer.client.post(`/console/applications/${id}/claim`, {});
    // The applicant's status page says 審査中 once someone has taken it up.
    const status = new PortalClient(world.app);
    await status.get('/status');
    await status.post('/status/search', { acceptanceNumber, email: 'contested@example.jp', password: 'Applicant-Pass-1' });
    expect(status.lastHtml).toContain('この申請は審査中です。');
    await reviewer2.client.post(`/console/applications/${id}/claim`, {});
    expect(reviewer2.client.lastHtml).toContain('他の担当者が審査中のため、操作できませんでした。');
    await reviewer2.client.post(`/console/applications/${id}/approve`, {});
    expect(reviewer2.client.lastHtml).toContain('他の担当者が審査中のため');
    expect(reviewer2.client.lastHtml).toContain('reviewer@ca.example.jp が審査中です');
  });

  it('decides a concurrent approve and reject of one application exactly once', async () => {
    const { id } = await finalApplication('race@example.jp');
    const operatorId = await operatorIdOf(reviewer.email);
    expect((await changeClaim(world.ra, { applicationId: id, operatorId, action: 'claim' })).ok).toBe(true);
    const [approved, rejected] = await Promise.all([
      approveApplication(world.ra, { applicationId: id, operatorId, isVettingRedone: true }),
      rejectApplication(world.ra, { applicationId: id, operatorId, reason: 'other', note: '' }),
    ]);
    expect([approved.ok, rejected.ok].filter(Boolean)).toHaveLength(1);
    const loser = approved.ok ? rejected : approved;
    expect(!loser.ok && loser.code).toBe('review.notReviewable');
    const mails = await world.database.db.select({ key: outboxMessages.dedupeKey }).from(outboxMessages);
    expect(mails.filter((m) => m.key === `application.approved:${id}` || m.key === `application.rejected:${id}`)).toHaveLength(1);
  });

  it('needs two distinct operators with four-eyes; nobody approves twice', async () => {
    const fourEyes = { ...world.ra, review: { requiredApprovals: 2, pickupCodeTtlDays: 30 } };
    const { id } = await finalApplication('four-eyes@example.jp');
    const a = await operatorIdOf(reviewer.email);
    const b = await operatorIdOf(reviewer2.email);
    expect((await changeClaim(fourEyes, { applicationId: id, operatorId: a, action: 'claim' })).ok).toBe(true);
    expect(await approveApplication(fourEyes, { applicationId: id, operatorId: a, isVettingRedone: true })).toEqual({ ok: true, value: { isComplete: false, approvals: 1 } });
    // The first approver can neither claim it again nor approve a second time.
    expect(await changeClaim(fourEyes, { applicationId: id, operatorId: a, action: 'claim' })).toEqual({ ok: false, code: 'review.alreadyApproved' });
    expect(await approveApplication(fourEyes, { applicationId: id, operatorId: a, isVettingRedone: true })).toEqual({ ok: false, code: 'review.notClaimed' });
    // Final (the first approval did the final acceptance the job had not done yet), not decided.
    const [row] = await world.database.db.select({ state: applications.state }).from(applications).where(eq(applications.id, id));
    expect(row?.state).toBe('final');
    expect((await changeClaim(fourEyes, { applicationId: id, operatorId: b, action: 'claim' })).ok).toBe(true);
    expect(await approveApplication(fourEyes, { applicationId: id, operatorId: b, isVettingRedone: true })).toEqual({ ok: true, value: { isComplete: true, approvals: 2 } });
  });

  it('ends a four-eyes review with one rejection', async () => {
    const fourEyes = { ...world.ra, review: { requiredApprovals: 2, pickupCodeTtlDays: 30 } };
    const { id } = await finalApplication('four-eyes-reject@example.jp');
    const a = await operatorIdOf(reviewer.email);
    const b = await operatorIdOf(reviewer2.email);
    await changeClaim(fourEyes, { applicationId: id, operatorId: a, action: 'claim' });
    await approveApplication(fourEyes, { applicationId: id, operatorId: a, isVettingRedone: true });
    await changeClaim(fourEyes, { applicationId: id, operatorId: b, action: 'claim' });
    expect(await rejectApplication(fourEyes, { applicationId: id, operatorId: b, reason: 'duplicate', note: '' })).toEqual({ ok: true });
    expect((await changeClaim(fourEyes, { applicationId: id, operatorId: a, action: 'claim' })).ok).toBe(false);
  });

  it('refuses a renewal whose vetting is older than 825 days unless it is vetted anew', async () => {
    const s = demoSubscriber(world, 'renewable-expiring');
    const client = new PortalClient(world.app);
    await client.get('/renew');
    await client.post('/renew/search', { email: s.email, password: s.password, certificateCode: s.certificateCode });
    await client.post('/renew/select', { certificateId: client.hidden('certificateId') });
    const { formFields } = await import('../support/portal-client.js');
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), departmentJa: '法務部', ...couponParts(await freshCoupon()) });
    await client.post('/renew/submit', { submissionKey: client.hidden('submissionKey') });
    const acceptanceNumber = /U\d{6}-\d{6}/.exec(client.lastHtml)![0];
    const [row] = await world.database.db.select({ id: applications.id, subscriberId: applications.subscriberId }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
    // The demo subscriber was vetted 345 days ago; move the vetting back past the limit.
    await world.database.db.update(subscribers).set({ vettedAt: new Date(world.clock.now().getTime() - 900 * 24 * HOUR) }).where(eq(subscribers.id, row!.subscriberId!));
    world.clock.advance(HOUR);
    await reviewer.signIn();
    await reviewer.client.get(`/console/applications/${row!.id}`);
    expect(reviewer.client.lastHtml).toContain('再利用期限');
    // The renewal's changes, side by side with the previous registration.
    expect(reviewer.client.lastHtml).toContain('前回から 1 項目の変更');
    expect(reviewer.client.lastHtml).toMatch(/<td class="changed">法務部<\/td>/);
    await reviewer.client.post(`/console/applications/${row!.id}/claim`, {});
    const operatorId = await operatorIdOf(reviewer.email);
    expect(await approveApplication(world.ra, { applicationId: row!.id, operatorId, isVettingRedone: false })).toEqual({ ok: false, code: 'review.vettingExpired' });
    expect((await approveApplication(world.ra, { applicationId: row!.id, operatorId, isVettingRedone: true })).ok).toBe(true);
  });
});

describe('the certificate code', () => {
  async function approvedWithCode(email: string): Promise<{ code: string; applicationId: string }> {
    const { id } = await finalApplication(email);
    const operatorId = await operatorIdOf(reviewer.email);
    await changeClaim(world.ra, { applicationId: id, operatorId, action: 'claim' });
    await approveApplication(world.ra, { applicationId: id, operatorId, isVettingRedone: true });
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.approved:${id}`));
    return { code: /証明書コード: ([0-9A-Z-]{29})/.exec(mail!.text)![1]!, applicationId: id };
  }

  it('expires after PICKUP_CODE_TTL_DAYS', async () => {
    const { code } = await approvedWithCode('expiring@example.jp');
    world.clock.advance(30 * 24 * HOUR - 1000);
    expect((await checkPickupCredential(world.ra, { certificateCode: code, password: 'Applicant-Pass-1' })).ok).toBe(true);
    world.clock.advance(1000);
    expect(await checkPickupCredential(world.ra, { certificateCode: code, password: 'Applicant-Pass-1' })).toEqual({ ok: false, code: 'pickup.expired' });
    // Only the password's holder learns that the code expired.
    expect(await checkPickupCredential(world.ra, { certificateCode: code, password: 'wrong-password-1' })).toEqual({ ok: false, code: 'pickup.notFound' });
  });

  it('allows five wrong passwords, then refuses even the right one', async () => {
    const { code } = await approvedWithCode('wrong-passwords@example.jp');
    for (let i = 0; i < 4; i++) expect(await checkPickupCredential(world.ra, { certificateCode: code, password: `wrong-${i}` })).toEqual({ ok: false, code: 'pickup.notFound' });
    expect(await checkPickupCredential(world.ra, { certificateCode: code, password: 'wrong-5' })).toEqual({ ok: false, code: 'pickup.locked' });
    expect(await checkPickupCredential(world.ra, { certificateCode: code, password: 'Applicant-Pass-1' })).toEqual({ ok: false, code: 'pickup.locked' });
  });

  it('is stored only as a hash', async () => {
    const { code } = await approvedWithCode('hashed@example.jp');
    const dump = JSON.stringify(await world.database.db.execute('select * from pickup_credentials'));
    expect(dump).not.toContain(code.replace(/-/g, ''));
    expect(dump).not.toContain(code);
  });
});

async function operatorIdOf(email: string): Promise<string> {
  const { operators } = await import('../../src/store/schema/tables.js');
  const [row] = await world.database.db.select({ id: operators.id }).from(operators).where(eq(operators.email, email));
  return row!.id;
}

// Keep the helper honest: the code the test computes is the code the app expects.
describe('the test authenticator', () => {
  it('computes RFC 6238 codes (the RFC\'s SHA-1 vector)', () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits: 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCodeAt(secret, totpStepAt(new Date(59_000)))).toBe('287082');
  });
});

describe('coupons in the console', () => {
  it('issues a batch, downloads it as an Excel-friendly CSV, looks a coupon up and voids it', async () => {
    await admin.signIn();
    await admin.client.get('/console/coupons');
    await admin.client.post('/console/coupons/batches', { partner: '東京リセール株式会社', count: '25', product: 'class2-standard', expiresOn: '2027-03-31' });
    expect(admin.client.lastRedirects[0]).toMatch(/^\/console\/coupons\/batches\/[0-9a-f-]{36}\?done=issued$/);
    expect(admin.client.lastHtml).toContain('バッチを発行しました。');
    const batchPath = admin.client.lastRedirects[0]!.split('?')[0]!;
    const csv = await admin.client.post(`${batchPath}/csv`, {}, { follow: false });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(26);
    const numbers = lines.slice(1).map((l) => l.split(',')[0]!);
    expect(numbers.every((n) => /^\d{8}-\d{8}$/.test(n))).toBe(true);
    expect(new Set(numbers).size).toBe(25);

    await admin.client.get(`/console/coupons/lookup?number=${numbers[0]}`);
    expect(admin.client.lastHtml).toContain('未使用');
    expect(admin.client.lastHtml).toContain('東京リセール株式会社');
    await admin.client.post('/console/coupons/void', { number: numbers[0]! });
    expect(admin.client.lastHtml).toContain('無効にしました。');
    expect(admin.client.lastHtml).toMatch(/未使用 → 無効/);
    await admin.client.get(batchPath);
    await admin.client.post(`${batchPath}/void`, {});
    expect(admin.client.lastHtml).toContain('無効にしました。');
    const voided = await world.database.db.select({ id: coupons.id }).from(coupons).where(and(eq(coupons.partner, '東京リセール株式会社'), eq(coupons.state, 'void')));
    expect(voided).toHaveLength(25);
  });

  it('keeps coupons from reviewers', async () => {
    await reviewer.signIn();
    expect((await reviewer.client.get('/console/coupons')).status).toBe(403);
    await reviewer.client.get('/console/queue');
    const res = await reviewer.client.post('/console/coupons/batches', { partner: 'x', count: '1', product: 'class2-standard', expiresOn: '2027-03-31' }, { follow: false });
    expect(res.status).toBe(403);
  });
});

describe('revocation in the console', () => {
  it('revokes a certificate with a reason and a note: audited with the operator, listed in the next CRL', async () => {
    await reviewer.signIn();
    const s = demoSubscriber(world, 'renewable-expiring');
    const [row] = await world.database.db.select().from(certificates).where(eq(certificates.email, s.email));
    await reviewer.client.get(`/console/certificates/${row!.id}`);
    expect(reviewer.client.lastHtml).toContain('失効させる');
    expect(reviewer.client.lastHtml).not.toContain('value="certificateHold"');

    // Without a note and the confirmation nothing happens.
    await reviewer.client.post(`/console/certificates/${row!.id}/revoke`, { reason: 'privilegeWithdrawn' });
    expect(reviewer.client.lastHtml).toContain('記録を入力し、確認にチェックを入れてください');
    await reviewer.client.post(`/console/certificates/${row!.id}/revoke`, { reason: 'certificateHold', note: '保留', confirm: '1' });
    expect(reviewer.client.lastHtml).toContain('失効の理由を選んでください');
    await reviewer.client.post(`/console/certificates/${row!.id}/revoke`, { reason: 'privilegeWithdrawn', note: 'あ'.repeat(1001), confirm: '1' });
    expect(reviewer.client.lastHtml).toContain('記録は1000文字以内で入力してください');
    const [still] = await world.database.db.select().from(certificates).where(eq(certificates.id, row!.id));
    expect(still?.status).toBe('valid');

    await reviewer.client.post(`/console/certificates/${row!.id}/revoke`, { reason: 'privilegeWithdrawn', note: '利用規約違反(問い合わせ #123)', confirm: '1' });
    expect(reviewer.client.lastHtml).toContain('失効させました');
    expect(reviewer.client.lastHtml).not.toContain('action="/console/certificates/' + row!.id + '/revoke"');
    const [revoked] = await world.database.db.select().from(certificates).where(eq(certificates.id, row!.id));
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'privilegeWithdrawn' });
    const [audit] = await world.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, row!.id), eq(auditLog.action, 'certificate.revoked')));
    expect(audit?.actor).toMatch(/^operator:[0-9a-f-]{36}$/);
    expect(audit?.after).toMatchObject({ reason: 'privilegeWithdrawn', note: '利用規約違反(問い合わせ #123)' });
    const crl = new X509Crl(new Uint8Array(await (await world.app.request('/pki/issuing-ca.crl')).arrayBuffer()));
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase())).toContain(row!.serialNumber.toLowerCase());

    await reviewer.client.post(`/console/certificates/${row!.id}/revoke`, { reason: 'keyCompromise', note: 'again', confirm: '1' });
    expect(reviewer.client.lastHtml).toContain('この証明書はすでに失効しています');
  });

  it('lists an expired certificate as expired, as its own page says', async () => {
    await reviewer.signIn();
    const s = demoSubscriber(world, 'renewable-expired');
    await reviewer.client.get(`/console/certificates?q=${encodeURIComponent(s.email)}`);
    expect(reviewer.client.lastHtml).toContain('<td>期限切れ(失効はしていません)</td>');
  });

  it('says so when keyCompromise took the other certificates for the key down too', async () => {
    await reviewer.signIn();
    const deps = { db: world.database.db, clock: world.clock, log: world.log, ca: world.ca };
    const { publicKey } = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const reported = await issueStoredCertificate(deps, 'console-same-key-1@example.jp', publicKey);
    const renewed = await issueStoredCertificate(deps, 'console-same-key-2@example.jp', publicKey);
    await reviewer.client.get(`/console/certificates/${reported.id}`);
    expect(reviewer.client.lastHtml).toContain('同じ鍵の証明書もすべて失効し');
    await reviewer.client.post(`/console/certificates/${reported.id}/revoke`, { reason: 'keyCompromise', note: '利用者から紛失の連絡(問い合わせ #456)', confirm: '1' });
    expect(reviewer.client.lastHtml).toContain('同じ鍵を使っているほかの証明書もあわせて失効させました');
    const [other] = await world.database.db.select().from(certificates).where(eq(certificates.id, renewed.id));
    expect(other).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
  });
});
