import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/**
 * The pg-boss adapter (STYLE §1). Jobs only catch up (STYLE §5): each handler does
 * whatever is due at the injected clock's now, so running one twice, late, or on two
 * workers at once is harmless. A cron schedule guarantees a run every minute even if
 * every process restarts; an in-process ticker asks for one sooner, and pg-boss's
 * singleton keys keep that to one queued job per queue.
 */
export const jobNames = ['finalise-applications', 'deliver-mail', 'purge-expired', 'publish-crl'] as const;
export type JobName = (typeof jobNames)[number];
export type JobHandlers = Record<JobName, () => Promise<void>>;

export interface JobRunner {
  /** Ask for a run soon (e.g. right after a mail was queued). */
  trigger(name: JobName): Promise<void>;
  stop(): Promise<void>;
}

export interface JobOptions {
  /** A PostgreSQL server, or the embedded PGlite used directly (one session, so no pool). */
  database: { connectionString: string } | { pglite: PGlite };
  handlers: JobHandlers;
  log: Logger;
  tickMs?: number;
}

export async function startJobs(options: JobOptions): Promise<JobRunner> {
  const { log } = options;
  const connection =
    'pglite' in options.database ? { db: pglitePgBossAdapter(options.database.pglite) } : { connectionString: options.database.connectionString, max: 4 };
  const boss = new PgBoss({
    ...connection,
    schema: 'pgboss',
    retryLimit: 5,
    retryDelay: 10,
    retryBackoff: true,
    expireInMinutes: 5,
  });
  boss.on('error', (error) => log.error({ err: error, event: 'jobs.error' }, 'job queue error'));
  await boss.start();

  // Processes starting together on one server would deadlock in createQueue (seen with two
  // `certdesk serve`): they make the queues and schedules one at a time.
  await oneProcessAtATime(options.database, async () => {
    for (const name of jobNames) {
      await boss.createQueue(name);
      await boss.schedule(name, '* * * * *', {}, { singletonKey: name });
    }
  });
  for (const name of jobNames) {
    await boss.work(name, { pollingIntervalSeconds: 2, batchSize: 1 }, async () => {
      try {
        await options.handlers[name]();
      } catch (error) {
        log.error({ err: error, event: 'jobs.failed', job: name }, 'job failed; pg-boss will retry');
        throw error;
      }
    });
  }

  const trigger = async (name: JobName) => {
    await boss.send(name, {}, { singletonKey: `${name}:tick`, singletonSeconds: 5 });
  };
  const ticker = setInterval(() => {
    for (const name of jobNames) {
      trigger(name).catch((error: unknown) => log.warn({ err: error, event: 'jobs.tickFailed', job: name }, 'could not queue a job run'));
    }
  }, options.tickMs ?? 15_000);
  ticker.unref();
  log.info({ event: 'jobs.started', jobs: jobNames }, 'background jobs started');

  return {
    trigger,
    stop: async () => {
      clearInterval(ticker);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** A session advisory lock on the server around `setup`; the embedded database has one session anyway. */
async function oneProcessAtATime(database: JobOptions['database'], setup: () => Promise<void>): Promise<void> {
  if ('pglite' in database) return setup();
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('certdesk:jobs:setup'))`);
    await setup();
  } finally {
    await client.end();
  }
}

/**
 * pg-boss on the embedded database: its multi-statement scripts (migrations, maintenance)
 * go through exec, which runs them as one simple query; everything else is one
 * parameterised query. Each call is atomic on PGlite's one session.
 */
function pglitePgBossAdapter(pglite: PGlite): { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    executeSql: async (text, values) => {
      if (values === undefined || values.length === 0) {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await pglite.query(text, values);
      return { rows: result.rows };
    },
  };
}
