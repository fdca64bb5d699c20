import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { WebDeps, WebEnv } from './env.js';
import type { PageFrame } from './layout.js';

export function frameOf(c: Context<WebEnv>, deps: WebDeps, path = c.req.path): PageFrame {
  return { lang: c.get('lang'), productName: deps.productName, path };
}

/** The client address for rate limits: the socket's, or the proxy's header when we run behind one. */
export function clientKeyOf(c: Context<WebEnv>, deps: WebDeps): string {
  if (deps.isBehindProxy) {
    // The rightmost entry is the one our proxy added; everything left of it the client wrote.
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // In-process requests (tests through app.request) have no socket.
    return 'in-process';
  }
}

/** Form fields as plain strings (files and repeated fields are not part of any form here). */
export async function formOf(c: Context<WebEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
