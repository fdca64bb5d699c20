/**
 * npm run bench — figures for the portal on this machine, against 127.0.0.1 only, with
 * bounded request counts (it stops by itself). Runs exactly what `certdesk serve` runs:
 * the embedded database published on its socket, the job workers, the web server.
 *
 *   npm run bench                 # defaults
 *   BENCH_REQUESTS=5000 npm run bench
 *
 * Then issuance against `openssl ca` (scripts/bench-issuance.ts; BENCH_CSRS, BENCH_ISSUANCE_*).
 */
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/domain/clock.js';
import { makeCouponNumber } from '../src/domain/input/registration.js';
import { runService } from '../src/main.js';
import { migrateDatabase, openDatabase, type DatabaseTarget } from '../src/store/db.js';
import { insertCoupons } from '../src/store/coupon-store.js';
import { submitApplication } from '../src/ra/submit-application.js';
import { PasswordHasher } from '../src/ra/application-password.js';
import { validForm } from '../test/domain/input/fixtures.js';
import { benchIssuance, issuanceBenchOptionsFrom } from './bench-issuance.js';
import { freePort } from '../test/support/server.js';
import { testSite } from '../test/support/site.js';

const requests = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);

function summary(name: string, durationsMs: number[], wallMs: number): void {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  console.log(
    `${name.padEnd(44)} n=${String(sorted.length).padStart(5)}  ${((sorted.length / wallMs) * 1000).toFixed(0).padStart(6)}/s  p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms  p99 ${at(0.99).padStart(7)} ms`,
  );
}

async function measure(name: string, n: number, parallel: number, op: (i: number) => Promise<void>): Promise<void> {
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        durations.push(performance.now() - t0);
      }
    }),
  );
  summary(name, durations, performance.now() - started);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-'));
const port = await freePort();
const loaded = loadConfig({ DATA_DIR: dataDir, PORT: String(port), CA_KEY_PASSPHRASE: 'bench passphrase, not secret', LOG_LEVEL: 'silent' });
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const service = await runService(loaded.value, systemClock, pino({ level: 'silent' }));
console.log(`certdesk bench — ${os.cpus().length} cores, Node ${process.version}, ${requests} requests, concurrency ${concurrency}\n`);
try {
  const base = service.url;
  await measure('GET /renew (page, no session row)', requests, concurrency, async () => {
    const res = await fetch(`${base}/renew`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  });
  await measure('GET /help (page, no session)', requests, concurrency, async () => {
    const res = await fetch(`${base}/help`);
    await res.arrayBuffer();
  });
} finally {
  await service.close();
}

// The submission transaction itself (lock coupon, insert application, audit, outbox), as
// the RA runs it: on the embedded database, and on a PostgreSQL server when
// BENCH_DATABASE_URL is set (e.g. inside scripts/with-postgres.sh, as TEST_DATABASE_URL).
const targets: DatabaseTarget[] = [{ kind: 'pglite', dataDir }];
const serverUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
if (serverUrl) targets.push({ kind: 'postgres', url: serverUrl });
const passwords = new PasswordHasher();
const txConcurrency = Number(process.env['BENCH_TX_CONCURRENCY'] ?? 4);
try {
  for (const target of targets) {
    const database = await openDatabase(target);
    await migrateDatabase(target, database);
    const n = Math.min(requests, 500);
    const coupons = Array.from({ length: n }, () => makeCouponNumber(Array.from({ length: 15 }, () => randomInt(0, 10)).join('')));
    await insertCoupons(database.db, coupons, 'bench', new Date(), 'bench');
    const deps = { db: database.db, clock: systemClock, log: pino({ level: 'silent' }), site: testSite(), passwords, review: { requiredApprovals: 1, pickupCodeTtlDays: 30 } };
    // The whole 送信: the RA reads the draft again, hashes the password once (argon2id), then the transaction.
    await measure(`submitApplication incl. argon2, ${target.kind}, ${txConcurrency} at once`, n, txConcurrency, async (i) => {
      const coupon = coupons[i]!;
      const result = await submitApplication(deps, {
        kind: 'new',
        values: { ...validForm, couponPart1: coupon.slice(0, 8), couponPart2: coupon.slice(8) },
        draftPassword: 'bench-password-1',
        lang: 'ja',
        submissionKey: `bench-${target.kind}-${i}-${randomInt(1e9)}`,
        clientKey: `bench-${i}`,
      });
      if (!result.ok) throw new Error(result.code);
    });
    await database.close();
  }
  await measure('argon2id hash (application password)', 40, 2, async () => {
    await passwords.hash('bench-password-1');
  });
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// Certificates per second through parseCsr + issueCertificate, and through openssl ca.
await benchIssuance(issuanceBenchOptionsFrom(process.env));
