import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpStepAt } from '../../src/domain/totp.js';
import { totpCodeAt } from '../../src/ra/totp-codes.js';
import { validForm } from '../domain/input/fixtures.js';
import { useServerAndBrowser } from '../support/browser.js';
import { FakeClock } from '../support/fake-clock.js';
import { hasCertutil, nssAccepts, nssDatabaseTrusting, opensslRoundTrip, succeed, type IssuedFiles } from '../support/interop.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';

/**
 * Issue #8, done when: an application approved in the console is picked up in Chromium,
 * both .p12 files are saved, and openssl and NSS take what is in them. The server's clock
 * starts five hours back, so that after the hour of final acceptance of each of the three
 * applications the certificates are already valid by the real clock openssl and NSS read.
 */
const run = promisify(execFile);
const receiver = new SmtpReceiver();
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-pickup-e2e-'));
beforeAll(async () => {
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  fs.rmSync(temp, { recursive: true, force: true });
});
const clock = new FakeClock(new Date(Date.now() - 5 * 60 * 60_000));
const e2e = useServerAndBrowser({ clock, env: () => ({ SMTP_URL: receiver.url }) });
const PASSWORD = 'Applicant-2026';

let operatorPage: { page: Page; secret: string } | undefined;
let couponIndex = 0;

async function signInToConsole(page: Page, secret: string): Promise<void> {
  // A TOTP code works once: each sign-in takes the next step's.
  clock.advance(30_000);
  await page.getByLabel('電子メールアドレス').fill('pickup.e2e@ca.example.jp');
  await page.getByLabel('パスワード').fill('Operator-2026!');
  await page.getByLabel('認証コード(6桁)').fill(totpCodeAt(secret, totpStepAt(clock.now())));
  await page.getByRole('button', { name: 'サインインする' }).click();
  await page.waitForSelector('h1:has-text("審査キュー")');
}

/** The operator's console queue: set up from the CLI once, signed in again when the session has lapsed. */
async function consoleQueue(): Promise<Page> {
  if (operatorPage === undefined) {
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const { stdout } = await run(process.execPath, ['bin/certdesk.js', 'operator', 'add', '--email', 'pickup.e2e@ca.example.jp', '--role', 'reviewer'], { env: { ...process.env, ...e2e.server().env }, timeout: 60_000 });
    const setupUrl = /(http:\/\/\S+\/console\/setup\/[A-Za-z0-9_-]{43})/.exec(stdout)![1]!;
    const page = await context.newPage();
    await page.goto(setupUrl);
    await page.getByLabel('パスワード', { exact: true }).fill('Operator-2026!');
    await page.getByLabel('パスワード(確認)').fill('Operator-2026!');
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    const secret = (await page.locator('#totp-secret').textContent())!.trim();
    await page.getByLabel('認証コード(6桁)').fill(totpCodeAt(secret, totpStepAt(clock.now())));
    await page.getByRole('button', { name: '登録する' }).click();
    await signInToConsole(page, secret);
    operatorPage = { page, secret };
    return page;
  }
  const { page, secret } = operatorPage;
  await page.goto(`${e2e.server().url}/console/queue`);
  if (new URL(page.url()).pathname === '/console/sign-in') await signInToConsole(page, secret);
  return page;
}

/** Apply in the portal, let the hour pass, approve in the console: the code from the mail. */
async function approvedInConsole(context: BrowserContext, email: string): Promise<string> {
  const [couponPart1, couponPart2] = e2e.server().demo.coupons[couponIndex++]!.split('-');
  const applicant = await context.newPage();
  await applicant.goto(`${e2e.server().url}/new`);
  for (const [name, value] of Object.entries({ ...validForm, couponPart1: couponPart1!, couponPart2: couponPart2!, email })) {
    if (name === 'proxyMode') continue;
    if (name === 'prefecture') await applicant.locator('#prefecture').selectOption(value);
    else await applicant.locator(`#${name}`).fill(value);
  }
  await applicant.locator('#applicationPassword').fill(PASSWORD);
  await applicant.locator('#applicationPasswordConfirm').fill(PASSWORD);
  await applicant.getByRole('button', { name: '次へ' }).click();
  await applicant.getByRole('button', { name: '送信' }).click();
  await applicant.waitForSelector('text=新規申請を仮受付しました。');
  const acceptanceNumber = /N\d{6}-\d{6}/.exec((await applicant.textContent('main')) ?? '')![0];
  await applicant.close();
  clock.advance(61 * 60_000);

  const page = await consoleQueue();
  await page.getByRole('link', { name: acceptanceNumber }).click();
  await page.getByRole('button', { name: '審査を開始する' }).click();
  await page.getByRole('button', { name: '承認する' }).click();
  await page.waitForSelector('text=承認しました。');
  await expect.poll(() => receiver.messages.find((m) => m.subject.includes(acceptanceNumber) && m.subject.includes('審査完了')), { timeout: 60_000, interval: 250 }).toBeDefined();
  const mail = receiver.messages.find((m) => m.subject.includes(acceptanceNumber) && m.subject.includes('審査完了'))!;
  return /証明書コード: ([0-9A-Z-]{29})/.exec(mail.text)![1]!;
}

