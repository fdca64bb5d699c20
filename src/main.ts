import { preparePrivateDataDir } from './data-dir.js';
import { ConfigurationProblem } from './configuration-problem.js';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './domain/clock.js';
import { migrateDatabase, openDatabase, type Database, type DatabaseTarget } from './store/db.js';
import { embeddedServerUrl, isEmbeddedServerRunning, publishEmbeddedDatabase } from './store/embedded-server.js';
import type { PGlite } from '@electric-sql/pglite';
import { deliverMailJob } from './jobs/deliver-mail.js';
import { publishCrlJob } from './jobs/publish-crl.js';
import { startJobs, type JobHandlers } from './jobs/queue.js';
import { openServiceCa } from './ca/service-ca.js';
import type { IssuingCa } from './ca/issuing-ca.js';
import { bindDatabaseToCa } from './ra/ca-registry.js';
import { loadDemoData, type DemoData } from './ra/load-demo-data.js';
import { countCertificates } from './store/certificate-store.js';
import { deleteStaleRateLimits } from './store/rate-limit-store.js';
import { deleteExpiredSessions } from './store/session-store.js';
import { deleteExpiredConsoleSessions } from './store/operator-store.js';
import { smtpTransport } from './mail/smtp.js';
import { finaliseDueApplications } from './ra/finalise-applications.js';
import { publishDueCrls } from './ra/publish-crl.js';
import { PasswordHasher } from './ra/application-password.js';
import type { RaDeps } from './ra/deps.js';
import { loadOrCreateSecret } from './store/secret-store.js';
import { createApp } from './web/app.js';
import { buildClientBundle } from './web/client-bundle.js';
import type { WebDeps } from './web/env.js';

/** Refuses a DATA_DIR others can read, before anything is written into it. */
function privateDataDirOrThrow(dir: string): void {
  const checked = preparePrivateDataDir(dir);
  if (!checked.ok) throw new ConfigurationProblem(checked.problem);
}

export { ConfigurationProblem };

/** The composition root (STYLE §1): builds the adapters and passes them down. */
export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl !== undefined
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}

/**
 * The database for a `certdesk` command: the PostgreSQL server of DATABASE_URL; or, on
 * the embedded database, the running `certdesk serve` through its socket; or, when no
 * server runs, the embedded files directly (STYLE: one writer at a time).
 */
export async function openMigratedDatabase(config: Config, log: Logger): Promise<Database> {
  let target = databaseTargetOf(config);
  if (target.kind === 'pglite') {
    privateDataDirOrThrow(config.dataDir);
    if (await isEmbeddedServerRunning(config.dataDir)) {
      // One connection: the server lends its session to one client at a time.
      target = { kind: 'postgres', url: embeddedServerUrl(config.dataDir), maxConnections: 1 };
      log.info({ event: 'database.viaServer' }, 'certdesk serve is running: working through its database socket');
    }
  }
  const database = await openDatabase(target, { onIdleClientError: (error) => log.warn({ err: error }, 'database connection dropped') });
  await migrateDatabase(target, database);
  log.info({ database: database.kind, dataDir: target.kind === 'pglite' ? target.dataDir : undefined }, 'database ready');
  return database;
}

/** How the job queue reaches the database: a server URL, or the embedded PGlite itself. */
export type JobDatabase = { connectionString: string } | { pglite: PGlite };

/**
 * For `certdesk serve`: the server of DATABASE_URL; or the embedded database, used
 * directly by this process and published on its socket for `certdesk` commands.
 */
