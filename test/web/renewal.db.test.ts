import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, coupons } from '../../src/store/schema/tables.js';
import { removeMaintenance } from '../../src/ra/remove-maintenance.js';
import { scheduleMaintenance } from '../../src/ra/schedule-maintenance.js';
import { formFields, PortalClient } from '../support/portal-client.js';
import { validForm } from '../domain/input/fixtures.js';
import { couponParts, createWorld, demoSubscriber, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

const uniformMessage = '更新申請が可能な電子証明書が存在しません。';
const validNewApplication = { ...validForm, applicationPassword: 'new-pass-2026', applicationPasswordConfirm: 'new-pass-2026' };

async function lookup(client: PortalClient, fields: { email: string; password: string; certificateCode: string }) {
  await client.get('/renew');
  return client.post('/renew/search', { email: fields.email, password: fields.password, certificateCode: fields.certificateCode });
}

/** The page without per-request parts, to compare answers byte for byte. */
const stable = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');

async function chooseRenewable(client: PortalClient, situation = 'renewable-expiring') {
  const s = demoSubscriber(world, situation);
  await lookup(client, s);
  expect(client.lastHtml).toContain('検索結果は1件です。');
  await client.post('/renew/select', { certificateId: client.hidden('certificateId') });
  return client.get('/renew/form');
}

describe('renewal lookup', () => {
  it('answers every failed lookup with the same page', async () => {
    const ok = demoSubscriber(world, 'renewable-expiring');
    const causes = {
      wrongPassword: { ...ok, password: 'wrong-password-1' },
      wrongEmail: { ...ok, email: 'someone.else@example.jp' },
      wrongCode: { ...ok, certificateCode: 'AAAA-AAAA-AAAA-AAAA-AAAA' },
      malformedCode: { ...ok, certificateCode: 'not a code' },
      tooLate: demoSubscriber(world, 'too-late'),
      tooEarly: demoSubscriber(world, 'too-early'),
      revoked: demoSubscriber(world, 'revoked'),
    };
    const pages = new Set<string>();
    for (const fields of Object.values(causes)) {
      const client = new PortalClient(world.app);
      const res = await lookup(client, fields);
      expect(res.status).toBe(200);
      expect(client.lastHtml).toContain(uniformMessage);
      expect(client.lastHtml).toContain('検索結果は0件です。');
      pages.add(stable(client.lastHtml));
    }
    expect(pages.size).toBe(1);
  });

  it('finds a certificate expired 100 days ago', async () => {
    const client = new PortalClient(world.app);
    await lookup(client, demoSubscriber(world, 'renewable-expired'));
    expect(client.lastHtml).toContain('検索結果は1件です。');
  });

  it('accepts the certificate code typed loosely and the email in another case', async () => {
    const s = demoSubscriber(world, 'renewable-expiring');
    const client = new PortalClient(world.app);
    await lookup(client, { ...s, email: s.email.toUpperCase(), certificateCode: s.certificateCode.toLowerCase().replace(/-/g, ' ') });
    expect(client.lastHtml).toContain('検索結果は1件です。');
  });

  it('gives the session a new id once the lookup succeeds, and the old id sees nothing', async () => {
    const client = new PortalClient(world.app);
    // A session that exists before the lookup (here: a new application's draft in another tab).
    await client.get('/new');
    await client.post('/new/confirm', { email: 'x' });
    const before = new Map(client.cookies);
    await client.get('/renew');
    await client.post('/renew/search', (({ email, password, certificateCode }) => ({ email, password, certificateCode }))(demoSubscriber(world, 'renewable-expiring')));
    expect(client.lastHtml).toContain('検索結果は1件です。');
    const sessionCookie = [...before.keys()].find((name) => !name.endsWith('-form'))!;
    expect(client.cookies.get(sessionCookie)).not.toBe(before.get(sessionCookie));

    // Whoever holds the id from before the lookup (planted, or seen over a shoulder) gets nothing.
    const stale = new PortalClient(world.app);
    for (const [name, value] of before) stale.cookies.set(name, value);
    await stale.get('/renew/select');
    expect(stale.lastRedirects).toContain('/renew');
    expect(stale.lastHtml).not.toContain('検索結果は1件です。');
    await stale.get('/renew/form');
    expect(stale.lastHtml).not.toContain('demo1@example.jp');
  });

  it('keeps nothing typed after a failed lookup (the next person at a shared computer)', async () => {
    const client = new PortalClient(world.app);
    await lookup(client, { ...demoSubscriber(world, 'renewable-expiring'), password: 'wrong-password-1' });
    expect(client.lastHtml).toContain(uniformMessage);
    await client.get('/renew');
    expect(client.lastHtml).not.toContain('demo1@example.jp');
    expect(client.lastHtml).not.toContain(demoSubscriber(world, 'renewable-expiring').certificateCode);
  });

  it('counts a client by the address our proxy saw, whatever it writes to the left of it', async () => {
    world.clock.advance(2 * 60 * 60 * 1000);
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const statuses: string[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await world.app.request(`${client.origin}/renew/search`, {
        redirect: 'manual',
        method: 'POST',
        body: new URLSearchParams({ email: 'x@example.jp', password: 'guess-123', certificateCode: `AAAA-AAAA-AAAA-AAAA-AA${String(i).padStart(2, '0')}`, _csrf: client.csrf() }),
        headers: {
          cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          origin: client.origin,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `10.${i}.0.1, 203.0.113.9`,
        },
      });
      statuses.push(res.headers.get('location') ?? String(res.status));
    }
    expect(statuses.slice(0, 20).every((s) => s === '/renew/not-found')).toBe(true);
    expect(statuses[20]).toBe('/limited/lookup?from=%2Frenew&retry=900');
  });

  it('refuses a POST without the form token', async () => {
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const { email, password, certificateCode } = demoSubscriber(world, 'renewable-expiring');
    const res = await client.post('/renew/search', { email, password, certificateCode }, { csrf: 'forged' });
    expect(res.status).toBe(403);
  });

  it('stops a guesser at five failures on one code, without stopping the owner (issue #6 defect 8)', async () => {
    const s = demoSubscriber(world, 'renewable-expiring');
    world.clock.advance(2 * 60 * 60 * 1000); // a new window for every counter
    const guesser = new PortalClient(world.app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await lookup(guesser, { ...s, password: `guess-${i}` })).status);
    expect(statuses.slice(0, 5).every((status) => status === 200)).toBe(true);
    expect(statuses[5]).toBe(429);
    expect(guesser.lastHtml).toContain('試行回数が上限に達しました');

    // The owner, from their own address, still finds the certificate.
    const owner = new PortalClient(world.app);
    await lookup(owner, s);
    expect(owner.lastHtml).toContain('検索結果は1件です。');
  });

  it('bounds distributed guessing of one code: 50 failures from anywhere close it for an hour', async () => {
    const s = demoSubscriber(world, 'too-early');
    world.clock.advance(2 * 60 * 60 * 1000);
    for (let i = 0; i < 50; i++) {
      const client = new PortalClient(world.app);
      client.address = `198.18.${Math.floor(i / 200)}.${i % 200}`;
      expect((await lookup(client, { ...s, password: `guess-${i}` })).status).toBe(200);
    }
    const late = new PortalClient(world.app);
    late.address = '198.18.9.9';
    expect((await lookup(late, { ...s, password: 'guess-late' })).status).toBe(429);
    world.clock.advance(60 * 60 * 1000 + 1);
    expect((await lookup(late, { ...s, password: 'guess-late' })).status).toBe(200);
  });
});

