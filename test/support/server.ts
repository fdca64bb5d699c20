import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { runService } from '../../src/main.js';
import type { DemoData } from '../../src/ra/load-demo-data.js';

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
  /** The environment a `certdesk` child process needs to reach this server's data. */
  env: Record<string, string>;
  config: Config;
  close(): Promise<void>;
}

/**
 * Exactly what `certdesk serve` runs — the embedded database published on its socket,
 * the CA, the demo data, the job workers and the web server — in a temp folder, on a
 * free loopback port.
 */
export async function startTestServer(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-'));
  const port = await freePort();
  const env = { DATA_DIR: dataDir, PORT: String(port), CA_KEY_PASSPHRASE: 'e2e passphrase, not secret', LOG_LEVEL: 'silent', ...options.env };
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const service = await runService(loaded.value, options.clock ?? systemClock, pino({ level: 'silent' }));
  if (service.demo === undefined) throw new Error('a fresh data folder should load the demo data');
  return {
    url: service.url,
    demo: service.demo,
    dataDir,
    env,
    config: loaded.value,
    close: async () => {
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
