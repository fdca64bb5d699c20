import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { IssuingCa } from '../../src/ca/issuing-ca.js';
import { openServiceCa } from '../../src/ca/service-ca.js';
import { loadConfig, type Config } from '../../src/config.js';
import { webDepsOf } from '../../src/main.js';
import { PasswordHasher, type PasswordHasherLimits } from '../../src/ra/application-password.js';
import type { RaDeps } from '../../src/ra/deps.js';
import { loadDemoData, type DemoData } from '../../src/ra/load-demo-data.js';
import { createApp } from '../../src/web/app.js';
import type { WebDeps } from '../../src/web/env.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { FakeClock } from './fake-clock.js';

/**
 * Everything a portal test needs: a fresh database, the embedded CA in a temp folder,
 * the demo data, a fake clock and the app — all real adapters.
 */
export interface World {
  config: Config;
  clock: FakeClock;
  database: TestDatabase;
  demo: DemoData;
  app: ReturnType<typeof createApp>;
  web: WebDeps;
  ca: IssuingCa;
  /** What use cases get, for tests that call ra/ directly. */
  ra: RaDeps;
  log: pino.Logger;
  /** Every SQL statement the world's database has run, in order. */
  queries: string[];
  close(): Promise<void>;
}

export async function createWorld(options: { now?: string; env?: Record<string, string>; passwordLimits?: PasswordHasherLimits } = {}): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-test-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, CA_KEY_PASSPHRASE: 'test passphrase, not secret', LOG_LEVEL: 'silent', TRUST_PROXY: '1', ...options.env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const config = loaded.value;
  const clock = new FakeClock(options.now ?? '2026-11-27T01:00:00Z');
  const log = pino({ level: 'silent' });
  const queries: string[] = [];
  const database = await createTestDatabase({ onQuery: (sql) => queries.push(sql) });
  const ca = await openServiceCa(config, clock, log);
  const passwords = new PasswordHasher(options.passwordLimits);
  const demo = await loadDemoData({ db: database.db, clock, log, passwords, ca, dataDir });
  const web = await webDepsOf(config, { db: database.db, clock, log, passwords, ca });
  const app = createApp(web);
  return {
    config,
    clock,
    database,
    demo,
    app,
    web,
    ca,
    ra: { db: database.db, clock, log, site: config.site, passwords, review: config.review },
    log,
    queries,
    close: async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function demoSubscriber(world: World, situation: string) {
  const found = world.demo.subscribers.find((s) => s.situation === situation);
  if (found === undefined) throw new Error(`no demo subscriber ${situation}`);
  return found;
}

export function couponParts(formatted: string): { couponPart1: string; couponPart2: string } {
  const [couponPart1, couponPart2] = formatted.split('-');
  return { couponPart1: couponPart1!, couponPart2: couponPart2! };
}
