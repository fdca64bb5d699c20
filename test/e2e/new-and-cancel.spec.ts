import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { validForm } from '../domain/input/fixtures.js';
import { useServerAndBrowser } from '../support/browser.js';

const e2e = useServerAndBrowser();

/** Fill the application form as a person would, field by field. */
async function fillApplication(page: Page, coupon: string, password: string): Promise<void> {
  const [couponPart1, couponPart2] = coupon.split('-');
  const values: Record<string, string> = { ...validForm, couponPart1: couponPart1!, couponPart2: couponPart2!, email: 'new.applicant@example.jp' };
  for (const [name, value] of Object.entries(values)) {
    if (name === 'proxyMode') continue;
    if (name === 'prefecture') {
      await page.locator('#prefecture').selectOption(value);
      continue;
    }
    await page.locator(`#${name}`).fill(value);
  }
  await page.locator('#applicationPassword').fill(password);
  await page.locator('#applicationPasswordConfirm').fill(password);
}

describe('new application and cancellation in Chromium', () => {
  it('applies, cancels within the hour, and applies again with the same coupon', async () => {
    const coupon = e2e.server().demo.coupons[5]!;
    const password = 'my-Secret-2026';
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();

    await page.goto(e2e.server().url);
    await page.getByRole('link', { name: '新規申請' }).first().click();
    await page.waitForSelector('text=申請情報の入力');
    await e2e.look(page, '11-new-form');
    await fillApplication(page, coupon, password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('text=この内容で新規の申請を行いますか？');
    await e2e.look(page, '12-new-confirm');
    await page.getByRole('button', { name: '送信' }).click();
    await page.waitForSelector('text=新規申請を仮受付しました。');
    const acceptanceNumber = /N\d{6}-\d{6}/.exec((await page.textContent('main')) ?? '')![0];
    await e2e.look(page, '13-new-accepted');

    // Cancel it from the menu.
    await page.getByRole('link', { name: '新規・更新 申請の取り消し' }).first().click();
    await page.waitForSelector('text=申請の検索');
    await page.getByLabel('受付番号').fill(acceptanceNumber);
    await page.getByLabel('電子メールアドレス').fill('new.applicant@example.jp');
    await page.getByLabel('申請パスワード').fill(password);
    await e2e.look(page, '14-cancel-lookup');
    await page.getByRole('button', { name: '検索' }).click();
    await page.waitForSelector('text=この申請を取り消しますか？');
    await e2e.look(page, '15-cancel-confirm');
    await page.getByRole('button', { name: '申請を取り消す' }).click();
    await page.waitForSelector('text=申請を取り消しました。');
    await e2e.look(page, '16-cancel-done');

    // The same coupon is accepted again at once.
    await page.getByRole('link', { name: '新規申請' }).last().click();
    await page.waitForSelector('text=申請情報の入力');
    await fillApplication(page, coupon, password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByRole('button', { name: '送信' }).click();
    await page.waitForSelector('text=新規申請を仮受付しました。');
    expect(await page.textContent('main')).not.toContain(acceptanceNumber);
    await context.close();
  });

  it('suggests the address from a postal code typed in full-width digits, and only fills empty fields', async () => {
    const context = await e2e.browser().newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${e2e.server().url}/new`);
    await page.locator('#street').fill('銀座1-2-3');
    await page.locator('#postalCode').fill('１０４－００２８');
    await expect.poll(() => page.locator('#city').inputValue()).toBe('中央区');
    expect(await page.locator('#prefecture').inputValue()).toBe('東京都');
    expect(await page.locator('#street').inputValue()).toBe('銀座1-2-3');
    expect(await page.locator('#postalCode-suggestion').textContent()).toContain('郵便番号から住所を入力しました');
    await context.close();
  });
});
