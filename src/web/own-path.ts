/**
 * A path on this site to go back to, or '/': never an open redirect, never a bad header
 * (issue #6 defect 1). The input is resolved as a URL against a fixed origin first, so
 * dot segments, encodings and backslashes are what a browser would make of them, and the
 * result is accepted only if it is a plain path whose first segment is not empty.
 */
export function ownPath(next: string | undefined): string {
  if (next === undefined || next.length > 512) return '/';
  let url: URL;
  try {
    url = new URL(next, 'http://certdesk.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://certdesk.invalid' || url.username !== '' || url.password !== '') return '/';
  const target = `${url.pathname}${url.search}`;
  // One leading slash, then a character that cannot start an authority or a scheme-relative URL.
  if (!/^\/(?![/\\])/.test(target) || /[\x00-\x20\x7f\\]/.test(target)) return '/';
  return target;
}