export async function openServingDatabase(
  config: Config,
  log: Logger,
): Promise<{ database: Database; jobDatabase: JobDatabase; close(): Promise<void> }> {
  if (config.databaseUrl !== undefined) {
    const database = await openMigratedDatabase(config, log);
    return { database, jobDatabase: { connectionString: config.databaseUrl }, close: () => database.close() };
  }
  privateDataDirOrThrow(config.dataDir);
  if (await isEmbeddedServerRunning(config.dataDir)) {
    throw new Error(`another certdesk serve is already using ${config.dataDir}: stop it first, or set DATA_DIR to another folder`);
  }
  const target = { kind: 'pglite', dataDir: config.dataDir } as const;
  const database = await openDatabase(target);
  await migrateDatabase(target, database);
  const pglite = database.pglite;
  if (pglite === undefined) throw new Error('embedded database without its PGlite instance');
  const published = await publishEmbeddedDatabase(pglite, config.dataDir, log);
  return {
    database,
    jobDatabase: { pglite },
    close: async () => {
      await published.close();
      await database.close();
    },
  };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the web layer gets: the adapters, and the settings it translates with. */
export async function webDepsOf(config: Config, deps: { db: Database['db']; clock: Clock; log: Logger; passwords: PasswordHasher; ca: IssuingCa }): Promise<WebDeps> {
  return {
    db: deps.db,
    ca: deps.ca,
    clock: deps.clock,
    log: deps.log,
    passwords: deps.passwords,
    review: config.review,
    site: config.site,
    caName: config.caName,
    isSecureCookie: config.isSecureCookie,
    proxyHops: config.proxyHops,
    ipv6ClientPrefix: config.ipv6ClientPrefix,
    isMailViewerEnabled: config.isMailViewerEnabled,
    // Shared by every process on the database, so a form signed by one is accepted by all.
    secrets: { csrfKey: await loadOrCreateSecret(deps.db, 'csrf', deps.clock.now()) },
  };
}

export async function startServer(config: Config, deps: { database: Database; clock: Clock; log: Logger; passwords: PasswordHasher; ca: IssuingCa }): Promise<RunningServer> {
  const app = createApp(await webDepsOf(config, { ...deps, db: deps.database.db }));
  // Bundled before the first pickup page asks for it: a broken bundle stops the start, not a subscriber.
  await buildClientBundle();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    url: config.site.publicUrl,
    port,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** What the background jobs do (STYLE §5: each only catches up with the clock). */
export function backgroundJobs(config: Config, database: Database, clock: Clock, log: Logger, passwords: PasswordHasher, ca: IssuingCa): JobHandlers {
  const ra: RaDeps = { db: database.db, clock, log, site: config.site, passwords, review: config.review };
  const smtpUrl = config.smtpUrl;
  return {
    'finalise-applications': async () => {
      await finaliseDueApplications(ra);
    },
    'purge-expired': async () => {
      const now = clock.now();
      const sessions = (await deleteExpiredSessions(database.db, now)) + (await deleteExpiredConsoleSessions(database.db, now));
      const counters = await deleteStaleRateLimits(database.db, new Date(now.getTime() - 24 * 60 * 60 * 1000));
      if (sessions + counters > 0) log.info({ event: 'purged', sessions, counters }, 'expired sessions and rate-limit counters removed');
    },
    // Without SMTP the mail stays in the outbox (and the development viewer shows it).
    'deliver-mail':
      smtpUrl === undefined
        ? () => Promise.resolve()
        : deliverMailJob({ db: database.db, clock, log, transport: smtpTransport(smtpUrl), from: config.mailFrom }),
    'publish-crl': publishCrlJob({ db: database.db, clock, log, ca }),
  };
}

export interface Serving {
  url: string;
  /** Set when this start loaded the demo data (an empty database). */
  demo: DemoData | undefined;
  close(): Promise<void>;
}

/** `certdesk serve`: database (published on its socket when embedded), CA, demo data on first start, jobs, web. */
export async function runService(config: Config, clock: Clock, log: Logger, env: Readonly<Record<string, string | undefined>> = {}): Promise<Serving> {
  const serving = await openServingDatabase(config, log);
  const { database } = serving;
  // env: where a PKCS#11 token's PIN is read from (the variable ca.json names).
  const ca = await openServiceCa(config, clock, log, env);
  await bindDatabaseToCa(database.db, ca.material, clock.now());
  // One hasher for the process: every argon2 computation waits its turn here (issue #6 defect 6).
  const passwords = new PasswordHasher();
  const isFirstStart = (await countCertificates(database.db)) === 0;
  const demo = isFirstStart && config.isDemoDataEnabled ? await loadDemoData({ db: database.db, clock, log, passwords, ca, dataDir: config.dataDir }) : undefined;
  // Relying parties find a current CRL from the first request on (S/MIME BR 4.9.7); the job keeps it so.
  await publishDueCrls({ db: database.db, clock, log, ca });
  const jobs = await startJobs({ database: serving.jobDatabase, log, handlers: backgroundJobs(config, database, clock, log, passwords, ca) });
  const server = await startServer(config, { database, clock, log, passwords, ca });
  return {
    url: server.url,
    demo,
    close: async () => {
      await server.close();
      await jobs.stop();
      await serving.close();
      await ca.material.close();
    },
  };
}
