import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { startTestServer, type TestServer } from './server.js';

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Serious and critical axe-core findings (WCAG 2.2 AA rules), as readable strings. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * One real server and one Chromium for a spec file, started before its tests and
 * stopped after them, and `look`: a full-page screenshot in test-results/screens (to
 * look at as a person would) plus the axe-core check (as a screen reader would).
 */
export function useServerAndBrowser(options: { clock?: Clock; env?: () => Record<string, string> } = {}): { server(): TestServer; browser(): Browser; look(page: Page, name: string): Promise<void> } {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const shots = path.resolve('test-results/screens');
  beforeAll(async () => {
    server = await startTestServer({ ...(options.clock === undefined ? {} : { clock: options.clock }), ...(options.env === undefined ? {} : { env: options.env() }) });
    browser = await launchChromium();
    fs.mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    server: () => server ?? fail('server not started'),
    browser: () => browser ?? fail('browser not started'),
    look: async (page, name) => {
      await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
      expect(await seriousAccessibilityViolations(page), name).toEqual([]);
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}