describe('renewal form and submission', () => {
  it('prefills the previous registration and shows the names read-only', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const html = client.lastHtml;
    expect(html).toContain('value="demo1@example.jp"');
    expect(html).toContain('山田 太郎');
    expect(html).not.toContain('name="lastNameJa"');
    expect(html).not.toContain('name="orgNameJa"');
    expect(html).toContain('href="/new"');
    expect(html).toContain('クーポン番号(8桁 - 8桁)');
  });

  it('keeps every value and names the field when the phone number is wrong', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const fields = { ...formFields(client.lastHtml), phone: '03-5000-11', city: '千代田区', ...couponParts(world.demo.coupons[0]!) };
    const res = await client.post('/renew/confirm', fields);
    // Post/Redirect/Get: the errors are shown by the form's own GET (issue #6 defect 5).
    expect(client.lastRedirects).toEqual(['/renew/form']);
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('勤務先電話番号');
    expect(client.lastHtml).toContain('value="千代田区"');
    expect(client.lastHtml).toContain('value="03500011"');
    expect(client.lastHtml).toContain('aria-invalid="true"');
  });

  it('normalises full-width digits instead of rejecting them', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const fields = { ...formFields(client.lastHtml), phone: '０３−５０００−１１１１', ...couponParts(world.demo.coupons[1]!) };
    const res = await client.post('/renew/confirm', fields);
    expect(res.status).toBe(200);
    expect(client.lastRedirects).toEqual(['/renew/confirm']);
    expect(client.lastHtml).toContain('この内容で更新の申請を行いますか？');
    expect(client.lastHtml).toContain('0350001111');
  });

  it('goes back with every value kept, then submits once however often it is posted', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client, 'renewable-expired');
    const coupon = world.demo.coupons[2]!;
    const fields = { ...formFields(client.lastHtml), departmentJa: '総務部', ...couponParts(coupon) };
    await client.post('/renew/confirm', fields);
    expect(client.lastHtml).toContain('総務部');

    const back = await client.post('/renew/back', {}, { follow: false });
    expect(back.status).toBe(303);
    await client.get('/renew/form');
    expect(client.lastHtml).toContain('value="総務部"');
    expect(client.lastHtml).toContain(`value="${coupon.split('-')[1]}"`);

    await client.post('/renew/confirm', formFields(client.lastHtml));
    const key = client.hidden('submissionKey');
    const csrf = client.csrf();
    const sent = await client.post('/renew/submit', { submissionKey: key }, { csrf, follow: false });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/renew/accepted');
    await client.get('/renew/accepted');
    expect(client.lastHtml).toContain('更新申請を仮受付しました。');
    expect(client.lastHtml).toContain('更新申請に使用したクーポン番号は一旦ロックされました。');
    const acceptance = /U\d{6}-\d{6}/.exec(client.lastHtml)?.[0];
    expect(acceptance).toBeDefined();

    // The browser's reload of the POST, and a replay, change nothing.
    const replay = await client.post('/renew/submit', { submissionKey: key }, { csrf, follow: false });
    expect(replay.headers.get('location')).toBe('/renew/accepted');

    // Back from the acceptance page: the confirmation says it was sent, with the number (defect 5).
    await client.get('/renew/confirm');
    expect(client.lastHtml).toContain('この申請はすでに送信され、仮受付されています。');
    expect(client.lastHtml).toContain(acceptance!);
    expect(client.lastHtml).not.toContain('name="submissionKey"');

    const [couponRow] = await world.database.db
      .select({ id: coupons.id, state: coupons.state })
      .from(coupons)
      .where(eq(coupons.number, coupon.replace('-', '')));
    expect(couponRow?.state).toBe('locked');
    const apps = await world.database.db
      .select({ state: applications.state, acceptanceNumber: applications.acceptanceNumber, registration: applications.registration })
      .from(applications)
      .where(eq(applications.couponId, couponRow!.id));
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ state: 'provisional', acceptanceNumber: acceptance });
    expect(apps[0]!.registration['departmentJa']).toBe('総務部');
    expect(apps[0]!.registration['lastNameJa']).toBe('髙橋');

    const audit = await world.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectType, 'application'));
    expect(audit.map((a) => a.action)).toContain('application.provisionallyAccepted');

    // The certificate is no longer offered: its renewal is in progress.
    const again = new PortalClient(world.app);
    await lookup(again, demoSubscriber(world, 'renewable-expired'));
    expect(again.lastHtml).toContain(uniformMessage);
  });

  it('keeps a session alive while the subscriber keeps working, and ends it after 30 idle minutes', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const fields = { ...formFields(client.lastHtml), ...couponParts(world.demo.coupons[6]!) };
    world.clock.advance(25 * 60_000);
    await client.get('/renew/form');
    world.clock.advance(25 * 60_000);
    const res = await client.post('/renew/confirm', fields);
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('この内容で更新の申請を行いますか？');
    world.clock.advance(31 * 60_000);
    const late = await client.post('/renew/back', {});
    expect(late.status).toBe(409);
    expect(client.lastHtml).toContain('一定時間(30分)操作がなかったか');
  });

  it('warns on the confirmation screen when maintenance starts within the hour', async () => {
    const now = world.clock.now();
    const ra = { db: world.database.db, clock: world.clock, log: world.log };
    const soon = await scheduleMaintenance(ra, {
      startsAt: new Date(now.getTime() + 50 * 60_000),
      endsAt: new Date(now.getTime() + 3 * 60 * 60_000),
      messageJa: '定期保守',
    });
    expect(soon.ok).toBe(true);
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), ...couponParts(world.demo.coupons[5]!) });
    expect(client.lastHtml).toContain('この内容で更新の申請を行いますか？');
    expect(client.lastHtml).toContain('取り消しができない');
    if (soon.ok) await removeMaintenance(ra, { windowId: soon.value.id });

    await client.post('/renew/back', {});
    await client.post('/renew/confirm', formFields(client.lastHtml));
    expect(client.lastHtml).not.toContain('取り消しができない');
  });

  it('names a locked coupon already at 「次へ」, with what to do about it, and locks nothing', async () => {
    const [lockedCoupon] = await world.database.db
      .select({ number: coupons.number })
      .from(coupons)
      .where(eq(coupons.state, 'locked'));
    expect(lockedCoupon).toBeDefined();
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const n = lockedCoupon!.number;
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), couponPart1: n.slice(0, 8), couponPart2: n.slice(8) });
    expect(client.lastRedirects).toEqual(['/renew/form']);
    expect(client.lastHtml).toContain('aria-invalid="true"');
    expect(client.lastHtml).toMatch(/クーポン番号[^<]*(使用中|ロック)/);
    // A way forward: cancel one's own application within the hour, or ask the reseller (issue #9).
    expect(client.lastHtml).toContain('「新規・更新 申請の取り消し」');
    expect(client.lastHtml).toContain('クーポン再販パートナー');
    const locked = await world.database.db.select({ id: coupons.id }).from(coupons).where(eq(coupons.state, 'locked'));
    expect(locked).toHaveLength(1);
  });

  it('reports a coupon locked between 「次へ」 and 「送信」 on the coupon field, with the same status as a new application', async () => {
    const coupon = world.demo.coupons[7]!;
    const client = new PortalClient(world.app);
    await chooseRenewable(client, 'renewable-expiring');
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), ...couponParts(coupon) });
    expect(client.lastHtml).toContain('この内容で更新の申請を行いますか？');
    // Someone else locks it meanwhile, through the new-application flow.
    const other = new PortalClient(world.app);
    await other.get('/new');
    await other.post('/new/confirm', { ...validNewApplication, ...couponParts(coupon) });
    await other.post('/new/submit', { submissionKey: other.hidden('submissionKey') });
    expect(other.lastHtml).toContain('新規申請を仮受付しました。');

    const res = await client.post('/renew/submit', { submissionKey: client.hidden('submissionKey') });
    expect(client.lastRedirects).toEqual(['/renew/form']);
    expect(res.status).toBe(200);
    expect(client.lastHtml).toMatch(/クーポン番号[^<]*(使用中|ロック)/);
  });
});
