import { describe, expect, it } from 'vitest';
import { validForm } from '../domain/input/fixtures.js';
import { useServerAndBrowser } from '../support/browser.js';
import { FakeClock } from '../support/fake-clock.js';

/** The server runs on this clock, so the test can let an hour pass. */
const clock = new FakeClock(new Date());
const e2e = useServerAndBrowser({ clock });

describe('application status and who we are, in Chromium', () => {
  it('shows the operator everywhere, then walks an application from 仮受付 to 本受付 on the status page', async () => {
    const coupon = e2e.server().demo.coupons[3]!;
    const [couponPart1, couponPart2] = coupon.split('-');
    const password = 'status-Pass-2026';
    const operator = e2e.server().config.site.operator.name;
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();

    // The home page names the operator, with the footer's links.
    await page.goto(e2e.server().url);
    expect(await page.textContent('footer')).toContain(`© ${operator}`);
    for (const name of ['お問い合わせ', '使用条件', 'プライバシーポリシー', 'リポジトリ']) {
      expect(await page.getByRole('contentinfo').getByRole('link', { name }).count(), name).toBe(1);
    }
    await e2e.look(page, '31-home');

    // Apply, as a person would.
    await page.getByRole('link', { name: '新規申請' }).first().click();
    const values: Record<string, string> = { ...validForm, couponPart1: couponPart1!, couponPart2: couponPart2!, email: 'status.e2e@example.jp' };
    for (const [name, value] of Object.entries(values)) {
      if (name === 'proxyMode') continue;
      if (name === 'prefecture') await page.locator('#prefecture').selectOption(value);
      else await page.locator(`#${name}`).fill(value);
    }
    await page.locator('#applicationPassword').fill(password);
    await page.locator('#applicationPasswordConfirm').fill(password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('text=この内容で新規の申請を行いますか？');
    expect(await page.textContent('main')).toContain(`${operator}(以下、当社)`);
    await page.getByRole('button', { name: '送信' }).click();
    await page.waitForSelector('text=新規申請を仮受付しました。');
    const main = (await page.textContent('main')) ?? '';
    const acceptanceNumber = /N\d{6}-\d{6}/.exec(main)![0];
    expect(main).toContain('受付番号は、申請の取り消しや申請状況の確認に必要です。');
    expect(main).toContain('当社から、さきほど当申請で入力した電子メールアドレス宛に');
    await e2e.look(page, '32-accepted');

    // The mail carries the operator's signature and the one-time cancellation link.
    await page.goto(`${e2e.server().url}/dev/mail`);
    await page.getByRole('link', { name: new RegExp(acceptanceNumber) }).first().click();
    const mail = (await page.textContent('main')) ?? '';
    expect(mail).toContain(`【certdesk】新規申請 仮受付完了のお知らせ(受付番号: ${acceptanceNumber})`);
    expect(mail).toContain(operator);
    expect(mail).toContain('お問い合わせ窓口');
    expect(mail).toMatch(/\/cancel\/link\/[A-Za-z0-9_-]{43}/);
    await e2e.look(page, '33-mail');

    // 申請状況の確認: 仮受付, with the cancellation deadline.
    await page.goto(e2e.server().url);
    await page.getByRole('link', { name: '申請状況の確認' }).first().click();
    await page.getByLabel('受付番号').fill(acceptanceNumber);
    await page.getByLabel('電子メールアドレス').fill('status.e2e@example.jp');
    await page.getByLabel('申請パスワード').fill(password);
    await page.getByRole('button', { name: '検索' }).click();
    await page.waitForSelector('text=この申請は仮受付中です。');
    expect(await page.locator('[aria-current="step"]').textContent()).toContain('仮受付');
    await e2e.look(page, '34-status-provisional');

    // An hour later — no job needs to have run — the same page says 本受付.
    clock.advance(25 * 60_000);
    await page.reload();
    clock.advance(25 * 60_000);
    await page.reload();
    clock.advance(10 * 60_000);
    await page.reload();
    await page.waitForSelector('text=この申請は本受付となりました。');
    expect(await page.locator('[aria-current="step"]').textContent()).toContain('本受付');
    await e2e.look(page, '35-status-final');
    await context.close();
  });
});
