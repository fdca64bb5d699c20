import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordHasher, PasswordWorkOverloaded } from '../../src/ra/application-password.js';
import { couponRefusalCeiling } from '../../src/ra/coupon-answers.js';
import { findRenewableCertificates } from '../../src/ra/find-renewable-certificates.js';
import { lookupLimits } from '../../src/ra/lookup-guard.js';
import { removeMaintenance } from '../../src/ra/remove-maintenance.js';
import { scheduleMaintenance } from '../../src/ra/schedule-maintenance.js';
import { applications, coupons, outboxMessages, sessions } from '../../src/store/schema/tables.js';
import { FORM_BODY_LIMIT_BYTES } from '../../src/web/form-guard.js';
import { formatCouponNumber, makeCouponNumber } from '../../src/domain/input/registration.js';
import { insertCoupons } from '../../src/store/coupon-store.js';
import { validForm } from '../domain/input/fixtures.js';
import { formFields, PortalClient } from '../support/portal-client.js';
import { couponParts, createWorld, demoSubscriber, type World } from '../support/world.js';

/**
 * Issue #6: each defect an outside attack found, as a test that failed before its fix.
 * One world for the file; tests that need a fresh limit window move the clock past it.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
  // Coupons handed out by freshCoupon() exist by the time a request reaches the app.
  const request = world.app.request.bind(world.app);
  world.app.request = (async (...args: Parameters<typeof request>) => {
    await issueCoupons();
    return request(...args);
  }) as typeof world.app.request;
});
afterAll(async () => {
  await world?.close();
});

const origin = 'http://127.0.0.1:3000';
const HOUR = 60 * 60 * 1000;
const sessionCount = async () => (await world.database.db.select({ idHash: sessions.idHash }).from(sessions)).length;
const newApplication = (coupon: string, email = 'applicant@example.jp') => ({
  ...validForm,
  email,
  ...couponParts(coupon),
  applicationPassword: 'apply-pass-2026',
  applicationPasswordConfirm: 'apply-pass-2026',
});
/** A coupon nobody has used yet, 8-8 as printed on it. */
let nextCoupon = 0;
function freshCoupon(): string {
  const number = makeCouponNumber(`7${String(++nextCoupon).padStart(14, '0')}`);
  pendingCoupons.push(number);
  return formatCouponNumber(number);
}
const pendingCoupons: string[] = [];
/** Issue the coupons handed out so far before a request uses them. */
async function issueCoupons(): Promise<void> {
  await insertCoupons(world.database.db, pendingCoupons.splice(0), 'test', world.clock.now(), 'test');
}

/** Our page, not a framework's: the site's header, in the page language. */
function expectOurPage(html: string, lang: 'ja' | 'en' = 'ja') {
  expect(html).toContain(`<html lang="${lang}">`);
  expect(html).toContain('class="site-header"');
  expect(html).not.toMatch(/\bat \S+\.(ts|js):\d+|TypeError|HTTPException/);
}

