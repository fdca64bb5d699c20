import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/db.js';
import { embeddedServerUrl, isEmbeddedServerRunning, publishEmbeddedDatabase, type EmbeddedDatabaseServer } from '../../src/store/embedded-server.js';

let dataDir: string;
let database: Database;
let pglite: PGlite;
let published: EmbeddedDatabaseServer;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-socket-'));
  database = await openDatabase({ kind: 'pglite', dataDir });
  pglite = database.pglite!;
  await pglite.exec('create table t (id serial primary key, who text not null, n int not null)');
  published = await publishEmbeddedDatabase(pglite, dataDir, pino({ level: 'silent' }));
});
afterAll(async () => {
  await published?.close();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const client = async () => {
  const c = new pg.Client({ connectionString: embeddedServerUrl(dataDir) });
  await c.connect();
  return c;
};

describe(publishEmbeddedDatabase.name, () => {
  it('is found by a command looking for a running server', async () => {
    expect(await isEmbeddedServerRunning(dataDir)).toBe(true);
    await expect(publishEmbeddedDatabase(pglite, dataDir, pino({ level: 'silent' }))).rejects.toThrow(/already using/);
  });

  it('keeps every parameterised query intact while the server and a client work at once', async () => {
    const c = await client();
    const mismatches: string[] = [];
    const viaSocket = (async () => {
      for (let i = 0; i < 150; i++) {
        const r = await c.query('select $1::int as v, $2::text as w', [i, 'socket']);
        if (r.rows[0].v !== i || r.rows[0].w !== 'socket') mismatches.push(`socket ${i}`);
        await c.query('begin');
        await c.query('insert into t (who, n) values ($1, $2)', ['socket', i]);
        await c.query('commit');
      }
      // The server's own queries wait while a client holds the session: let go.
      await c.end();
    })();
    const direct = Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 40; i++) {
          const r = await pglite.query<{ v: number; w: string }>('select $1::int as v, $2::text as w', [i, `direct${w}`]);
          if (r.rows[0]!.v !== i || r.rows[0]!.w !== `direct${w}`) mismatches.push(`direct${w} ${i}`);
          await pglite.transaction(async (tx) => {
            await tx.query('insert into t (who, n) values ($1, $2)', [`direct${w}`, i]);
          });
        }
      }),
    );
    await Promise.all([viaSocket, direct]);
    expect(mismatches).toEqual([]);
    const counts = await pglite.query<{ who: string; n: number }>('select who, count(*)::int as n from t group by who order by who');
    expect(counts.rows).toEqual([
      { who: 'direct0', n: 40 },
      { who: 'direct1', n: 40 },
      { who: 'direct2', n: 40 },
      { who: 'direct3', n: 40 },
      { who: 'socket', n: 150 },
    ]);
  });

  it('never lets the server see into, or land inside, a client transaction', async () => {
    const c = await client();
    await c.query('begin');
    await c.query("insert into t (who, n) values ('uncommitted', 1)");
    // The server's own query waits for the client to be done with the session.
    const serverCount = pglite.query<{ n: number }>("select count(*)::int as n from t where who = 'uncommitted'");
    await c.query('rollback');
    await c.end();
    expect((await serverCount).rows[0]!.n).toBe(0);
  });

  it('rolls back what a client that vanished inside a transaction left open', async () => {
    const c = await client();
    c.on('error', () => undefined); // we cut its connection on purpose
    await c.query('begin');
    await c.query("insert into t (who, n) values ('vanished', 1)");
    (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const r = await pglite.query<{ n: number }>("select count(*)::int as n from t where who = 'vanished'");
    expect(r.rows[0]!.n).toBe(0);
    expect(pglite.isInTransaction()).toBe(false);
  });
});
