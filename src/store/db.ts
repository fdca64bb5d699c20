import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as tables from './schema/tables.js';

export type Schema = typeof tables;
/** One type for both drivers: the stores see PostgreSQL, whichever one it is. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The PGlite instance itself, when embedded (to publish it on a socket). */
  pglite?: PGlite;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type DatabaseTarget = { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string; maxConnections?: number };

export interface OpenDatabaseOptions {
  /** A pooled connection the server dropped while idle (restart, failover). */
  onIdleClientError?: (error: Error) => void;
  /** Every statement sent, as SQL text (tests count them: the same work on every path). */
  onQuery?: (sql: string) => void;
}

/** PGlite in `dataDir/pgdata` (in memory when undefined), or a PostgreSQL server. */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  const onQuery = options.onQuery;
  const logger = onQuery === undefined ? undefined : { logQuery: (query: string) => onQuery(query) };
  if (target.kind === 'pglite') {
    let client: PGlite;
    if (target.dataDir === undefined) {
      client = new PGlite();
    } else {
      fs.mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
      client = new PGlite(path.join(target.dataDir, 'pgdata'));
    }
    await client.waitReady;
    if (target.dataDir !== undefined) tightenModes(path.join(target.dataDir, 'pgdata'));
    const db = drizzlePglite({ client, schema: tables, ...(logger === undefined ? {} : { logger }) }) as unknown as Db;
    return { db, kind: 'pglite', pglite: client, close: () => client.close() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
  // An idle client the server drops (restart, failover, admin termination) is removed
  // from the pool by pg itself; without a listener the 'error' event would kill the process.
  pool.on('error', (error) => options.onIdleClientError?.(error));
  const db = drizzlePg({ client: pool, schema: tables, ...(logger === undefined ? {} : { logger }) }) as unknown as Db;
  return { db, kind: 'postgres', close: () => pool.end() };
}

/**
 * PGlite creates its files 0666 whatever the umask (issue #6 defect 11). The 0700 DATA_DIR
 * around them is what keeps others out; this takes the group and other bits off what is
 * there at start as well, so a copy of the folder made elsewhere does not open it up.
 */
function tightenModes(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const mode = fs.lstatSync(file).mode;
    if ((mode & 0o077) !== 0 && !entry.isSymbolicLink()) fs.chmodSync(file, mode & 0o700);
  }
}

/** Apply pending migrations; on a server, one process at a time (advisory lock). */
export async function migrateDatabase(target: DatabaseTarget, database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  if (target.kind !== 'postgres') throw new Error('postgres database without a postgres target');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(7204211)');
    await migratePg(drizzlePg({ client }), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(7204211)').catch(() => undefined); // the session ends next anyway
    await client.end();
  }
}
