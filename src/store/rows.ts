/** Both drivers return `{ rows }` from a raw execute; drizzle's generic type does not say so. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
