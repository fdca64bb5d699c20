import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from '../support/browser.js';

const e2e = useServerAndBrowser();

describe('renewal in Chromium', () => {
  it('walks the whole renewal as a new subscriber would', async () => {
    const subscriber = e2e.server().demo.subscribers.find((s) => s.situation === 'renewable-expiring')!;
    const [coupon1, coupon2] = e2e.server().demo.coupons[0]!.split('-');
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();

    // Step 1: a wrong password gets the one uniform answer.
    await page.goto(`${e2e.server().url}/renew`);
    await e2e.look(page, '01-lookup');
    await page.getByLabel('電子メールアドレス').fill(subscriber.email);
    await page.getByLabel('申請パスワード').fill('not-my-password-1');
    await page.getByLabel('証明書コード').fill(subscriber.certificateCode);
    await page.getByRole('button', { name: '検索' }).click();
    await expect.poll(() => page.textContent('main')).toContain('更新申請が可能な電子証明書が存在しません。');
    expect(await page.textContent('main')).toContain('検索結果は0件です。');
    await e2e.look(page, '02-not-available');

    // Step 2: back; a failed lookup keeps nothing typed (a shared computer's next user), so type again.
    await page.getByRole('link', { name: '戻る' }).click();
    expect(await page.getByLabel('電子メールアドレス').inputValue()).toBe('');
    await page.getByLabel('電子メールアドレス').fill(subscriber.email);
    await page.getByLabel('証明書コード').fill(subscriber.certificateCode);
    await page.getByLabel('申請パスワード').fill(subscriber.password);
    await page.getByRole('button', { name: '検索' }).click();
    await page.waitForSelector('text=検索結果は1件です。');
    await e2e.look(page, '03-select');
    await page.getByRole('button', { name: /この証明書を更新する/ }).click();

    // Step 3: the prefilled form; edit, and make a mistake in the phone number.
    await page.waitForSelector('text=更新申請情報の入力');
    expect(await page.locator('#email').inputValue()).toBe(subscriber.email);
    await e2e.look(page, '04-form');
    await page.locator('#departmentJa').fill('情報システム部');
    await page.locator('#couponPart1').fill(coupon1!);
    await page.locator('#couponPart2').fill(coupon2!);
    await page.locator('#phone').fill('03-5000-111');
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('#phone-error').textContent()).toContain('勤務先電話番号');
    expect(await page.locator('#departmentJa').inputValue()).toBe('情報システム部');
    expect(await page.locator('#couponPart1').inputValue()).toBe(coupon1);
    await e2e.look(page, '05-form-error');
    await page.screenshot({ path: path.join('test-results/screens', 'readme-renewal-form-error.png') });

    // Step 4: fix it, confirm, go back (all kept), confirm again and send.
    await page.locator('#phone').fill('0350002222');
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('text=この内容で更新の申請を行いますか？');
    expect(await page.textContent('main')).toContain('情報システム部');
    await e2e.look(page, '06-confirm');
    await page.getByRole('button', { name: '戻る' }).click();
    await page.waitForSelector('text=更新申請情報の入力');
    expect(await page.locator('#departmentJa').inputValue()).toBe('情報システム部');
    expect(await page.locator('#phone').inputValue()).toBe('0350002222');
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('text=この内容で更新の申請を行いますか？');
    await page.getByRole('button', { name: '送信' }).click();

    // Step 5: provisional acceptance, with the acceptance number and the seed's notes.
    await page.waitForSelector('text=更新申請を仮受付しました。');
    const main = (await page.textContent('main')) ?? '';
    expect(main).toMatch(/U\d{6}-\d{6}/);
    expect(main).toContain('更新申請に使用したクーポン番号は一旦ロックされました。');
    expect(main).toContain('1時間以内であれば、当申請を取り消すことができ');
    await e2e.look(page, '07-accepted');

    // A reload of the result page shows the same application, and creates nothing.
    const acceptanceNumber = main.match(/U\d{6}-\d{6}/)![0];
    await page.reload();
    expect(await page.textContent('main')).toContain(acceptanceNumber);

    // Back lands on our page, never on the browser's "Confirm Form Resubmission" (issue #6 defect 5).
    await page.goBack();
    await page.waitForSelector('text=この申請はすでに送信され、仮受付されています。');
    expect(await page.textContent('main')).toContain(acceptanceNumber);
    await e2e.look(page, '08-back-after-send');
    await page.goBack();
    expect(await page.textContent('main')).not.toContain('ERR_CACHE_MISS');
    await page.goForward();
    await page.goForward();
    await page.waitForSelector('text=更新申請を仮受付しました。');

    // 「お手続きを終了する」 ends the session: Back shows nothing of it any more.
    await page.getByRole('button', { name: 'お手続きを終了する' }).click();
    await page.waitForSelector('text=お手続きを終了しました');
    await page.goto(`${e2e.server().url}/renew/accepted`);
    await page.waitForSelector('text=電子証明書の検索');
    expect(await page.textContent('main')).not.toContain(acceptanceNumber);
    await context.close();
  });

  it('shows the portal in English after the language switch', async () => {
    const context = await e2e.browser().newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.server().url}/renew`);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForSelector('text=Find your certificate');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await e2e.look(page, '08-lookup-en');
    await context.close();
  });
});
