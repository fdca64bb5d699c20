import { judgeAuditChain, type AuditChainVerdict } from '../domain/audit-chain.js';
import { findAuditHead, listAuditChain } from '../store/audit-store.js';
import type { CoreDeps } from './deps.js';

/**
 * Walk the audit chain in seq order and say whether it is whole (issue #7). The entries
 * and the head are read in one repeatable-read snapshot: read apart, an append that
 * commits in between would look like an entry past the head, or a deleted last entry.
 * Read only: verifying writes nothing, not even an audit entry.
 */
export async function verifyAuditChain(deps: Pick<CoreDeps, 'db'>): Promise<AuditChainVerdict> {
  const { entries, head } = await deps.db.transaction(
    async (tx) => {
      const chain = await listAuditChain(tx);
      return { entries: chain, head: await findAuditHead(tx) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  return judgeAuditChain(entries, head);
}
