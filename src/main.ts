import fs from 'node:fs';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './domain/clock.js';
import { migrateDatabase, openDatabase, type Database, type DatabaseTarget } from './store/db.js';
import { createApp } from './web/app.js';

/** The composition root (STYLE §1): builds the adapters and passes them down. */
export function databaseTargetOf(config: Config): DatabaseTarget {
  return config.databaseUrl !== undefined
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: config.dataDir };
}

export async function openMigratedDatabase(config: Config, log: Logger): Promise<Database> {
  const target = databaseTargetOf(config);
  if (target.kind === 'pglite') fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase(target);
  await migrateDatabase(target, database);
  log.info({ database: database.kind, dataDir: target.kind === 'pglite' ? target.dataDir : undefined }, 'database ready');
  return database;
}

export function caDirOf(config: Config): string {
  return path.join(config.dataDir, 'ca');
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: Config, deps: { database: Database; clock: Clock; log: Logger }): Promise<RunningServer> {
  const app = createApp({
    db: deps.database.db,
    clock: deps.clock,
    log: deps.log,
    productName: config.productName,
    caName: config.caName,
    publicUrl: config.publicUrl,
    isSecureCookie: config.isSecureCookie,
    isBehindProxy: config.isBehindProxy,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    url: config.publicUrl,
    port,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
