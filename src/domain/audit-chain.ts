/**
 * The audit log's hash chain (issue #7, migration 0005): entry n carries seq n, the hash
 * of entry n - 1 as prevHash, and its own hash over prevHash and its columns. The head
 * row names the last entry. This file decides, from what is stored, whether the chain is
 * whole, and if not, names the first thing wrong with it in seq order.
 */

/** The prevHash of entry 1, and the head's hash while the log is empty (migration 0005). */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry as stored, and the hash its columns give now (computed by audit_entry_hash). */
export interface AuditChainEntry {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
  expectedHash: string;
}

export interface AuditChainHead {
  seq: number;
  hash: string;
}

/** A run of seq numbers, both ends included. */
export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

export interface IntactAuditChain {
  entries: number;
  headSeq: number;
  headHash: string;
}

/**
 * Why an entry is taken for one that was not appended by appendAudit:
 * - `noSeq`: it has no place in the chain at all;
 * - `outOfSequence`: its seq repeats or precedes one already walked;
 * - `pastHead`: it lies beyond the head (written without moving the head, or the head was moved back);
 * - `brokenLink`: its own hash is consistent, but its prevHash is not the previous entry's
 *   hash (forged in between, or the previous entry was rewritten with a recomputed hash).
 */
export type InsertedReason = 'noSeq' | 'outOfSequence' | 'pastHead' | 'brokenLink';

export type AuditChainProblem =
  | { ok: false; code: 'auditChain.altered'; id: number; seq: number; storedHash: string | null; expectedHash: string }
  | { ok: false; code: 'auditChain.inserted'; reason: InsertedReason; id: number; seq: number | null; prevHash: string | null; expectedPrevHash: string; expectedSeq: number }
  | { ok: false; code: 'auditChain.deleted'; missing: SeqRange; nextId: number; nextSeq: number }
  | { ok: false; code: 'auditChain.headMismatch'; headSeq: number; headHash: string; lastSeq: number; lastHash: string; missing: SeqRange | undefined }
  | { ok: false; code: 'auditChain.headMissing'; lastSeq: number; lastHash: string };

export type AuditChainCode = AuditChainProblem['code'];

export type AuditChainVerdict = { ok: true; value: IntactAuditChain } | AuditChainProblem;

/**
 * The verdict on a chain: `entries` in chain order (seq ascending, entries without a seq
 * first, as listAuditChain returns them) and the head row, read in one snapshot.
 * Each entry is checked in turn, in this order: its place (seq), whether it lies past the
 * head, its own hash, then its link to the one before; the head is checked last.
 */
export function judgeAuditChain(entries: readonly AuditChainEntry[], head: AuditChainHead | undefined): AuditChainVerdict {
  let expectedSeq = 1;
  let expectedPrevHash = GENESIS_HASH;
  const inserted = (entry: AuditChainEntry, reason: InsertedReason): AuditChainProblem => ({
    ok: false,
    code: 'auditChain.inserted',
    reason,
    id: entry.id,
    seq: entry.seq,
    prevHash: entry.prevHash,
    expectedPrevHash,
    expectedSeq,
  });

  for (const entry of entries) {
    const seq = entry.seq;
    if (seq === null) return inserted(entry, 'noSeq');
    if (seq < expectedSeq) return inserted(entry, 'outOfSequence');
    // Numbers past the head were never handed out: what lies there was not appended.
    const isPastHead = head !== undefined && seq > head.seq;
    if (seq > expectedSeq && !(isPastHead && expectedSeq > head.seq)) {
      const lastMissing = isPastHead ? head.seq : seq - 1;
      return { ok: false, code: 'auditChain.deleted', missing: { fromSeq: expectedSeq, toSeq: lastMissing }, nextId: entry.id, nextSeq: seq };
    }
    if (isPastHead) return inserted(entry, 'pastHead');
    if (entry.hash !== entry.expectedHash) {
      return { ok: false, code: 'auditChain.altered', id: entry.id, seq, storedHash: entry.hash, expectedHash: entry.expectedHash };
    }
    if (entry.prevHash !== expectedPrevHash) return inserted(entry, 'brokenLink');
    expectedPrevHash = entry.hash;
    expectedSeq = seq + 1;
  }

  const lastSeq = expectedSeq - 1;
  const lastHash = expectedPrevHash;
  if (head === undefined) return { ok: false, code: 'auditChain.headMissing', lastSeq, lastHash };
  if (head.seq !== lastSeq || head.hash !== lastHash) {
    const missing = head.seq > lastSeq ? { fromSeq: lastSeq + 1, toSeq: head.seq } : undefined;
    return { ok: false, code: 'auditChain.headMismatch', headSeq: head.seq, headHash: head.hash, lastSeq, lastHash, missing };
  }
  return { ok: true, value: { entries: entries.length, headSeq: head.seq, headHash: head.hash } };
}
