import { Command, CommanderError } from 'commander';
import { sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_EXIT, registerAuditCommands } from '../../src/cli/audit-commands.js';
import { verifyAuditChain } from '../../src/ra/verify-audit-chain.js';
import { appendAudit, findAuditHead, type AuditEntry } from '../../src/store/audit-store.js';
import type { Db } from '../../src/store/db.js';
import { rowsOf } from '../../src/store/rows.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { FakeClock } from '../support/fake-clock.js';

const onWhat = isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised';

let database: TestDatabase;
let db: Db;
const clock = new FakeClock('2026-12-01T00:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-12-01T00:00:00Z');
  await emptyAuditLog();
});

/**
 * Every test starts from an empty chain at the genesis head, as a fresh database does
 * (migrating one per test would take a second or more on PGlite). Only a test does this:
 * the log's triggers refuse it to anything else.
 */
async function emptyAuditLog(): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
    await tx.execute(sql`truncate audit_log`);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
    await tx.execute(sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)}) on conflict (id) do update set seq = excluded.seq, hash = excluded.hash`);
  });
}

/** A varied entry: nested JSON, Japanese text, an absent `before`, microsecond-free instants. */
function entryOf(n: number): AuditEntry {
  clock.advance(1_000);
  return {
    at: clock.now(),
    actor: n % 2 === 0 ? 'operator:cli' : `subscriber:${n}`,
    action: n % 3 === 0 ? 'maintenance.removed' : 'application.submitted',
    subjectType: 'application',
    subjectId: `U261201-${String(n).padStart(6, '0')}`,
    before: n % 2 === 0 ? { status: 'provisional', n } : undefined,
    after: { status: 'final', n, note: `受付 ${n}`, nested: { list: [n, 'x'] } },
  };
}

/** Entries 1..n, one after the other, each in its own transaction as the use cases write them. */
async function appendEntries(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await db.transaction((tx) => appendAudit(tx, entryOf(i)));
}

/** Change the log behind the application's back, as someone with the database's owner role could. */
async function tamper(statement: SQL): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

async function storedHashOf(seq: number): Promise<string> {
  const [row] = rowsOf<{ hash: string }>(await db.execute(sql`select hash from audit_log where seq = ${seq}`));
  if (row === undefined) throw new Error(`no entry ${seq}`);
  return row.hash;
}

/** A forged entry at `seq`, chained onto the entry `prevSeq` with a hash computed as appendAudit would. */
function forgedEntryAt(seq: number, prevSeq: number): SQL {
  return sql`
    insert into audit_log (seq, prev_hash, hash, at, actor, action, subject_type, subject_id, before, after)
    select ${seq}, p.hash,
      audit_entry_hash(p.hash, ${seq}::bigint, ${clock.now()}::timestamptz, 'operator:cli', 'coupon.issued', 'coupon', 'C-forged', null::jsonb, '{"count": 1000}'::jsonb),
      ${clock.now()}::timestamptz, 'operator:cli', 'coupon.issued', 'coupon', 'C-forged', null::jsonb, '{"count": 1000}'::jsonb
    from audit_log p where p.seq = ${prevSeq}`;
}

describe(verifyAuditChain.name, () => {
  it('finds an empty log intact at the genesis head', async () => {
    expect(await verifyAuditChain({ db })).toEqual({ ok: true, value: { entries: 0, headSeq: 0, headHash: '0'.repeat(64) } });
  });

  it('finds an untouched chain intact and reports the head appendAudit left', async () => {
    await appendEntries(6);
    const head = await findAuditHead(db);
    expect(head).toEqual({ seq: 6, hash: await storedHashOf(6) });
    expect(await verifyAuditChain({ db })).toEqual({ ok: true, value: { entries: 6, headSeq: 6, headHash: head!.hash } });
  });

  it(`numbers 30 appends racing in separate transactions 1..30 with no gap, and the chain holds (${onWhat})`, async () => {
    const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => entryOf(i + 1)).map((entry) => db.transaction((tx) => appendAudit(tx, entry))));
    expect(appended.map((a) => a.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const seqs = rowsOf<{ seq: string | number }>(await db.execute(sql`select seq from audit_log order by seq`)).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const last = appended.find((a) => a.seq === 30)!;
    expect(await verifyAuditChain({ db })).toEqual({ ok: true, value: { entries: 30, headSeq: 30, headHash: last.hash } });
  });

  it(`never reports a chain broken while appends commit around it (${onWhat})`, async () => {
    await appendEntries(3);
    const work = Array.from({ length: 30 }, (_, i) => entryOf(i + 4)).map((entry) => db.transaction((tx) => appendAudit(tx, entry)));
    const verdicts = await Promise.all(Array.from({ length: 6 }, () => verifyAuditChain({ db })));
    await Promise.all(work);
    for (const verdict of verdicts) expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, value: { entries: 33, headSeq: 33 } });
  });

  // PGlite has one connection: the writer below would hold it while the verification waits.
  it.runIf(isOnPostgresServer())('reads the entries and the head in one snapshot when an append commits between the two reads', async () => {
    await appendEntries(4);
    let isLocked!: () => void;
    const locked = new Promise<void>((resolve) => (isLocked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The writer keeps every reader of audit_head waiting until it commits its append.
    const writer = db.transaction(async (tx) => {
      await tx.execute(sql`lock table audit_head in access exclusive mode`);
      isLocked();
      await released;
      await appendAudit(tx, entryOf(5));
    });
    await locked;
    const verdict = verifyAuditChain({ db });
    // Wait until the verification has read the entries and stands blocked on the head.
    for (let polls = 0; ; polls++) {
      const [row] = rowsOf<{ waiting: number }>(await db.execute(sql`select count(*)::int as waiting from pg_locks where relation = 'audit_head'::regclass and not granted`));
      if ((row?.waiting ?? 0) > 0) break;
      if (polls > 10_000) throw new Error('the verification never waited for the head');
    }
    release();
    await writer;
    expect(await verdict).toMatchObject({ ok: true, value: { entries: 4, headSeq: 4 } });
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, value: { entries: 5, headSeq: 5 } });
  });

  it('names an entry whose content was altered, with its seq', async () => {
    await appendEntries(6);
    const original = await storedHashOf(3);
    await tamper(sql`update audit_log set after = jsonb_set(after, '{status}', '"cancelled"') where seq = 3`);
    const verdict = await verifyAuditChain({ db });
    expect(verdict).toMatchObject({ ok: false, code: 'auditChain.altered', seq: 3, storedHash: original });
    expect(verdict.ok === false && verdict.code === 'auditChain.altered' && verdict.expectedHash).not.toBe(original);
  });

  it('names an entry whose instant was moved by one microsecond', async () => {
    await appendEntries(4);
    await tamper(sql`update audit_log set at = at + interval '1 microsecond' where seq = 2`);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: false, code: 'auditChain.altered', seq: 2 });
  });

  it('names the next link when an entry was rewritten with a recomputed hash', async () => {
    await appendEntries(6);
    const original = await storedHashOf(3);
    await tamper(sql`
      update audit_log set actor = 'operator:someone-else',
        hash = audit_entry_hash(prev_hash, seq, at, 'operator:someone-else', action, subject_type, subject_id, before, after)
      where seq = 3`);
    // Entry 3 is consistent in itself now; entry 4 still names what entry 3 was.
    expect(await verifyAuditChain({ db })).toMatchObject({
      ok: false,
      code: 'auditChain.inserted',
      reason: 'brokenLink',
      seq: 4,
      prevHash: original,
      expectedPrevHash: await storedHashOf(3),
    });
  });

  it('names the seq of a deleted middle entry', async () => {
    await appendEntries(6);
    await tamper(sql`delete from audit_log where seq = 4`);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: false, code: 'auditChain.deleted', missing: { fromSeq: 4, toSeq: 4 }, nextSeq: 5 });
  });

  it('names an entry with a made-up seq past the head as inserted', async () => {
    await appendEntries(6);
    // The append-only trigger refuses updates and deletes only: an insert needs no tampering with it.
    await db.execute(forgedEntryAt(1_000, 6));
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: false, code: 'auditChain.inserted', reason: 'pastHead', seq: 1_000 });
  });

  it('names a well-chained forgery at head + 1 that did not move the head as inserted', async () => {
    await appendEntries(6);
    await db.execute(forgedEntryAt(7, 6));
    const verdict = await verifyAuditChain({ db });
    expect(verdict).toMatchObject({ ok: false, code: 'auditChain.inserted', reason: 'pastHead', seq: 7, prevHash: await storedHashOf(6), expectedSeq: 7 });
  });

  it('names the head mismatch, and the missing seq, when the last entry was deleted', async () => {
    await appendEntries(6);
    const head = await findAuditHead(db);
    await tamper(sql`delete from audit_log where seq = 6`);
    expect(await verifyAuditChain({ db })).toEqual({
      ok: false,
      code: 'auditChain.headMismatch',
      headSeq: 6,
      headHash: head!.hash,
      lastSeq: 5,
      lastHash: await storedHashOf(5),
      missing: { fromSeq: 6, toSeq: 6 },
    });
  });

  it('names a head whose hash was changed', async () => {
    await appendEntries(3);
    await db.execute(sql`update audit_head set hash = ${'f'.repeat(64)}`);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: false, code: 'auditChain.headMismatch', headSeq: 3, lastSeq: 3, missing: undefined });
  });

  it('names a deleted head row', async () => {
    await appendEntries(2);
    await db.execute(sql`delete from audit_head`);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: false, code: 'auditChain.headMissing', lastSeq: 2 });
  });
});

describe(registerAuditCommands.name, () => {
  const log = pino({ level: 'silent' });

  /** Run `certdesk <args>` against the test database; commander's exit becomes a thrown CommanderError. */
  async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number; opened: number; closed: number }> {
    let out = '';
    let err = '';
    let opened = 0;
    let closed = 0;
    const program = new Command()
      .name('certdesk')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerAuditCommands(program, () => {
      opened += 1;
      return Promise.resolve({ db, log, close: () => Promise.resolve(void (closed += 1)) });
    });
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out, err, exitCode: 0, opened, closed };
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      return { out, err, exitCode: error.exitCode, opened, closed };
    }
  }

  it('prints the head of an intact chain and exits 0', async () => {
    await appendEntries(5);
    const head = await findAuditHead(db);
    const run = await cli('audit', 'verify');
    expect(run).toMatchObject({ exitCode: AUDIT_EXIT.intact, err: '', opened: 1, closed: 1 });
    expect(run.out).toBe(`audit chain intact: 5 entries, head seq 5 hash ${head!.hash}\n`);
  });

  it('prints JSON with --json', async () => {
    await appendEntries(2);
    const run = await cli('audit', 'verify', '--json');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ intact: true, entries: 2, headSeq: 2, headHash: await storedHashOf(2) });
  });

  it('names the altered entry on stdout and exits 1', async () => {
    await appendEntries(4);
    await tamper(sql`update audit_log set after = '{}'::jsonb where seq = 2`);
    const run = await cli('audit', 'verify');
    expect(run).toMatchObject({ exitCode: AUDIT_EXIT.broken, closed: 1 });
    expect(run.out).toMatch(/^audit chain broken: entry id \d+ \(seq 2\) was altered: its stored hash [0-9a-f]{64} is not the hash of its contents [0-9a-f]{64}\n$/);
    expect(run.err).toBe('error: the audit chain is broken (auditChain.altered)\n');
  });

  it('names the deleted entries and exits 1, in JSON too', async () => {
    await appendEntries(6);
    await tamper(sql`delete from audit_log where seq in (3, 4)`);
    const human = await cli('audit', 'verify');
    expect(human.exitCode).toBe(1);
    expect(human.out).toMatch(/^audit chain broken: entries seq 3–4 are missing before entry id \d+ \(seq 5\): deleted\n$/);
    const json = await cli('audit', 'verify', '--json');
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ intact: false, code: 'auditChain.deleted', missing: { fromSeq: 3, toSeq: 4 }, nextSeq: 5 });
  });

  it('names the head mismatch when the last entry was deleted', async () => {
    await appendEntries(3);
    await tamper(sql`delete from audit_log where seq = 3`);
    const run = await cli('audit', 'verify');
    expect(run).toMatchObject({ exitCode: 1, out: 'audit chain broken: the head (seq 3) is beyond the last entry (seq 2): entry seq 3 is missing: deleted\n' });
  });

  it('exits 2 on a usage mistake, without opening the database', async () => {
    for (const args of [['audit', 'verify', '--bogus'], ['audit', 'verify', 'extra'], ['audit', 'nope'], ['audit']]) {
      const run = await cli(...args);
      expect(run, args.join(' ')).toMatchObject({ exitCode: AUDIT_EXIT.notVerified, opened: 0, out: '' });
      expect(run.err, args.join(' ')).toMatch(/error: /);
    }
  });

  it('exits 2, not 1, when the database cannot be opened or read', async () => {
    let out = '';
    let err = '';
    const program = new Command()
      .name('certdesk')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerAuditCommands(program, () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
    const failure = await program.parseAsync(['audit', 'verify'], { from: 'user' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommanderError);
    expect((failure as CommanderError).exitCode).toBe(AUDIT_EXIT.notVerified);
    expect(out).toBe('');
    expect(err).toBe('error: cannot verify the audit chain: connect ECONNREFUSED 127.0.0.1:5432\n');
  });

  it('exits 0 for help', async () => {
    const run = await cli('audit', 'verify', '--help');
    expect(run).toMatchObject({ exitCode: 0, opened: 0 });
    expect(run.out).toContain('--json');
  });
});