describe('defect 1: open redirect', () => {
  it('answers /lang/ja?next=/..//evil.example with a path on this site', async () => {
    for (const next of ['/..//evil.example', '/%2e%2e//evil.example', '/./..//evil.example', '/\\\\evil.example']) {
      const res = await world.app.request(`${origin}/lang/ja?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location'), next).toBe('/');
    }
    const res = await world.app.request(`${origin}/lang/en?next=${encodeURIComponent('/renew')}`);
    expect(res.headers.get('location')).toBe('/renew');
  });
});

describe('defect 2: bounded bodies, no rows for visitors who posted nothing', () => {
  it('refuses a body over the limit with our 413 page before parsing it', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    const big = 'x'.repeat(10 * 1024 * 1024);
    const res = await world.app.request(`${origin}/new/confirm`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: client.csrf(), orgNameJa: big }),
      headers: { cookie: client.cookieHeader(), origin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
    expectOurPage(await res.text());
  });

  it('refuses a streamed body without Content-Length once it passes the limit', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    let sent = 0;
    const chunk = new TextEncoder().encode(`_csrf=${client.csrf()}&a=${'y'.repeat(16 * 1024)}`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 50 MB if read to the end; the guard stops long before.
        if (sent > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const res = await world.app.request(`${origin}/new/confirm`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { cookie: client.cookieHeader(), origin, 'content-type': 'application/x-www-form-urlencoded' },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(FORM_BODY_LIMIT_BYTES * 4);
  });

  it('stores no value longer than its field allows', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', { ...newApplication(freshCoupon()), city: '区'.repeat(3000) });
    expect(client.lastHtml).toContain('勤務先住所の市区町村は60文字以内で入力してください。');
    const rows = await world.database.db.select({ data: sessions.data }).from(sessions);
    const longest = Math.max(...rows.map((r) => JSON.stringify(r.data).length));
    expect(longest).toBeLessThan(4000);
  });

  it('writes no session row for cookieless GETs and HEADs of the forms', async () => {
    const before = await sessionCount();
    for (let i = 0; i < 75; i++) {
      for (const path of ['/new', '/renew', '/cancel', '/status']) {
        const res = await world.app.request(`${origin}${path}`, { method: i % 2 === 0 ? 'GET' : 'HEAD' });
        expect(res.status).toBe(200);
      }
    }
    expect(await sessionCount()).toBe(before);
  });

  it('writes no session row for a failed lookup either', async () => {
    const before = await sessionCount();
    const client = new PortalClient(world.app);
    await client.get('/cancel');
    await client.post('/cancel/search', { acceptanceNumber: 'N000000-000000', email: 'x@example.jp', password: 'nothing-1' });
    expect(client.lastHtml).toContain('取り消しが可能な申請が見つかりません。');
    expect(await sessionCount()).toBe(before);
  });
});

describe('defect 3: client errors keep their status and get our page', () => {
  it('answers a cross-site POST with 403 and a way to start again', async () => {
    const res = await world.app.request(`${origin}/renew/search`, {
      method: 'POST',
      body: 'email=a',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });
    expect(res.status).toBe(403);
    const html = await res.text();
    expectOurPage(html);
    expect(html).toContain('最初からやり直す');
  });

  it('answers a POST from another name of this host with 403 and a link to the site as configured', async () => {
    const res = await world.app.request('http://localhost:3000/renew/search', {
      method: 'POST',
      body: 'email=a',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('href="http://127.0.0.1:3000/"');
  });

  it('accepts our own form under no-referrer: Origin null with Sec-Fetch-Site same-origin', async () => {
    const client = new PortalClient(world.app);
    await client.get('/cancel');
    const res = await world.app.request(`${origin}/cancel/search`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: client.csrf(), acceptanceNumber: 'N1', email: 'a@example.jp', password: 'x' }),
      headers: { cookie: client.cookieHeader(), origin: 'null', 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
  });

  it('answers a POST without Origin or Sec-Fetch-Site, and one with a JSON body, with 403', async () => {
    const plain = await world.app.request(`${origin}/renew/search`, { method: 'POST', body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(plain.status).toBe(403);
    const json = await world.app.request(`${origin}/renew/search`, { method: 'POST', body: '{"email":"a"}', headers: { origin, 'content-type': 'application/json' } });
    expect(json.status).toBe(403);
    expectOurPage(await json.text());
  });

  it('answers a broken multipart body with 400', async () => {
    const res = await world.app.request(`${origin}/renew/search`, {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nunterminated',
      headers: { origin, 'content-type': 'multipart/form-data; boundary=xyz' },
    });
    expect(res.status).toBe(400);
    expectOurPage(await res.text());
  });

  it('answers in English for an English visitor', async () => {
    const res = await world.app.request(`${origin}/renew/search`, { method: 'POST', body: 'a=b', headers: { origin: 'https://evil.example', cookie: 'lang=en', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(403);
    expectOurPage(await res.text(), 'en');
  });
});

describe('defect 4: NUL and what PostgreSQL refuses', () => {
  it('turns a NUL in any field into a field error, keeps the rest, and keeps the session', async () => {
    const client = new PortalClient(world.app);
    const s = demoSubscriber(world, 'renewable-expiring');
    await client.get('/renew');
    await client.post('/renew/search', { email: s.email, password: s.password, certificateCode: s.certificateCode });
    await client.post('/renew/select', { certificateId: client.hidden('certificateId') });
    const fields = { ...formFields(client.lastHtml), city: '中央\u0000区', street: '銀座\uD800一丁目', ...couponParts(freshCoupon()) };
    const res = await client.post('/renew/confirm', fields);
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('勤務先住所の市区町村に使用できない文字目に見えない文字(改行・タブなど)が含まれています。');
    expect(client.lastHtml).toContain('勤務先住所の地域・番地に使用できない文字');
    expect(client.lastHtml).toContain('value="0452247712"');
    // Still identified: the form is there, not the lookup.
    await client.get('/renew/form');
    expect(client.lastHtml).toContain('更新申請情報の入力');
  });

  it('answers lookups with NUL in every field uniformly, without a 500', async () => {
    const client = new PortalClient(world.app);
    await client.get('/renew');
    const res = await client.post('/renew/search', { email: 'a\u0000@example.jp', password: '\u0000', certificateCode: 'AAAA\u0000' });
    expect(res.status).toBe(200);
    expect(client.lastHtml).toContain('更新申請が可能な電子証明書が存在しません。');
  });
});

describe('defect 5: Post/Redirect/Get on every step', () => {
  it('answers every POST of a new application with 303 to a page of ours', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    const coupon = freshCoupon();
    const invalid = await client.post('/new/confirm', { ...newApplication(coupon), phone: '12' }, { follow: false });
    expect([invalid.status, invalid.headers.get('location')]).toEqual([303, '/new']);
    await client.get('/new');
    const valid = await client.post('/new/confirm', newApplication(coupon), { follow: false });
    expect([valid.status, valid.headers.get('location')]).toEqual([303, '/new/confirm']);
    await client.get('/new/confirm');
    const key = client.hidden('submissionKey');
    const back = await client.post('/new/back', {}, { follow: false });
    expect([back.status, back.headers.get('location')]).toEqual([303, '/new']);
    await client.get('/new/confirm');
    const sent = await client.post('/new/submit', { submissionKey: key }, { follow: false });
    expect([sent.status, sent.headers.get('location')]).toEqual([303, '/new/accepted']);
    // Back to the confirmation, and Reload of it: our "already submitted" page.
    for (let i = 0; i < 2; i++) {
      await client.get('/new/confirm');
      expect(client.lastHtml).toContain('この申請はすでに送信され、仮受付されています。');
    }
  });

  it('shows a second tab\'s older confirmation as expired, not as a second application', async () => {
    const tab = new PortalClient(world.app);
    await tab.get('/new');
    await tab.post('/new/confirm', newApplication(freshCoupon(), 'tabs@example.jp'));
    const oldKey = tab.hidden('submissionKey');
    await tab.post('/new/back', {});
    await tab.post('/new/confirm', { ...formFields(tab.lastHtml), departmentJa: '開発部' });
    const res = await tab.post('/new/submit', { submissionKey: oldKey });
    expect(res.status).toBe(409);
    const rows = await world.database.db.select({ id: applications.id }).from(applications).where(eq(applications.email, 'tabs@example.jp'));
    expect(rows).toHaveLength(0);
  });
});

describe('defect 6: argon2 only at 送信, and bounded', () => {
  it('hashes nothing at 「次へ」 and once at 「送信」', async () => {
    const hash = vi.spyOn(world.web.passwords, 'hash');
    try {
      const client = new PortalClient(world.app);
      await client.get('/new');
      const form = newApplication(freshCoupon(), 'hash-count@example.jp');
      for (let i = 0; i < 3; i++) {
        await client.post('/new/confirm', form);
        await client.post('/new/back', {});
      }
      expect(hash).not.toHaveBeenCalled();
      // After 戻る the password need not be typed again: the sealed one is used.
      await client.post('/new/confirm', { ...formFields(client.lastHtml), applicationPassword: '', applicationPasswordConfirm: '' });
      await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
      expect(client.lastHtml).toContain('新規申請を仮受付しました。');
      expect(hash).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
    }
  });

  it('never keeps the password readable in the session row', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), 'sealed@example.jp'));
    const rows = await world.database.db.select({ data: sessions.data }).from(sessions);
    expect(rows.some((r) => JSON.stringify(r.data).includes('sealed@example.jp'))).toBe(true);
    expect(rows.some((r) => JSON.stringify(r.data).includes('apply-pass-2026'))).toBe(false);
  });

  it('runs at most `concurrency` hashes at once and refuses beyond the queue', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, queue: 1 });
    const first = hasher.hash('one-pass-1');
    const second = hasher.hash('two-pass-2');
    expect(hasher.load).toEqual({ running: 1, waiting: 1 });
    await expect(hasher.hash('three-pass-3')).rejects.toBeInstanceOf(PasswordWorkOverloaded);
    await Promise.all([first, second]);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });

  it('answers a lookup with 503 and Retry-After when the queue is full', async () => {
    const busy = await createWorld({ passwordLimits: { concurrency: 1, queue: 0 } });
    try {
      // Keep the one slot taken until the lookup has answered: one hash alone could end before
      // the lookup asks (on a slower database it did), so the next starts as each one ends.
      let isLookupDone = false;
      const blockers = [
        (async () => {
          while (!isLookupDone) await busy.web.passwords.hash('block-pass-1');
        })(),
      ];
      const client = new PortalClient(busy.app);
      await client.get('/cancel');
      const res = await client.post('/cancel/search', { acceptanceNumber: 'N1', email: 'a@example.jp', password: 'x' });
      isLookupDone = true;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expectOurPage(client.lastHtml);
      expect(client.lastHtml).toContain('ただいま混み合っています');
      await Promise.all(blockers);
    } finally {
      await busy.close();
    }
  });
});

describe('defect 7: sessions', () => {
  it('gives every 「次へ」 a fresh session id: a planted session sees nothing typed after it', async () => {
    // The attacker makes a session with a draft in it (an invalid form), then plants its cookies.
    const attacker = new PortalClient(world.app);
    await attacker.get('/new');
    await attacker.post('/new/confirm', { ...newApplication(freshCoupon(), 'attacker@example.jp'), phone: '1' });
    const planted = new Map(attacker.cookies);
    const victim = new PortalClient(world.app);
    for (const [name, value] of planted) victim.cookies.set(name, value);
    await victim.get('/new');
    await victim.post('/new/confirm', { ...formFields(victim.lastHtml), ...newApplication(freshCoupon(), 'victim@example.jp') });
    expect(victim.lastHtml).toContain('victim@example.jp');
    const sessionCookie = [...planted.keys()].find((name) => !name.endsWith('-form'))!;
    expect(victim.cookies.get(sessionCookie)).not.toBe(planted.get(sessionCookie));
    await attacker.get('/new/confirm');
    expect(attacker.lastHtml).not.toContain('victim@example.jp');
    await attacker.get('/new');
    expect(attacker.lastHtml).not.toContain('victim@example.jp');
  });

  it('keeps the forms of other tabs working when the session id changes', async () => {
    const browser = new PortalClient(world.app);
    await browser.get('/new');
    const firstTabToken = browser.csrf();
    // Another tab posts 次へ (the id rotates), then the first tab posts its long form.
    await browser.post('/new/confirm', { ...newApplication(freshCoupon(), 'tab2@example.jp'), phone: '1' });
    const res = await browser.post('/new/confirm', newApplication(freshCoupon(), 'tab1@example.jp'), { csrf: firstTabToken });
    expect(res.status).toBe(200);
    expect(browser.lastHtml).toContain('この内容で新規の申請を行いますか？');
  });

  it('accepts a long form posted after the session expired, as a new session', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    world.clock.advance(45 * 60_000);
    await client.post('/new/confirm', newApplication(freshCoupon(), 'slow-typist@example.jp'));
    expect(client.lastHtml).toContain('この内容で新規の申請を行いますか？');
  });

  it('ends a session on 「お手続きを終了する」', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), 'ending@example.jp'));
    await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
    expect(client.lastHtml).toContain('お手続きを終了する');
    const before = await sessionCount();
    await client.post('/session/end', {});
    expect(client.lastHtml).toContain('お手続きを終了しました');
    expect(await sessionCount()).toBe(before - 1);
    await client.get('/new/accepted');
    expect(client.lastRedirects).toEqual(['/new']);
    expect(client.lastHtml).not.toContain('ending@example.jp');
  });

  it('forgets a session after 30 minutes without a request, and after 8 hours however busy', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), 'idle@example.jp'));
    world.clock.advance(31 * 60_000);
    await client.get('/new/confirm');
    expect(client.lastHtml).not.toContain('idle@example.jp');

    const busy = new PortalClient(world.app);
    await busy.get('/new');
    await busy.post('/new/confirm', newApplication(freshCoupon(), 'busy@example.jp'));
    for (let i = 0; i < 16; i++) {
      world.clock.advance(29 * 60_000);
      await busy.get('/new/confirm');
    }
    expect(busy.lastHtml).toContain('busy@example.jp'); // 7 h 44 min of work: alive so far…
    world.clock.advance(29 * 60_000);
    await busy.get('/new/confirm');
    expect(busy.lastHtml).not.toContain('busy@example.jp'); // …and gone past 8 hours
  });
});

describe('defect 8: a stranger cannot stop the owner', () => {
  async function provisional(email: string) {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), email));
    await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
    const acceptanceNumber = /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
    const [row] = await world.database.db.select({ id: applications.id }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
    return { acceptanceNumber, applicationId: row!.id };
  }

  it('lets the owner cancel after eleven strangers failed from eleven addresses', async () => {
    world.clock.advance(2 * HOUR);
    const { acceptanceNumber } = await provisional('owner@example.jp');
    for (let i = 0; i < 11; i++) {
      const stranger = new PortalClient(world.app);
      stranger.address = `198.51.100.${i + 1}`;
      await stranger.get('/cancel');
      await stranger.post('/cancel/search', { acceptanceNumber, email: 'owner@example.jp', password: `guess-${i}` });
      expect(stranger.lastHtml).toContain('取り消しが可能な申請が見つかりません。');
    }
    const owner = new PortalClient(world.app);
    await owner.get('/cancel');
    await owner.post('/cancel/search', { acceptanceNumber, email: 'owner@example.jp', password: 'apply-pass-2026' });
    expect(owner.lastHtml).toContain('この申請を取り消しますか？');
  });

  it('stops one guesser after five failures, and everyone after fifty on one number, but not the mailed link', async () => {
    world.clock.advance(2 * HOUR);
    const { acceptanceNumber, applicationId } = await provisional('locked-out@example.jp');
    const guesser = new PortalClient(world.app);
    await guesser.get('/cancel');
    const statuses: number[] = [];
    for (let i = 0; i < lookupLimits.failuresPerSubjectAndClient.max + 1; i++) {
      statuses.push((await guesser.post('/cancel/search', { acceptanceNumber, email: 'x@example.jp', password: `guess-${i}` })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    for (let i = 0; i < lookupLimits.failuresPerSubject.max; i++) {
      const stranger = new PortalClient(world.app);
      stranger.address = `198.18.1.${i + 1}`;
      await stranger.get('/cancel');
      await stranger.post('/cancel/search', { acceptanceNumber, email: 'x@example.jp', password: `guess-${i}` });
    }
    const owner = new PortalClient(world.app);
    await owner.get('/cancel');
    const locked = await owner.post('/cancel/search', { acceptanceNumber, email: 'locked-out@example.jp', password: 'apply-pass-2026' });
    expect(locked.status).toBe(429);
    // Post/Redirect/Get for the refusal too; Retry-After says how long this lock lasts.
    expect(owner.lastRedirects[0]).toMatch(/^\/limited\/cancelLookup\?/);
    expect(locked.headers.get('retry-after')).toBe('3600');
    expect(owner.lastHtml).toContain('取り消し用のリンクから、今すぐ取り消すことができます');

    // The owner's way past: the one-time link in the provisional-acceptance mail.
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.provisional:${applicationId}`));
    const link = /http:\/\/127\.0\.0\.1:3000(\/cancel\/link\/[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    await owner.get(link);
    expect(owner.lastHtml).toContain('この申請を取り消しますか？');
    expect(owner.lastHtml).toContain(acceptanceNumber);
    await owner.post(link, {});
    expect(owner.lastHtml).toContain('申請を取り消しました。');
    const [row] = await world.database.db.select({ state: applications.state }).from(applications).where(eq(applications.id, applicationId));
    expect(row?.state).toBe('cancelled');
    // Used again, the link says what happened rather than cancelling twice.
    await owner.get(link);
    expect(owner.lastHtml).toContain('取り消し済みの申請です');
  });

  it('refuses the mailed link after the hour, and an unknown link with the lookup page', async () => {
    const { applicationId } = await provisional('late-link@example.jp');
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.provisional:${applicationId}`));
    const link = /(\/cancel\/link\/[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    world.clock.advance(HOUR);
    const client = new PortalClient(world.app);
    await client.get(link);
    expect(client.lastHtml).toContain('本受付となっています');
    await client.get(`/cancel/link/${'A'.repeat(43)}`);
    expect(client.lastHtml).toContain('取り消しが可能な申請が見つかりません。');
  });
});

async function provisionalElsewhere(email: string) {
  const client = new PortalClient(world.app);
  await client.get('/new');
  await client.post('/new/confirm', newApplication(freshCoupon(), email));
  await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
  return { acceptanceNumber: /N\d{6}-\d{6}/.exec(client.lastHtml)![0] };
}

describe('defect 9: per-client limits that rotation does not escape', () => {
  it('counts the failures on one number per /48, so a home network\'s many /64s are one guesser', async () => {
    world.clock.advance(2 * HOUR);
    const { acceptanceNumber } = await provisionalElsewhere('network@example.jp');
    const statuses: number[] = [];
    for (let i = 0; i <= lookupLimits.failuresPerSubjectAndClient.max; i++) {
      const client = new PortalClient(world.app);
      client.address = `2001:db8:99:${(i + 1).toString(16)}::1`;
      await client.get('/cancel');
      statuses.push((await client.post('/cancel/search', { acceptanceNumber, email: 'x@example.jp', password: `guess-${i}` })).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts every address of one IPv6 /64 as one client', async () => {
    world.clock.advance(2 * HOUR);
    const statuses: number[] = [];
    for (let i = 0; i <= lookupLimits.perClient.max; i++) {
      const client = new PortalClient(world.app);
      client.address = `2001:db8:77:1::${(i + 1).toString(16)}`;
      await client.get('/status');
      statuses.push((await client.post('/status/search', { acceptanceNumber: `N000000-${String(i).padStart(6, '0')}`, email: 'x@example.jp', password: 'nothing-1' })).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const neighbour = new PortalClient(world.app);
    neighbour.address = '2001:db8:77:2::1';
    await neighbour.get('/status');
    expect((await neighbour.post('/status/search', { acceptanceNumber: 'N000000-000001', email: 'x@example.jp', password: 'nothing-1' })).status).toBe(200);
  });

  it('answers only "cannot be checked now" past the global ceiling of coupon refusals, and still accepts a good coupon', async () => {
    world.clock.advance(2 * HOUR);
    const answers: string[] = [];
    for (let i = 0; i <= couponRefusalCeiling.max; i++) {
      const client = new PortalClient(world.app);
      client.address = `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`;
      await client.get('/new');
      // Unknown numbers with a valid check digit, from many addresses: the farm the ceiling stops.
      const unknown = `9${String(i).padStart(14, '0')}`;
      const luhn = (digits: string) => {
        let sum = 0;
        for (let k = digits.length - 1, double = true; k >= 0; k -= 1, double = !double) {
          let d = Number(digits[k]) * (double ? 2 : 1);
          if (d > 9) d -= 9;
          sum += d;
        }
        return `${digits}${(10 - (sum % 10)) % 10}`;
      };
      const number = luhn(unknown);
      await client.post('/new/confirm', { ...newApplication('00000000-00000000'), couponPart1: number.slice(0, 8), couponPart2: number.slice(8) });
      answers.push(/このクーポン番号は登録されていません|ただいまクーポン番号を確認できません/.exec(client.lastHtml)?.[0] ?? 'none');
    }
    expect(answers.slice(0, -1).every((a) => a === 'このクーポン番号は登録されていません')).toBe(true);
    expect(answers.at(-1)).toBe('ただいまクーポン番号を確認できません');
    const good = new PortalClient(world.app);
    await good.get('/new');
    await good.post('/new/confirm', newApplication(freshCoupon(), 'good-coupon@example.jp'));
    expect(good.lastHtml).toContain('この内容で新規の申請を行いますか？');
  });
});

describe('defect 10: the same work on every failed lookup', () => {
  it('runs the same statements for a wrong password as for right credentials on a certificate out of its window', async () => {
    world.clock.advance(2 * HOUR);
    const statementsOf = async (input: { email: string; password: string; certificateCode: string }, clientKey: string) => {
      const from = world.queries.length;
      const result = await findRenewableCertificates(world.ra, { ...input, clientKey, networkKey: clientKey });
      expect(result).toEqual({ ok: false, code: 'renewal.notAvailable' });
      // The statements' shape: parameters differ, the work must not.
      return world.queries.slice(from).map((q) => q.replace(/\s+/g, ' '));
    };
    const early = demoSubscriber(world, 'too-early');
    const rightButEarly = await statementsOf(early, 'timing-1');
    const wrongPassword = await statementsOf({ ...early, password: 'wrong-password-1' }, 'timing-2');
    const wrongEmail = await statementsOf({ ...early, email: 'nobody@example.jp' }, 'timing-3');
    const unknownCode = await statementsOf({ ...early, certificateCode: 'AAAA-AAAA-AAAA-AAAA-AAAA' }, 'timing-4');
    expect(wrongPassword).toEqual(rightButEarly);
    expect(wrongEmail).toEqual(rightButEarly);
    expect(unknownCode).toEqual(rightButEarly);
  });
});

describe('defect 13: configuration and HTTP edge cases', () => {
  it('does not cache a missing static file', async () => {
    const missing = await world.app.request(`${origin}/static/nothing.css`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const present = await world.app.request(`${origin}/static/app.css`);
    expect(present.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers PUT, DELETE and PATCH with 405 and Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await world.app.request(`${origin}/renew`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
      expectOurPage(await res.text());
    }
  });
});

describe('what a subscriber noticed', () => {
  it('announces the active or next window within a week on the home page and each first page', async () => {
    const now = world.clock.now();
    const ra = { db: world.database.db, clock: world.clock, log: world.log };
    const soon = await scheduleMaintenance(ra, { startsAt: new Date(now.getTime() + 3 * 24 * HOUR), endsAt: new Date(now.getTime() + 3 * 24 * HOUR + 2 * HOUR), messageJa: '定期保守' });
    expect(soon.ok).toBe(true);
    try {
      for (const path of ['/', '/new', '/renew', '/cancel']) {
        const html = await (await world.app.request(`${origin}${path}`)).text();
        expect(html, path).toContain('次の日時にシステムメンテナンスを予定しております');
        expect(html, path).toContain('href="/maintenance"');
      }
      world.clock.advance(3 * 24 * HOUR + 60_000);
      const home = await (await world.app.request(`${origin}/`)).text();
      expect(home).toContain('ただいまシステムメンテナンス中です');
    } finally {
      if (soon.ok) await removeMaintenance(ra, { windowId: soon.value.id });
    }
    const far = await scheduleMaintenance(ra, { startsAt: new Date(world.clock.now().getTime() + 8 * 24 * HOUR), endsAt: new Date(world.clock.now().getTime() + 8 * 24 * HOUR + HOUR), messageJa: '定期保守' });
    const home = await (await world.app.request(`${origin}/`)).text();
    expect(home).not.toContain('システムメンテナンスを予定しております');
    if (far.ok) await removeMaintenance(ra, { windowId: far.value.id });
  });

  it('refuses a used coupon at 「次へ」 with the same status in both flows, locking nothing', async () => {
    const [used] = await world.database.db.select({ number: coupons.number }).from(coupons).where(eq(coupons.state, 'locked'));
    const n = used!.number;
    const applicant = new PortalClient(world.app);
    await applicant.get('/new');
    const res = await applicant.post('/new/confirm', { ...newApplication('00000000-00000000'), couponPart1: n.slice(0, 8), couponPart2: n.slice(8) });
    expect([res.status, applicant.lastRedirects]).toEqual([200, ['/new']]);
    expect(applicant.lastHtml).toMatch(/クーポン番号[^<]*(使用中|ロック)/);
    const [{ n: lockedCount } = { n: 0 }] = await world.database.db.select({ n: sql<number>`count(*)::int` }).from(coupons).where(eq(coupons.state, 'locked'));
    const again = await applicant.post('/new/confirm', formFields(applicant.lastHtml));
    expect(again.status).toBe(200);
    const [{ n: after } = { n: 0 }] = await world.database.db.select({ n: sql<number>`count(*)::int` }).from(coupons).where(eq(coupons.state, 'locked'));
    expect(after).toBe(lockedCount);
  });
});

describe('found by the outside attack on the hardening', () => {
  it('serves every page in standards mode', async () => {
    for (const path of ['/', '/new', '/renew', '/nothing-here']) {
      expect((await (await world.app.request(`${origin}${path}`)).text()).startsWith('<!DOCTYPE html><html lang="ja">'), path).toBe(true);
    }
  });

  it('bounds the session rows one client can start in an hour', async () => {
    world.clock.advance(2 * HOUR);
    const address = '198.51.100.200';
    const outcomes: string[] = [];
    for (let i = 0; i < 61; i++) {
      const client = new PortalClient(world.app);
      client.address = address;
      await client.get('/new');
      await client.post('/new/confirm', { email: `flood-${i}@example.jp` });
      outcomes.push(client.lastRedirects[0] ?? '');
    }
    expect(outcomes.slice(0, 60).every((o) => o === '/new')).toBe(true);
    expect(outcomes[60]).toBe('/limited/sessions');
  });

  it('forgets the mailed cancellation link a day after the deadline', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), 'old-link@example.jp'));
    await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
    const acceptanceNumber = /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
    const [row] = await world.database.db.select({ id: applications.id }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.provisional:${row!.id}`));
    const link = /(\/cancel\/link\/[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    world.clock.advance(HOUR + 23 * HOUR);
    expect((await world.app.request(`${origin}${link}`)).status).toBe(200);
    world.clock.advance(HOUR);
    const late = await world.app.request(`${origin}${link}`);
    expect(late.status).toBe(404);
    expect(await late.text()).not.toContain(acceptanceNumber);
  });

  it('says an application cancelled meanwhile is cancelled, on its own acceptance page', async () => {
    const client = new PortalClient(world.app);
    await client.get('/new');
    await client.post('/new/confirm', newApplication(freshCoupon(), 'cancelled-meanwhile@example.jp'));
    await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
    const acceptanceNumber = /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
    await client.get('/cancel');
    await client.post('/cancel/search', { acceptanceNumber, email: 'cancelled-meanwhile@example.jp', password: 'apply-pass-2026' });
    await client.post('/cancel/confirm', {});
    await client.get('/new/accepted');
    expect(client.lastHtml).toContain('取り消し済みの申請です');
    expect(client.lastHtml).not.toContain('新規申請を仮受付しました。');
  });
});
