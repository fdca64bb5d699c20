import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, judgeAuditChain, type AuditChainEntry, type AuditChainHead } from '../../src/domain/audit-chain.js';

/** A made-up hash for entry n; the rule only compares hashes, it never computes one. */
const hashOf = (seq: number) => `${seq}`.padStart(64, 'a');

/** Entries 1..n as appendAudit writes them, with ids 100 + seq. */
function chainOf(n: number): AuditChainEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    return { id: 100 + seq, seq, prevHash: seq === 1 ? GENESIS_HASH : hashOf(seq - 1), hash: hashOf(seq), expectedHash: hashOf(seq) };
  });
}

const headOf = (entries: readonly AuditChainEntry[]): AuditChainHead => {
  const last = entries.at(-1);
  return last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq!, hash: last.hash! };
};

/** Entry `seq` of `entries`, replaced by `change(entry)`. */
function withEntry(entries: readonly AuditChainEntry[], seq: number, change: (e: AuditChainEntry) => AuditChainEntry): AuditChainEntry[] {
  return entries.map((e) => (e.seq === seq ? change(e) : e));
}

describe(judgeAuditChain.name, () => {
  it('finds an untouched chain intact and reports its head', () => {
    const entries = chainOf(5);
    expect(judgeAuditChain(entries, headOf(entries))).toEqual({ ok: true, value: { entries: 5, headSeq: 5, headHash: hashOf(5) } });
  });

  it('finds an empty log with the genesis head intact', () => {
    expect(judgeAuditChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ ok: true, value: { entries: 0, headSeq: 0, headHash: GENESIS_HASH } });
  });

  describe('altered entries', () => {
    it('names an entry whose stored hash is not the hash of its columns', () => {
      const entries = chainOf(5);
      const altered = withEntry(entries, 3, (e) => ({ ...e, expectedHash: 'f'.repeat(64) }));
      expect(judgeAuditChain(altered, headOf(entries))).toEqual({
        ok: false,
        code: 'auditChain.altered',
        id: 103,
        seq: 3,
        storedHash: hashOf(3),
        expectedHash: 'f'.repeat(64),
      });
    });

    it('names an entry whose prevHash alone was changed as altered: the hash covers it', () => {
      const entries = chainOf(5);
      // What audit_entry_hash gives for the changed prevHash is some other value.
      const altered = withEntry(entries, 4, (e) => ({ ...e, prevHash: 'b'.repeat(64), expectedHash: 'c'.repeat(64) }));
      expect(judgeAuditChain(altered, headOf(entries))).toMatchObject({ code: 'auditChain.altered', seq: 4 });
    });

    it('names only the first of two altered entries', () => {
      const entries = chainOf(5);
      let altered = withEntry(entries, 2, (e) => ({ ...e, expectedHash: 'f'.repeat(64) }));
      altered = withEntry(altered, 4, (e) => ({ ...e, expectedHash: 'e'.repeat(64) }));
      expect(judgeAuditChain(altered, headOf(entries))).toMatchObject({ code: 'auditChain.altered', seq: 2 });
    });

    it('names the first entry when its hash is missing', () => {
      const entries = chainOf(2);
      const altered = withEntry(entries, 1, (e) => ({ ...e, hash: null }));
      expect(judgeAuditChain(altered, headOf(entries))).toMatchObject({ code: 'auditChain.altered', seq: 1, storedHash: null });
    });
  });

  describe('inserted entries', () => {
    it('names an entry without a seq, before walking the rest', () => {
      const entries = chainOf(3);
      const stray: AuditChainEntry = { id: 200, seq: null, prevHash: hashOf(3), hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) };
      expect(judgeAuditChain([stray, ...entries], headOf(entries))).toMatchObject({ code: 'auditChain.inserted', reason: 'noSeq', id: 200, seq: null });
    });

    it('names a consistent entry whose prevHash is not the previous entry’s hash', () => {
      const entries = chainOf(5);
      // A forger who replaced entry 3 without knowing entry 2's hash: its own hash is right.
      const forged = withEntry(entries, 3, (e) => ({ ...e, id: 300, prevHash: 'b'.repeat(64) }));
      expect(judgeAuditChain(forged, headOf(entries))).toEqual({
        ok: false,
        code: 'auditChain.inserted',
        reason: 'brokenLink',
        id: 300,
        seq: 3,
        prevHash: 'b'.repeat(64),
        expectedPrevHash: hashOf(2),
        expectedSeq: 3,
      });
    });

    it('names entry 1 when it does not start from the genesis hash', () => {
      const entries = chainOf(2);
      const forged = withEntry(entries, 1, (e) => ({ ...e, prevHash: 'b'.repeat(64) }));
      expect(judgeAuditChain(forged, headOf(entries))).toMatchObject({ code: 'auditChain.inserted', reason: 'brokenLink', seq: 1, expectedPrevHash: GENESIS_HASH });
    });

    it('names an entry that chains on correctly but lies just past the head', () => {
      const entries = chainOf(5);
      const head = headOf(entries);
      const forged: AuditChainEntry = { id: 600, seq: 6, prevHash: hashOf(5), hash: hashOf(6), expectedHash: hashOf(6) };
      expect(judgeAuditChain([...entries, forged], head)).toMatchObject({ code: 'auditChain.inserted', reason: 'pastHead', id: 600, seq: 6, expectedSeq: 6 });
    });

    it('names an entry with a made-up seq far past the head as inserted, not as a gap', () => {
      const entries = chainOf(5);
      const forged: AuditChainEntry = { id: 600, seq: 1000, prevHash: hashOf(5), hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) };
      expect(judgeAuditChain([...entries, forged], headOf(entries))).toMatchObject({ code: 'auditChain.inserted', reason: 'pastHead', seq: 1000 });
    });

    it('names an entry that repeats a seq (possible only without the unique index)', () => {
      const entries = chainOf(3);
      const twin: AuditChainEntry = { id: 400, seq: 2, prevHash: hashOf(1), hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) };
      const rows = [entries[0]!, entries[1]!, twin, entries[2]!];
      expect(judgeAuditChain(rows, headOf(entries))).toMatchObject({ code: 'auditChain.inserted', reason: 'outOfSequence', id: 400, seq: 2, expectedSeq: 3 });
    });

    it('names an entry numbered below 1', () => {
      const entries = chainOf(2);
      const stray: AuditChainEntry = { id: 50, seq: 0, prevHash: GENESIS_HASH, hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) };
      expect(judgeAuditChain([stray, ...entries], headOf(entries))).toMatchObject({ code: 'auditChain.inserted', reason: 'outOfSequence', seq: 0 });
    });
  });

  describe('deleted entries', () => {
    it('names the one missing seq in the middle', () => {
      const entries = chainOf(5);
      const rows = entries.filter((e) => e.seq !== 3);
      expect(judgeAuditChain(rows, headOf(entries))).toEqual({ ok: false, code: 'auditChain.deleted', missing: { fromSeq: 3, toSeq: 3 }, nextId: 104, nextSeq: 4 });
    });

    it('names every seq of a missing run', () => {
      const entries = chainOf(8);
      const rows = entries.filter((e) => e.seq! < 3 || e.seq! > 6);
      expect(judgeAuditChain(rows, headOf(entries))).toMatchObject({ code: 'auditChain.deleted', missing: { fromSeq: 3, toSeq: 6 }, nextSeq: 7 });
    });

    it('names missing entries at the start', () => {
      const entries = chainOf(4);
      expect(judgeAuditChain(entries.slice(2), headOf(entries))).toMatchObject({ code: 'auditChain.deleted', missing: { fromSeq: 1, toSeq: 2 } });
    });

    it('names a gap before the head, and not the numbers past it, when a forged entry lies beyond', () => {
      const entries = chainOf(6);
      const forged: AuditChainEntry = { id: 900, seq: 9, prevHash: hashOf(4), hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) };
      // Entries 5 and 6 deleted, entry 9 written without moving the head (still at 6).
      expect(judgeAuditChain([...entries.slice(0, 4), forged], headOf(entries))).toMatchObject({ code: 'auditChain.deleted', missing: { fromSeq: 5, toSeq: 6 }, nextSeq: 9 });
    });

    it('names the first gap of two', () => {
      const entries = chainOf(8);
      const rows = entries.filter((e) => e.seq !== 2 && e.seq !== 6);
      expect(judgeAuditChain(rows, headOf(entries))).toMatchObject({ code: 'auditChain.deleted', missing: { fromSeq: 2, toSeq: 2 } });
    });

    it('reports a gap before an alteration that comes later', () => {
      const entries = chainOf(5);
      const rows = withEntry(entries, 4, (e) => ({ ...e, expectedHash: 'f'.repeat(64) })).filter((e) => e.seq !== 2);
      expect(judgeAuditChain(rows, headOf(entries))).toMatchObject({ code: 'auditChain.deleted', missing: { fromSeq: 2, toSeq: 2 } });
    });
  });

  describe('the head', () => {
    it('names the deleted last entry: the head is beyond it', () => {
      const entries = chainOf(5);
      expect(judgeAuditChain(entries.slice(0, 4), headOf(entries))).toEqual({
        ok: false,
        code: 'auditChain.headMismatch',
        headSeq: 5,
        headHash: hashOf(5),
        lastSeq: 4,
        lastHash: hashOf(4),
        missing: { fromSeq: 5, toSeq: 5 },
      });
    });

    it('names every entry deleted from an emptied log', () => {
      const entries = chainOf(3);
      expect(judgeAuditChain([], headOf(entries))).toMatchObject({ code: 'auditChain.headMismatch', lastSeq: 0, lastHash: GENESIS_HASH, missing: { fromSeq: 1, toSeq: 3 } });
    });

    it('names a head whose hash is not the last entry’s (a last entry replaced with a recomputed hash)', () => {
      const entries = chainOf(3);
      const replaced = withEntry(entries, 3, (e) => ({ ...e, hash: 'd'.repeat(64), expectedHash: 'd'.repeat(64) }));
      expect(judgeAuditChain(replaced, headOf(entries))).toEqual({
        ok: false,
        code: 'auditChain.headMismatch',
        headSeq: 3,
        headHash: hashOf(3),
        lastSeq: 3,
        lastHash: 'd'.repeat(64),
        missing: undefined,
      });
    });

    it('names entries past a head that was moved back', () => {
      const entries = chainOf(5);
      expect(judgeAuditChain(entries, { seq: 3, hash: hashOf(3) })).toMatchObject({ code: 'auditChain.inserted', reason: 'pastHead', seq: 4 });
    });

    it('names a missing head row once the entries themselves hold together', () => {
      const entries = chainOf(2);
      expect(judgeAuditChain(entries, undefined)).toEqual({ ok: false, code: 'auditChain.headMissing', lastSeq: 2, lastHash: hashOf(2) });
    });

    it('names a broken entry before a missing head row', () => {
      const entries = withEntry(chainOf(2), 2, (e) => ({ ...e, expectedHash: 'f'.repeat(64) }));
      expect(judgeAuditChain(entries, undefined)).toMatchObject({ code: 'auditChain.altered', seq: 2 });
    });
  });
});
