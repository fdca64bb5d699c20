import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, coupons } from '../../src/store/schema/tables.js';
import { removeMaintenance } from '../../src/ra/remove-maintenance.js';
import { scheduleMaintenance } from '../../src/ra/schedule-maintenance.js';
import { PortalClient } from '../support/portal-client.js';
import { couponParts, createWorld, demoSubscriber, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

const uniformMessage = '更新申請が可能な電子証明書が存在しません。';

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

/** The form as the browser would send it back: every input's current value. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    const type = /type="([^"]+)"/.exec(attrs)?.[1];
    if (type === 'radio') {
      if (/checked/.test(attrs)) fields[name] = /value="([^"]*)"/.exec(attrs)![1]!;
      continue;
    }
    fields[name] = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  const pref = /<option value="([^"]*)" selected/.exec(html);
  if (pref) fields['prefecture'] = pref[1]!;
  return fields;
}
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

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

  it('gives the session a new id once the lookup succeeds, and forgets the old one', async () => {
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const before = new Map(client.cookies);
    await client.post('/renew/search', (({ email, password, certificateCode }) => ({ email, password, certificateCode }))(demoSubscriber(world, 'renewable-expiring')));
    expect(client.lastHtml).toContain('検索結果は1件です。');
    const [name] = [...before.keys()];
    expect(client.cookies.get(name!)).not.toBe(before.get(name!));

    // The old id carries nothing any more: its form token is refused.
    const stale = new PortalClient(world.app);
    stale.cookies.set(name!, before.get(name!)!);
    const res = await stale.post('/renew/select', { certificateId: client.hidden('certificateId') }, { csrf: 'whatever-was-on-the-old-page' });
    expect(res.status).toBe(403);
  });

  it('counts a client by the address our proxy saw, whatever it writes to the left of it', async () => {
    world.clock.advance(2 * 60 * 60 * 1000);
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await world.app.request(`${client.origin}/renew/search`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'x@example.jp', password: 'guess-123', certificateCode: `AAAA-AAAA-AAAA-AAAA-AA${String(i).padStart(2, '0')}`, _csrf: client.csrf() }),
        headers: {
          cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          origin: client.origin,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `10.${i}.0.1, 203.0.113.9`,
        },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('refuses a POST without the form token', async () => {
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const { email, password, certificateCode } = demoSubscriber(world, 'renewable-expiring');
    const res = await client.post('/renew/search', { email, password, certificateCode }, { csrf: 'forged' });
    expect(res.status).toBe(403);
  });

  it('rate-limits lookups per certificate code with a clear 429 page', async () => {
    const s = demoSubscriber(world, 'too-early');
    world.clock.advance(2 * 60 * 60 * 1000); // a new window for every counter
    const client = new PortalClient(world.app);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await lookup(client, { ...s, password: `guess-${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(client.lastHtml).toContain('試行回数が上限に達しました');
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
    expect(res.status).toBe(422);
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

    const back = await client.post('/renew/back', {});
    expect(back.status).toBe(303);
    await client.get('/renew/form');
    expect(client.lastHtml).toContain('value="総務部"');
    expect(client.lastHtml).toContain(`value="${coupon.split('-')[1]}"`);

    await client.post('/renew/confirm', formFields(client.lastHtml));
    const key = client.hidden('submissionKey');
    const csrf = client.csrf();
    const sent = await client.post('/renew/submit', { submissionKey: key }, { csrf });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/renew/accepted');
    await client.get('/renew/accepted');
    expect(client.lastHtml).toContain('更新申請を仮受付しました。');
    expect(client.lastHtml).toContain('更新申請に使用したクーポン番号は一旦ロックされました。');
    const acceptance = /U\d{6}-\d{6}/.exec(client.lastHtml)?.[0];
    expect(acceptance).toBeDefined();

    // The browser's reload of the POST, and a replay, change nothing.
    const replay = await client.post('/renew/submit', { submissionKey: key }, { csrf });
    expect(replay.headers.get('location')).toBe('/renew/accepted');

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

  it('keeps a session alive while the subscriber keeps working, past the idle time', async () => {
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const fields = { ...formFields(client.lastHtml), ...couponParts(world.demo.coupons[6]!) };
    world.clock.advance(100 * 60_000);
    await client.get('/renew/form');
    world.clock.advance(100 * 60_000);
    const res = await client.post('/renew/confirm', fields);
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('この内容で更新の申請を行いますか？');
    world.clock.advance(121 * 60_000);
    expect((await client.post('/renew/back', {})).status).toBe(403); // idle for longer than two hours
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
    await client.get('/renew/form');
    await client.post('/renew/confirm', formFields(client.lastHtml));
    expect(client.lastHtml).not.toContain('取り消しができない');
  });

  it('reports a locked coupon on the coupon field and locks nothing else', async () => {
    const [lockedCoupon] = await world.database.db
      .select({ number: coupons.number })
      .from(coupons)
      .where(eq(coupons.state, 'locked'));
    expect(lockedCoupon).toBeDefined();
    const client = new PortalClient(world.app);
    await chooseRenewable(client);
    const n = lockedCoupon!.number;
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), couponPart1: n.slice(0, 8), couponPart2: n.slice(8) });
    const res = await client.post('/renew/submit', { submissionKey: client.hidden('submissionKey') });
    expect(res.status).toBe(409);
    expect(client.lastHtml).toContain('aria-invalid="true"');
    expect(client.lastHtml).toMatch(/クーポン番号[^<]*(使用中|ロック)/);
    const locked = await world.database.db.select({ id: coupons.id }).from(coupons).where(eq(coupons.state, 'locked'));
    expect(locked).toHaveLength(1);
  });
});
