/**
 * A request path as logs may carry it: the one-time cancellation token of
 * /cancel/link/<token> is a credential, so it is cut (STYLE §10: no secrets in logs).
 */
export function loggedPath(path: string): string {
  return path.replace(/^\/cancel\/link\/[^/]*/, '/cancel/link/…').slice(0, 200);
}
