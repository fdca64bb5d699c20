import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from 'pino';
import { migrateDatabase, openDatabase } from './db.js';

/**
 * The embedded database as a server. PGlite admits one process, so `certdesk serve`
 * owns it and publishes it on a Unix socket in DATA_DIR; the server's own code, its job
 * workers and every `certdesk` command run meanwhile all connect to that socket as
 * PostgreSQL clients. The socket's queue is transaction-aware: while one connection is
 * inside a transaction, only that connection's statements run.
 */
const SOCKET_PORT = 5432;

/** A Unix socket path must stay under ~104 bytes; a long DATA_DIR gets a private temp dir. */
export function socketDirOf(dataDir: string): string {
  const absolute = path.resolve(dataDir);
  if (`${absolute}/.s.PGSQL.${SOCKET_PORT}`.length < 100) return absolute;
  return path.join(os.tmpdir(), `certdesk-${createHash('sha256').update(absolute).digest('hex').slice(0, 12)}`);
}

function socketPathOf(dataDir: string): string {
  return path.join(socketDirOf(dataDir), `.s.PGSQL.${SOCKET_PORT}`);
}

/** The node-postgres URL of the embedded server's socket. */
export function embeddedServerUrl(dataDir: string): string {
  return `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDirOf(dataDir))}`;
}

/** Whether a `certdesk serve` is answering on this DATA_DIR's socket. */
export function isEmbeddedServerRunning(dataDir: string): Promise<boolean> {
  const socketPath = socketPathOf(dataDir);
  if (!fs.existsSync(socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface EmbeddedDatabaseServer {
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedDatabaseServer(dataDir: string, log: Logger): Promise<EmbeddedDatabaseServer> {
  if (await isEmbeddedServerRunning(dataDir)) {
    throw new Error(`another certdesk serve is already using ${dataDir}: stop it first, or set DATA_DIR to another folder`);
  }
  const socketDir = socketDirOf(dataDir);
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const socketPath = socketPathOf(dataDir);
  fs.rmSync(socketPath, { force: true }); // a stale socket from a process that died: nobody answered on it

  // Migrate directly, before anyone else can connect.
  const direct = await openDatabase({ kind: 'pglite', dataDir });
  await migrateDatabase({ kind: 'pglite', dataDir }, direct);
  const pglite = direct.pglite;
  if (pglite === undefined) throw new Error('embedded database without a PGlite instance');
  const server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections: 32 });
  await server.start();
  fs.chmodSync(socketPath, 0o600);
  log.info({ event: 'database.socket', socketPath }, 'embedded database listening on a Unix socket');
  return {
    url: embeddedServerUrl(dataDir),
    close: async () => {
      await server.stop();
      await pglite.close();
      fs.rmSync(socketPath, { force: true });
    },
  };
}

