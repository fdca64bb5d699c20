/** PostgreSQL SQLSTATE 23505, through drizzle's wrapper (which keeps the driver error as cause). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e instanceof Error || (typeof e === 'object' && e !== null); ) {
    const candidate = e as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };
    if (candidate.code === '23505') {
      if (constraint === undefined) return true;
      return candidate.constraint === constraint || String(candidate.message).includes(constraint);
    }
    e = candidate.cause;
  }
  return false;
}