async function signInToPickup(page: Page, code: string): Promise<void> {
  await page.goto(`${e2e.server().url}/`);
  await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '証明書の取得' }).click();
  await page.getByLabel('証明書コード').fill(code);
  await page.getByLabel('申請パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: '次へ' }).click();
}

const caFiles = () => ({ root: path.join(e2e.server().dataDir, 'ca', 'root.crt.pem'), issuing: path.join(e2e.server().dataDir, 'ca', 'issuing.crt.pem') });

describe('pickup in Chromium', () => {
  it.each([
    { keyType: 'P-256', label: 'ECDSA P-256(推奨)', isRsa: false, shots: ['51', '52', '55'] },
    { keyType: 'RSA-2048', label: 'RSA 2048ビット(古いメールソフトや機器で使う場合)', isRsa: true, shots: ['53', '54', '56'] },
  ])('makes a $keyType key in the browser and saves both .p12 files, which openssl and NSS take', async ({ keyType, label, isRsa, shots }) => {
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const code = await approvedInConsole(context, `pickup.${keyType.toLowerCase()}@example.jp`);
    const page = await context.newPage();
    await signInToPickup(page, code);
    await page.waitForSelector('#pickup-browser:not([hidden])');
    // The browser way is the first; the CSR upload waits folded below.
    expect(await page.locator('#pickup-upload-details').getAttribute('open')).toBeNull();
    await page.getByLabel(label).check();
    expect(await page.getByLabel('標準形式(Windows 10/11、Firefox、Thunderbird)').isChecked()).toBe(true);
    const password = (await page.locator('#pickup-generated-password').textContent())!.trim();
    expect(password).toMatch(/^[\x21-\x7e]{20}$/);
    await e2e.look(page, `${shots[0]}-pickup-issue-${keyType}`);

    const dir = path.join(temp, keyType);
    fs.mkdirSync(dir);
    const [standard] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ブラウザーで鍵を作成して証明書を取得する' }).click()]);
    await page.waitForSelector('#pickup-result:not([hidden])');
    expect(await page.locator('#pickup-result-password').textContent()).toBe(password);
    await e2e.look(page, `${shots[1]}-pickup-result-${keyType}`);
    expect(standard.suggestedFilename()).toMatch(/^certificate-[0-9A-F]{16}-standard\.p12$/);
    const [compatible] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '互換形式のファイル(.p12)' }).click()]);
    const files = { standard: path.join(dir, 'standard.p12'), compatible: path.join(dir, 'compatible.p12') };
    await standard.saveAs(files.standard);
    await compatible.saveAs(files.compatible);

    // openssl 3 opens each with the shown password, no -legacy, and names what protects it.
    const pass = `pass:${password}`;
    const info = (file: string) => run('openssl', ['pkcs12', '-info', '-nokeys', '-in', file, '-passin', pass]).then((r) => r.stderr + r.stdout);
    expect(await info(files.standard)).toMatch(/MAC: sha256[\s\S]*Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    expect(await info(files.compatible)).toMatch(/MAC: sha1[\s\S]*Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
    for (const [format, file] of Object.entries(files)) {
      const issued: IssuedFiles = { dir: path.join(dir, format), cert: path.join(dir, format, 'cert.pem'), key: path.join(dir, format, 'key.pem'), ...caFiles() };
      fs.mkdirSync(issued.dir);
      succeed('openssl', ['pkcs12', '-in', file, '-passin', pass, '-clcerts', '-nokeys', '-out', issued.cert]);
      succeed('openssl', ['pkcs12', '-in', file, '-passin', pass, '-nocerts', '-nodes', '-out', issued.key]);
      // The key in the file is the key of the certificate.
      expect(succeed('openssl', ['pkey', '-in', issued.key, '-pubout'])).toBe(succeed('openssl', ['x509', '-in', issued.cert, '-pubkey', '-noout']));
      expect(succeed('openssl', ['x509', '-in', issued.cert, '-noout', '-text'])).toContain(isRsa ? 'Digital Signature, Key Encipherment' : 'Digital Signature, Key Agreement');
      opensslRoundTrip(issued, isRsa);
      if (hasCertutil) {
        // NSS reads the file itself (pk12util) and accepts the certificate for S/MIME and TLS client use.
        const db = nssDatabaseTrusting(path.join(issued.dir, 'nssdb'), issued.root, issued.issuing);
        succeed('pk12util', ['-i', file, '-d', db, '-W', password, '-K', '']);
        const nickname = /^(.+?)\s+u,u,u$/m.exec(succeed('certutil', ['-L', '-d', db]))?.[1]?.trim();
        expect(nickname).toBe(`${validForm.lastNameJa} ${validForm.firstNameJa} (certdesk)`);
        nssAccepts(db, nickname!);
      }
    }

    // Signing in again with the code: the certificate alone, no second issuance.
    const again = await context.newPage();
    await signInToPickup(again, code);
    await again.waitForSelector('text=この証明書コードの証明書は発行済みです。');
    await e2e.look(again, `${shots[2]}-pickup-done-${keyType}`);
    await context.close();
  });

  it('keeps its key when the first answer is lost, and the retry gets the certificate issued for it', async () => {
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const code = await approvedInConsole(context, 'pickup.lost-answer@example.jp');
    const page = await context.newPage();
    await signInToPickup(page, code);
    await page.waitForSelector('#pickup-browser:not([hidden])');
    // The first request reaches the server, which issues; its answer never reaches the page.
    let lost = 0;
    await page.route('**/pickup/issue', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.getByLabel('自分で決める').check();
    await page.locator('#pickup-password').fill('Typed-File-Pass-9');
    await page.locator('#pickup-password-confirm').fill('Typed-File-Pass-9');
    await page.getByRole('button', { name: 'ブラウザーで鍵を作成して証明書を取得する' }).click();
    await page.waitForSelector('#pickup-error:not([hidden])');
    expect(await page.locator('#pickup-error').textContent()).toContain('同じ鍵で続けます');
    expect(await page.getByLabel('RSA 2048ビット(古いメールソフトや機器で使う場合)').isDisabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ブラウザーで鍵を作成して証明書を取得する' }).click()]);
    await page.waitForSelector('#pickup-result:not([hidden])');
    // A typed password is not shown back.
    expect(await page.locator('#pickup-result-password').textContent()).toBe('(ご自分で入力したパスワード)');
    const file = path.join(temp, 'lost-answer.p12');
    await download.saveAs(file);
    const key = path.join(temp, 'lost-answer.key.pem');
    const cert = path.join(temp, 'lost-answer.cert.pem');
    succeed('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Typed-File-Pass-9', '-nocerts', '-nodes', '-out', key]);
    succeed('openssl', ['pkcs12', '-in', file, '-passin', 'pass:Typed-File-Pass-9', '-clcerts', '-nokeys', '-out', cert]);
    expect(succeed('openssl', ['pkey', '-in', key, '-pubout'])).toBe(succeed('openssl', ['x509', '-in', cert, '-pubkey', '-noout']));
    expect(lost).toBe(2);
    await context.close();
  });

  it('issues for an uploaded CSR in a browser without JavaScript', async () => {
    const applying = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const code = await approvedInConsole(applying, 'pickup.nojs@example.jp');
    await applying.close();
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, acceptDownloads: true });
    const dir = path.join(temp, 'nojs');
    fs.mkdirSync(dir);
    const key = path.join(dir, 'key.pem');
    const csr = path.join(dir, 'request.csr');
    succeed('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=ignored', '-out', csr]);
    const page = await context.newPage();
    await signInToPickup(page, code);
    await page.waitForSelector('text=CSR(証明書署名要求)をお持ちの方');
    expect(await page.locator('#pickup-browser').isHidden()).toBe(true);
    // No axe here: it runs as a script, and this page has none.
    await page.screenshot({ path: 'test-results/screens/57-pickup-issue-nojs.png', fullPage: true });
    await page.locator('#csrFile').setInputFiles(csr);
    await page.getByRole('button', { name: 'CSRを送信して証明書を発行する' }).click();
    await page.waitForSelector('text=この証明書コードの証明書は発行済みです。');
    await page.screenshot({ path: 'test-results/screens/58-pickup-done-nojs.png', fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '証明書(PEM形式)', exact: true }).click()]);
    const cert = path.join(dir, 'cert.pem');
    await download.saveAs(cert);
    expect(succeed('openssl', ['x509', '-in', cert, '-pubkey', '-noout'])).toBe(succeed('openssl', ['pkey', '-in', key, '-pubout']));
    opensslRoundTrip({ dir, cert, key, ...caFiles() }, false);
    await context.close();
  });
});
