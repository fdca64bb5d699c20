import net from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { RaDeps } from '../ra/deps.js';
import type { WebDeps, WebEnv } from './env.js';
import type { PageFrame } from './layout.js';

export function frameOf(c: Context<WebEnv>, deps: Pick<WebDeps, 'site'>, path = c.req.path): PageFrame {
  return { lang: c.get('lang') ?? 'ja', site: deps.site, path };
}

/** What the use cases get from a request handler (STYLE §2: one deps object). */
export function raDepsOf(deps: WebDeps): RaDeps {
  return { db: deps.db, clock: deps.clock, log: deps.log, site: deps.site, passwords: deps.passwords };
}

/**
 * Who a request comes from, for per-client limits: the socket's address, or the one our
 * proxy added to X-Forwarded-For. IPv6 clients are counted by their network prefix (a
 * /64 by default: one subscriber's line), so rotating through it gains nothing
 * (issue #6 defect 9); IPv4-mapped addresses count as the IPv4 address they carry.
 */
export function clientKeyOf(c: Context<WebEnv>, deps: Pick<WebDeps, 'isBehindProxy' | 'ipv6ClientPrefix'>): string {
  let address: string | undefined;
  if (deps.isBehindProxy) {
    // The rightmost entry is the one our proxy added; everything left of it the client wrote.
    address = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  }
  if (address === undefined || address === '') {
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      // In-process requests (tests through app.request) have no socket.
      address = undefined;
    }
  }
  return address === undefined || address === '' ? 'in-process' : clientKeyOfAddress(address, deps.ipv6ClientPrefix);
}

export function clientKeyOfAddress(address: string, ipv6Prefix: number): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (net.isIPv4(address)) return address;
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!net.isIPv6(bare)) return `other:${address.slice(0, 64)}`;
  return `${ipv6Prefix64(bare, ipv6Prefix)}/${ipv6Prefix}`;
}

/** The first `prefix` bits of an IPv6 address, as eight hex groups with the rest zeroed. */
function ipv6Prefix64(address: string, prefix: number): string {
  const [head = '', tail] = address.split('::');
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  let groups: string[];
  const lastOf = (parts: string[]) => parts.at(-1) ?? '';
  // An embedded IPv4 tail (::1.2.3.4) becomes two groups.
  const expandV4 = (parts: string[]) => {
    const last = lastOf(parts);
    if (!net.isIPv4(last)) return parts;
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    return [...parts.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  if (tail === undefined) {
    groups = expandV4(groupsOf(head));
  } else {
    const left = groupsOf(head);
    const right = expandV4(groupsOf(tail));
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  }
  const bits = groups.map((g) => parseInt(g, 16));
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    const keep = Math.max(0, Math.min(16, prefix - i * 16));
    const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
    out.push(((bits[i] ?? 0) & mask).toString(16));
  }
  return out.join(':');
}
