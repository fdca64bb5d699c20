import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/store/group-commit.js';

/** A writer that records its batches and answers each item doubled; `release` lets a held batch finish. */
function heldWriter(options: { refuse?: (item: number) => boolean } = {}) {
  const batches: number[][] = [];
  const held: (() => void)[] = [];
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...items]);
      held.push(() => (items.some((item) => options.refuse?.(item) === true) ? reject(new Error(`refused ${items.join(',')}`)) : resolve(items.map((item) => item * 2))));
    });
  /** Lets every write finish, those started by earlier ones too. */
  const releaseAll = async () => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = held.shift();
      if (next === undefined) return;
      next();
    }
  };
  return { write, batches, releaseAll };
}

/** The next turn of the event loop. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe(groupCommit.name, () => {
  it('writes a lone item in the next turn, alone', async () => {
    const writer = heldWriter();
    const submit = groupCommit(writer.write, { maxBatch: 8 });
    const result = submit(21);
    await nextTurn();
    expect(writer.batches).toEqual([[21]]);
    await writer.releaseAll();
    await expect(result).resolves.toBe(42);
  });

  it('sends the items of one turn together, and those that arrive during a write together in the next one, each answer to its caller', async () => {
    const writer = heldWriter();
    const submit = groupCommit(writer.write, { maxBatch: 8 });
    const first = [submit(1), submit(0)];
    await nextTurn();
    const later = [2, 3, 4, 5].map((item) => submit(item));
    expect(writer.batches).toEqual([[1, 0]]);
    await writer.releaseAll();
    expect(writer.batches).toEqual([[1, 0], [2, 3, 4, 5]]);
    expect(await Promise.all([...first, ...later])).toEqual([2, 0, 4, 6, 8, 10]);
  });

  it('never puts more than maxBatch items in one write', async () => {
    const writer = heldWriter();
    const submit = groupCommit(writer.write, { maxBatch: 3 });
    const results = Array.from({ length: 8 }, (_, item) => submit(item));
    await writer.releaseAll();
    expect(writer.batches).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(await Promise.all(results)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });

  it('writes a refused batch again item by item: only the refused item fails', async () => {
    const writer = heldWriter({ refuse: (item) => item === 3 });
    const submit = groupCommit(writer.write, { maxBatch: 8 });
    const results = [1, 2, 3, 4].map((item) => submit(item).then(String, (error: Error) => error.message));
    await writer.releaseAll();
    expect(writer.batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
    expect(await Promise.all(results)).toEqual(['2', '4', 'refused 3', '8']);
  });

  it('goes on with the next items after a failed write, and refuses a writer that answers short', async () => {
    const short = groupCommit((items: readonly number[]) => Promise.resolve(items.slice(1)), { maxBatch: 8 });
    await expect(short(1)).rejects.toThrow('0 results for 1 items');
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow(/results for 1 items/);
    const writer = heldWriter({ refuse: () => true });
    const submit = groupCommit(writer.write, { maxBatch: 8 });
    const refused = submit(1).catch((error: Error) => error.message);
    await writer.releaseAll();
    expect(await refused).toBe('refused 1');
    const ok = groupCommit((items: readonly number[]) => Promise.resolve(items.map((item) => item + 1)), { maxBatch: 8 });
    expect(await ok(1)).toBe(2);
    expect(() => groupCommit(writer.write, { maxBatch: 0 })).toThrow(/positive integer/);
  });
});
