import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpStepAt } from '../../src/domain/totp.js';
import { totpCodeAt } from '../../src/ra/totp-codes.js';
import { validForm } from '../domain/input/fixtures.js';
import { useServerAndBrowser } from '../support/browser.js';
import { FakeClock } from '../support/fake-clock.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';

const run = promisify(execFile);
const receiver = new SmtpReceiver();
beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
});
/** The server's clock: the test lets the hour pass, and moves TOTP steps on. */
const clock = new FakeClock(new Date());
const e2e = useServerAndBrowser({ clock, env: () => ({ SMTP_URL: receiver.url }) });

async function certdesk(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/certdesk.js', ...args], { env: { ...process.env, ...e2e.server().env }, timeout: 60_000 });
  return stdout;
}

describe('the RA console in Chromium', () => {
  it('sets up an operator from the CLI, signs in with TOTP, approves an application, and the applicant gets the code', async () => {
    // An applicant applies through the portal.
    const coupon = e2e.server().demo.coupons[6]!;
    const [couponPart1, couponPart2] = coupon.split('-');
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const applicant = await context.newPage();
    await applicant.goto(`${e2e.server().url}/new`);
    const values: Record<string, string> = { ...validForm, couponPart1: couponPart1!, couponPart2: couponPart2!, email: 'console.e2e@example.jp' };
    for (const [name, value] of Object.entries(values)) {
      if (name === 'proxyMode') continue;
      if (name === 'prefecture') await applicant.locator('#prefecture').selectOption(value);
      else await applicant.locator(`#${name}`).fill(value);
    }
    await applicant.locator('#applicationPassword').fill('Applicant-2026');
    await applicant.locator('#applicationPasswordConfirm').fill('Applicant-2026');
    await applicant.getByRole('button', { name: '次へ' }).click();
    await applicant.getByRole('button', { name: '送信' }).click();
    await applicant.waitForSelector('text=新規申請を仮受付しました。');
    const acceptanceNumber = /N\d{6}-\d{6}/.exec((await applicant.textContent('main')) ?? '')![0];
    clock.advance(61 * 60_000);

    // The first operator, from the shell: a one-time set-up link.
    const added = await certdesk('operator', 'add', '--email', 'reviewer.e2e@ca.example.jp', '--role', 'admin');
    const setupUrl = /(http:\/\/\S+\/console\/setup\/[A-Za-z0-9_-]{43})/.exec(added)![1]!;
    const page = await context.newPage();
    await page.goto(setupUrl);
    await page.getByLabel('パスワード', { exact: true }).fill('Operator-2026!');
    await page.getByLabel('パスワード(確認)').fill('Operator-2026!');
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    await page.waitForSelector('#totp-secret');
    expect(await page.locator('.qr svg').count()).toBe(1);
    await e2e.look(page, '41-console-totp');
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    const code = () => totpCodeAt(secret, totpStepAt(clock.now()));
    await page.getByLabel('認証コード(6桁)').fill(code());
    await page.getByRole('button', { name: '登録する' }).click();
    await page.waitForSelector('text=初期設定が完了しました。');

    // Sign in: password and a fresh code (the enrolment's one was used).
    clock.advance(30_000);
    await page.getByLabel('電子メールアドレス').fill('reviewer.e2e@ca.example.jp');
    await page.getByLabel('パスワード').fill('Operator-2026!');
    await page.getByLabel('認証コード(6桁)').fill(code());
    await e2e.look(page, '42-console-sign-in');
    await page.getByRole('button', { name: 'サインインする' }).click();
    await page.waitForSelector('h1:has-text("審査キュー")');
    await e2e.look(page, '43-console-queue');

    // The application is in the queue; open it, take it, approve it.
    await page.getByRole('link', { name: acceptanceNumber }).click();
    await page.waitForSelector(`h1:has-text("${acceptanceNumber}")`);
    await page.getByRole('button', { name: '審査を開始する' }).click();
    await page.waitForSelector('text=審査を開始しました。');
    await e2e.look(page, '44-console-application');
    await page.getByRole('button', { name: '承認する' }).click();
    await page.waitForSelector('text=承認しました。');

    // The applicant's mailbox: the 審査完了 mail with the certificate code and the pickup URL.
    await expect
      .poll(() => receiver.messages.find((m) => m.subject.includes('審査完了のお知らせ') && m.recipients.includes('console.e2e@example.jp')), { timeout: 60_000, interval: 500 })
      .toBeDefined();
    const mail = receiver.messages.find((m) => m.subject.includes('審査完了のお知らせ'))!;
    expect(mail.subject).toBe(`【certdesk】新規申請 審査完了のお知らせ(受付番号: ${acceptanceNumber})`);
    expect(mail.text).toMatch(/証明書コード: [0-9A-Z]{4}(-[0-9A-Z]{4}){5}/);
    expect(mail.text).toContain(`${e2e.server().url}/pickup`);

    // The audit log shows what happened, by whom.
    await page.getByRole('link', { name: '監査ログ' }).click();
    await page.waitForSelector('text=application.approved');
    await e2e.look(page, '45-console-audit');

    // Coupons: a batch for a reseller partner, and its CSV as Excel reads it (UTF-8 with BOM).
    await page.getByRole('link', { name: 'クーポン' }).click();
    await page.getByLabel('パートナー').fill('株式会社ミナトリセール');
    await page.getByLabel('枚数').fill('50');
    await page.getByLabel('有効期限(この日まで)').fill('2027-12-31');
    await page.getByRole('button', { name: '発行する' }).click();
    await page.waitForSelector('text=バッチを発行しました。');
    await e2e.look(page, '46-console-coupon-batch');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVをダウンロード' }).click()]);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l !== '');
    expect(rows).toHaveLength(51);
    expect(rows[1]).toMatch(/^\d{8}-\d{8},株式会社ミナトリセール,/);
    await page.getByRole('link', { name: rows[1]!.split(',')[0]! }).click();
    await page.waitForSelector('h2:has-text("履歴")');
    await e2e.look(page, '47-console-coupon');

    // A certificate revoked from its page: reason, note, confirmation.
    const demo = e2e.server().demo.subscribers.find((s) => s.situation === 'renewable-expired')!;
    await page.getByRole('link', { name: '証明書', exact: true }).click();
    await page.getByLabel('メールアドレス・氏名・シリアル番号・証明書コード').fill(demo.email);
    await page.getByRole('button', { name: '検索' }).click();
    await page.locator('td.mono a').first().click();
    await page.getByLabel('失効の理由').selectOption('affiliationChanged');
    await page.getByLabel('記録(監査ログに残ります)').fill('退職のため(人事部からの依頼 #4711)');
    await page.getByLabel('この証明書を失効させます(取り消せません)').check();
    await e2e.look(page, '49-console-revoke');
    await page.getByRole('button', { name: '失効させる' }).click();
    await page.waitForSelector('text=失効させました。CRLとOCSPに反映しました。');
    await e2e.look(page, '50-console-revoked');
    await context.close();
  });

  it('shows a renewal beside the previous registration, with the changes marked', async () => {
    const subscriber = e2e.server().demo.subscribers.find((x) => x.situation === 'renewable-expiring')!;
    const [coupon1, coupon2] = e2e.server().demo.coupons[7]!.split('-');
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${e2e.server().url}/renew`);
    await page.getByLabel('電子メールアドレス').fill(subscriber.email);
    await page.getByLabel('申請パスワード').fill(subscriber.password);
    await page.getByLabel('証明書コード').fill(subscriber.certificateCode);
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByRole('button', { name: /この証明書を更新する/ }).click();
    await page.locator('#departmentJa').fill('情報システム部');
    await page.locator('#phone').fill('0452247799');
    await page.locator('#couponPart1').fill(coupon1!);
    await page.locator('#couponPart2').fill(coupon2!);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByRole('button', { name: '送信' }).click();
    await page.waitForSelector('text=更新申請を仮受付しました。');
    const acceptanceNumber = /U\d{6}-\d{6}/.exec((await page.textContent('main')) ?? '')![0];
    clock.advance(61 * 60_000);

    const added = await certdesk('operator', 'add', '--email', 'diff.e2e@ca.example.jp', '--role', 'reviewer');
    const setupUrl = /(http:\/\/\S+\/console\/setup\/[A-Za-z0-9_-]{43})/.exec(added)![1]!;
    const console = await context.newPage();
    await console.goto(setupUrl);
    await console.getByLabel('パスワード', { exact: true }).fill('Operator-2026!');
    await console.getByLabel('パスワード(確認)').fill('Operator-2026!');
    await console.getByRole('button', { name: 'パスワードを設定する' }).click();
    const secret = (await console.locator('#totp-secret').textContent())!.trim();
    await console.getByLabel('認証コード(6桁)').fill(totpCodeAt(secret, totpStepAt(clock.now())));
    await console.getByRole('button', { name: '登録する' }).click();
    clock.advance(30_000);
    await console.getByLabel('電子メールアドレス').fill('diff.e2e@ca.example.jp');
    await console.getByLabel('パスワード').fill('Operator-2026!');
    await console.getByLabel('認証コード(6桁)').fill(totpCodeAt(secret, totpStepAt(clock.now())));
    await console.getByRole('button', { name: 'サインインする' }).click();
    await console.getByRole('link', { name: acceptanceNumber }).click();
    await console.waitForSelector('text=前回から 2 項目の変更');
    expect(await console.locator('td.changed').allTextContents()).toEqual(expect.arrayContaining(['総務部', '情報システム部', '0452247712', '0452247799']));
    await e2e.look(console, '48-console-renewal-diff');
    await context.close();
  });
});
