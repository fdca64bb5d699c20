/**
 * If-None-Match as RFC 9110 §13.1.2 reads it: "*", or a list of entity tags compared
 * weakly (W/"x" matches "x"). A cache that sends the weak or listed form still gets 304.
 */
export function isNoneMatchSatisfied(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const own = opaque(etag);
  return trimmed.split(',').some((tag) => opaque(tag) === own);
}
