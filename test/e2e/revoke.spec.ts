import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from '../support/browser.js';

const e2e = useServerAndBrowser();

/** openssl without blocking this process: the server it asks runs here. */
function openssl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(`${stdout}${stderr}`)));
  });
}

describe('revocation by the subscriber, in Chromium', () => {
  it('revokes with a reason, and OCSP and the CRL at the certificate’s URLs say so', async () => {
    const subscriber = e2e.server().demo.subscribers.find((s) => s.situation === 'too-early')!;
    const context = await e2e.browser().newContext({ locale: 'ja-JP', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(e2e.server().url);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '証明書の失効' }).click();
    await e2e.look(page, '61-revoke-lookup');
    await page.getByLabel('証明書コード').fill(subscriber.certificateCode);
    await page.getByLabel('申請パスワード').fill(subscriber.password);
    await page.getByRole('button', { name: '次へ' }).click();
    await page.waitForSelector('text=次の証明書を失効させます。');
    await e2e.look(page, '62-revoke-confirm');
    const serial = (await page.locator('dd.mono').first().textContent())!.trim();
    expect(serial).toMatch(/^[0-9A-F]{16,40}$/);

    await page.getByLabel('秘密鍵が漏えいした、またはそのおそれがある', { exact: false }).check();
    await page.getByLabel('失効は取り消せないことを理解しました').check();
    await page.getByRole('button', { name: '失効させる' }).click();
    await page.waitForSelector('text=証明書を失効させました。');
    await e2e.look(page, '63-revoke-done');
    await context.close();

    // What a relying party sees, from nothing but the URLs: OCSP says revoked, the CRL lists it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-revoke-e2e-'));
    const ca = { root: path.join(e2e.server().dataDir, 'ca', 'root.crt.pem'), issuing: path.join(e2e.server().dataDir, 'ca', 'issuing.crt.pem') };
    const ocsp = await openssl(['ocsp', '-issuer', ca.issuing, '-serial', `0x${serial}`, '-url', `${e2e.server().url}/pki/ocsp`, '-CAfile', ca.root]);
    expect(ocsp).toContain('Response verify OK');
    expect(ocsp).toMatch(/: revoked[\s\S]*Reason: keyCompromise/);
    const crl = path.join(dir, 'issuing.crl');
    fs.writeFileSync(crl, new Uint8Array(await (await fetch(`${e2e.server().url}/pki/issuing-ca.crl`)).arrayBuffer()));
    const chain = path.join(dir, 'chain.pem');
    fs.writeFileSync(chain, fs.readFileSync(ca.issuing, 'utf8') + fs.readFileSync(ca.root, 'utf8'));
    const text = await openssl(['crl', '-inform', 'DER', '-in', crl, '-CAfile', chain, '-noout', '-text']);
    expect(text).toContain('verify OK');
    expect(text).toContain(`Serial Number: ${serial}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
