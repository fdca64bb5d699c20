/**
 * The seed of the fuzz properties: fixed, so every run checks the same cases and a
 * failure replays; another one from FUZZ_SEED (the test files read the environment and
 * pass it here) to explore further. fast-check prints the seed of a failure either way.
 */
export const DEFAULT_FUZZ_SEED = 20261202;

export function fuzzSeedFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_FUZZ_SEED;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`FUZZ_SEED must be an integer, not ${value}`);
  return parsed;
}
