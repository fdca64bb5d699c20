import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finaliseDueApplications } from '../../src/ra/finalise-applications.js';
import { validForm } from '../domain/input/fixtures.js';
import { PortalClient } from '../support/portal-client.js';
import { couponParts, createWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

const password = 'status-pass-26';

async function apply(coupon: string, email: string): Promise<string> {
  const client = new PortalClient(world.app);
  await client.get('/new');
  await client.post('/new/confirm', { ...validForm, email, ...couponParts(coupon), applicationPassword: password, applicationPasswordConfirm: password });
  await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
  // The acceptance page says why the number matters (issue #9).
  expect(client.lastHtml).toContain('受付番号は、申請の取り消しや申請状況の確認に必要です。');
  return /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
}

describe('申請状況の確認 (SPEC 1.7)', () => {
  it('walks a new application from 仮受付 to 本受付 as the clock moves, before any job has run', async () => {
    const acceptanceNumber = await apply(world.demo.coupons[0]!, 'status@example.jp');
    const client = new PortalClient(world.app);
    await client.get('/status');
    await client.post('/status/search', { acceptanceNumber: acceptanceNumber.toLowerCase(), email: 'STATUS@example.jp', password });
    expect(client.lastRedirects).toEqual(['/status/view']);
    expect(client.lastHtml).toContain('この申請は仮受付中です。');
    expect(client.lastHtml).toMatch(/<li class="current" aria-current="step"><span class="step-name">仮受付<\/span>/);
    expect(client.lastHtml).toContain('までは、この申請を取り消すことができます。');
    expect(client.lastHtml).toContain('本受付日時(取り消し期限)');

    world.clock.advance(25 * 60 * 1000);
    await client.get('/status/view');
    expect(client.lastHtml).toContain('この申請は仮受付中です。');
    world.clock.advance(25 * 60 * 1000);
    await client.get('/status/view');
    expect(client.lastHtml).toContain('この申請は仮受付中です。');
    world.clock.advance(10 * 60 * 1000); // exactly one hour after 仮受付
    await client.get('/status/view');
    expect(client.lastHtml).toContain('この申請は本受付となりました。');
    expect(client.lastHtml).toMatch(/<li class="done"><span class="step-name">仮受付<\/span>/);
    expect(client.lastHtml).toMatch(/<li class="current" aria-current="step"><span class="step-name">本受付<\/span>/);
    expect(client.lastHtml).not.toContain('までは、この申請を取り消すことができます。');

    // The job catching up later changes nothing the subscriber sees.
    await finaliseDueApplications(world.ra);
    await client.get('/status/view');
    expect(client.lastHtml).toContain('この申請は本受付となりました。');
  });

  it('shows a cancelled application as cancelled', async () => {
    const acceptanceNumber = await apply(world.demo.coupons[1]!, 'status-cancel@example.jp');
    const canceller = new PortalClient(world.app);
    await canceller.get('/cancel');
    await canceller.post('/cancel/search', { acceptanceNumber, email: 'status-cancel@example.jp', password });
    await canceller.post('/cancel/confirm', {});
    expect(canceller.lastHtml).toContain('申請を取り消しました。');
    expect(canceller.lastHtml).toContain('新規申請を行う');

    const client = new PortalClient(world.app);
    await client.get('/status');
    await client.post('/status/search', { acceptanceNumber, email: 'status-cancel@example.jp', password });
    expect(client.lastHtml).toContain('この申請は取り消し済みです。');
    expect(client.lastHtml).toContain('取り消し日時');

    // The cancellation menu says so as a fact, not as a failure (issue #9).
    await canceller.get('/cancel');
    await canceller.post('/cancel/search', { acceptanceNumber, email: 'status-cancel@example.jp', password });
    expect(canceller.lastHtml).toContain('取り消し済みの申請です');
    expect(canceller.lastHtml).not.toContain('取り消しできません');
  });

  it('answers every mismatch with the same page, and keeps nothing typed', async () => {
    const acceptanceNumber = await apply(world.demo.coupons[2]!, 'status-uniform@example.jp');
    const pages = new Set<string>();
    for (const attempt of [
      { acceptanceNumber, email: 'status-uniform@example.jp', password: 'wrong-pass-1' },
      { acceptanceNumber, email: 'other@example.jp', password },
      { acceptanceNumber: 'N000000-000000', email: 'status-uniform@example.jp', password },
    ]) {
      const client = new PortalClient(world.app);
      await client.get('/status');
      await client.post('/status/search', attempt);
      expect(client.lastHtml).toContain('該当する申請が見つかりません。');
      expect(client.lastHtml).not.toContain('status-uniform@example.jp');
      pages.add(client.lastHtml.replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    expect(pages.size).toBe(1);
  });
});

describe('who we are (SPEC 1.8, issue #9)', () => {
  it('names the operator in the footer, the privacy note and the contact page', async () => {
    const operator = world.config.site.operator.name;
    const home = await (await world.app.request('http://127.0.0.1:3000/')).text();
    expect(home).toContain(`© ${operator}`);
    expect(home).toContain('href="/help/privacy"');
    expect(home).toContain(`href="${world.config.site.operator.supportUrl}"`);
    expect(home).toContain(`href="${world.config.site.operator.repositoryUrl}"`);
    // The header: brand, then product, each once.
    expect(home).toContain('<span class="brand-line1">certdesk</span><span class="brand-line2">個人用電子証明書 Class2 スタンダード</span>');
    const form = await (await world.app.request('http://127.0.0.1:3000/new')).text();
    expect(form).toContain(`提供いただいた情報は${operator}(以下、当社)のプライバシーポリシーに沿って`);
    const contact = await (await world.app.request('http://127.0.0.1:3000/help/contact')).text();
    expect(contact).toContain(world.config.site.operator.supportHours);
    for (const path of ['/help/repository', '/help/terms', '/help/privacy', '/help/flow']) {
      const res = await world.app.request(`http://127.0.0.1:3000${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<h1>');
    }
  });
});
