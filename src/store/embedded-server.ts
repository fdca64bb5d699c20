import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'pino';

/**
 * The embedded database, shared with `certdesk` commands while `serve` runs.
 *
 * PGlite is one PostgreSQL session in this process. `serve` uses it directly, and
 * publishes it on a Unix socket in DATA_DIR for the commands an operator runs meanwhile.
 * A socket client gets the session to itself for as long as it is connected: we hold
 * PGlite's transaction lock for the connection's lifetime, so the server's own queries
 * and transactions wait (a command takes about a second) and can never land inside the
 * command's transaction or between the messages of its extended-protocol queries — the
 * failure we measured with a message-by-message multiplexer ("unnamed prepared statement
 * does not exist", and a hang). Connections are served one at a time.
 */
const SOCKET_PORT = 5432;
export const CLIENT_IDLE_TIMEOUT_MS = 30_000;

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
  close(): Promise<void>;
}

const SSL_REQUEST_CODE = 80877103;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_3 = 196608;

/** 'Q' ROLLBACK, sent when a client leaves inside a transaction. */
function simpleQuery(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** Splits a byte stream into complete protocol messages (the first is untyped: startup, SSL or cancel). */
class MessageReader {
  #buffer = Buffer.alloc(0);
  #isStarted = false;
  push(chunk: Buffer): Buffer[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      if (!this.#isStarted) {
        if (this.#buffer.length < 8) break;
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) break;
        const code = this.#buffer.readInt32BE(4);
        messages.push(this.#buffer.subarray(0, length));
        this.#buffer = this.#buffer.subarray(length);
        if (code === PROTOCOL_3) this.#isStarted = true;
        continue;
      }
      if (this.#buffer.length < 5) break;
      const length = 1 + this.#buffer.readInt32BE(1);
      if (this.#buffer.length < length) break;
      messages.push(this.#buffer.subarray(0, length));
      this.#buffer = this.#buffer.subarray(length);
    }
    return messages;
  }
}

async function serveConnection(pglite: PGlite, socket: net.Socket, log: Logger): Promise<void> {
  socket.pause();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', (error) => log.debug({ err: error }, 'database socket client error'));
  // The portal waits while a client holds the session: an idle client is let go.
  socket.setTimeout(CLIENT_IDLE_TIMEOUT_MS, () => {
    log.warn({ event: 'database.socket.idle' }, 'database socket client idle too long: disconnected');
    socket.destroy();
  });
  await pglite._runExclusiveTransaction(async () => {
    const reader = new MessageReader();
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        chain = chain.then(async () => {
          if (socket.destroyed) return;
          if (message.length === 8) {
            const code = message.readInt32BE(4);
            if (code === SSL_REQUEST_CODE) {
              socket.write('N');
              return;
            }
            if (code === CANCEL_REQUEST_CODE) return; // not supported; the query simply runs to its end
          }
          if (message[0] === 0x58 /* X: Terminate */ && message.length === 5) {
            socket.end();
            return;
          }
          await pglite.runExclusive(() =>
            pglite.execProtocolRawStream(new Uint8Array(message), {
              onRawData: (data: Uint8Array) => {
                if (!socket.destroyed) socket.write(data);
              },
            }),
          );
        });
      }
    });
    socket.resume();
    await closed;
    await chain.catch((error: unknown) => log.warn({ err: error }, 'database socket client failed'));
    if (pglite.isInTransaction()) {
      // The client left inside a transaction: end it before the server uses the session again.
      await pglite.runExclusive(() => pglite.execProtocolRawStream(simpleQuery('ROLLBACK'), { onRawData: () => undefined }));
    }
  });
}

/** Publish `pglite` on DATA_DIR's socket (the caller has migrated it and keeps using it). */
export async function publishEmbeddedDatabase(pglite: PGlite, dataDir: string, log: Logger): Promise<EmbeddedDatabaseServer> {
  if (await isEmbeddedServerRunning(dataDir)) {
    throw new Error(`another certdesk serve is already using ${dataDir}: stop it first, or set DATA_DIR to another folder`);
  }
  const socketDir = socketDirOf(dataDir);
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const socketPath = socketPathOf(dataDir);
  fs.rmSync(socketPath, { force: true }); // a stale socket of a process that died: nobody answered on it
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(pglite, socket, log).catch((error: unknown) => {
      log.error({ err: error }, 'database socket connection failed');
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  log.info({ event: 'database.socket', socketPath }, 'embedded database published on a Unix socket for certdesk commands');
  return {
    close: async () => {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(socketPath, { force: true });
    },
  };
}
