import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { seriousAccessibilityViolations, useServerAndBrowser } from '../support/browser.js';

const run = promisify(execFile);
const e2e = useServerAndBrowser();

/** The operator's command, run as a separate process while the portal is serving. */
async function certdesk(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/certdesk.js', ...args], { env: { ...process.env, ...e2e.server().env }, timeout: 60_000 });
  return stdout;
}

describe('maintenance in Chromium', () => {
  it('answers subscriber pages with the 503 maintenance page while a window scheduled from the CLI is on', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 2 * 60 * 60_000).toISOString();
    await certdesk('maintenance', 'add', '--from', from, '--to', to, '--message', 'データベース機器の定期保守を行います。');
    const listed = JSON.parse(await certdesk('maintenance', 'list', '--json')) as { id: string }[];
    expect(listed).toHaveLength(1);

    const context = await e2e.browser().newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const response = await page.goto(`${e2e.server().url}/renew`);
    expect(response?.status()).toBe(503);
    expect(Number(response?.headers()['retry-after'])).toBeGreaterThan(0);
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('システムメンテナンス');
    expect(main).toContain('データベース機器の定期保守を行います。');
    await page.screenshot({ path: path.join('test-results/screens', '21-maintenance-503.png'), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The notice page and help stay open.
    await page.goto(`${e2e.server().url}/maintenance`);
    expect(await page.textContent('main')).toContain('データベース機器の定期保守を行います。');
    await page.screenshot({ path: path.join('test-results/screens', '22-maintenance-notice.png'), fullPage: true });
    expect((await page.goto(`${e2e.server().url}/help`))?.status()).toBe(200);

    // Removed from the CLI, the portal is back at once.
    await certdesk('maintenance', 'remove', listed[0]!.id);
    expect((await page.goto(`${e2e.server().url}/renew`))?.status()).toBe(200);
    await context.close();
  });
});
