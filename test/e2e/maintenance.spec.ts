import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAccessibilityViolations } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
let server: TestServer;
let browser: Browser;
const shots = path.resolve('test-results/screens');

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  fs.mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The operator's command, run as a separate process while the portal is serving. */
async function certdesk(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/certdesk.js', ...args], { env: { ...process.env, ...server.env }, timeout: 60_000 });
  return stdout;
}

describe('maintenance in Chromium', () => {
  it('answers subscriber pages with the 503 maintenance page while a window scheduled from the CLI is on', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 2 * 60 * 60_000).toISOString();
    await certdesk('maintenance', 'add', '--from', from, '--to', to, '--message', 'データベース機器の定期保守を行います。');
    const listed = JSON.parse(await certdesk('maintenance', 'list', '--json')) as { id: string }[];
    expect(listed).toHaveLength(1);

    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/renew`);
    expect(response?.status()).toBe(503);
    expect(Number(response?.headers()['retry-after'])).toBeGreaterThan(0);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('システムメンテナンス');
    expect(main).toContain('データベース機器の定期保守を行います。');
    await page.screenshot({ path: path.join(shots, '21-maintenance-503.png'), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The notice page and help stay open.
    await page.goto(`${server.url}/maintenance`);
    expect(await page.textContent('main')).toContain('データベース機器の定期保守を行います。');
    await page.screenshot({ path: path.join(shots, '22-maintenance-notice.png'), fullPage: true });
    expect((await page.goto(`${server.url}/help`))?.status()).toBe(200);

    // Removed from the CLI, the portal is back at once.
    await certdesk('maintenance', 'remove', listed[0]!.id);
    expect((await page.goto(`${server.url}/renew`))?.status()).toBe(200);
    await context.close();
  });
});
