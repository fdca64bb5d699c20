import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openEmbeddedCa } from '../../src/cli/embedded-ca.js';
import { loadConfig } from '../../src/config.js';
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { openMigratedDatabase, startServer } from '../../src/main.js';
import { loadDemoData, type DemoData } from '../../src/ra/load-demo-data.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestServer {
  url: string;
  demo: DemoData;
  dataDir: string;
  close(): Promise<void>;
}

/** The real server on loopback over the embedded database in a temp folder, with demo data. */
export async function startTestServer(clock: Clock = systemClock): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-'));
  const port = await freePort();
  const loaded = loadConfig({ DATA_DIR: dataDir, PORT: String(port), CA_KEY_PASSPHRASE: 'e2e passphrase, not secret', LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const config = loaded.value;
  const log = pino({ level: 'silent' });
  const database = await openMigratedDatabase(config, log);
  const ca = await openEmbeddedCa(config, clock, log);
  const demo = await loadDemoData({ db: database.db, clock, log, ca, dataDir });
  const server = await startServer(config, { database, clock, log });
  return {
    url: server.url,
    demo,
    dataDir,
    close: async () => {
      await server.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
