/**
 * Group commit: each caller hands in one item and waits for its own result; the items
 * that arrive while a batch is being written wait together and go in the next batch. A
 * lone caller is written at once; many concurrent ones share a statement, as a database
 * shares one WAL flush among the transactions that commit together.
 *
 * `write` must take a batch atomically (one statement, one transaction) and return one
 * result per item, in order. A failed batch is written again item by item, so an item
 * the database refuses fails its own caller only. A batch that failed before its commit
 * left nothing behind; one whose answer was lost after its commit is written again, so
 * `write` must take an item it has already written as what it is (ra/ca-signing.ts: a
 * reserved serial comes back taken, a recorded certificate is recognised).
 *
 * One batch is written at a time: a statement that hangs holds every caller behind it.
 */
export function groupCommit<I, O>(write: (items: readonly I[]) => Promise<readonly O[]>, options: { readonly maxBatch: number }): (item: I) => Promise<O> {
  if (!Number.isSafeInteger(options.maxBatch) || options.maxBatch < 1) throw new Error(`groupCommit: maxBatch must be a positive integer, not ${options.maxBatch}`);
  interface Waiting {
    readonly item: I;
    resolve(result: O): void;
    reject(error: unknown): void;
  }
  const queue: Waiting[] = [];
  let isWriting = false;

  const settle = async (batch: readonly Waiting[]): Promise<void> => {
    let results: readonly O[];
    try {
      results = await write(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) throw new Error(`groupCommit: ${results.length} results for ${batch.length} items`);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) await settle([waiting]);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index] as O));
  };

  const drain = async (): Promise<void> => {
    try {
      while (queue.length > 0) await settle(queue.splice(0, options.maxBatch));
    } finally {
      isWriting = false;
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (isWriting) return;
      isWriting = true;
      // The first batch takes what arrives during this turn of the event loop: an embedded
      // database (PGlite) works on this thread, so a write begun at once would hold no one
      // but its own item, while the callers whose work finished in the same turn wait behind it.
      setImmediate(() => void drain());
    });
}
