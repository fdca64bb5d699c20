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
  return { db: deps.db, clock: deps.clock, log: deps.log, site: deps.site, passwords: deps.passwords, review: deps.review };
}

/** Who a request comes from, for limits: the client (an address, or an IPv6 /64) and its network (an IPv6 /48). */
export interface ClientKeys {
  client: string;
  network: string;
}

/**
 * Who a request comes from: the socket's address, or, behind `proxyHops` proxies of ours,
 * the address the outermost of them saw (the entry that many places from the right of
 * X-Forwarded-For; everything left of it the client wrote). IPv6 clients are counted by
 * their prefix (a /64 by default: one subscriber's line), so rotating through it gains
 * nothing (issue #6 defect 9); their network is the /48 around it.
 */
export function clientKeysOf(c: Context<WebEnv>, deps: Pick<WebDeps, 'proxyHops' | 'ipv6ClientPrefix' | 'log'>): ClientKeys {
  let address: string | undefined;
  if (deps.proxyHops > 0) {
    const entries = (c.req.header('x-forwarded-for') ?? '').split(',').map((e) => e.trim());
    const entry = entries.length >= deps.proxyHops ? entries[entries.length - deps.proxyHops] : undefined;
    address = entry === undefined ? undefined : bareAddress(entry);
    if (entry !== undefined && entry !== '' && address === undefined) deps.log.debug({ event: 'client.badForwardedFor' }, 'X-Forwarded-For entry is not an address');
  }
  if (address === undefined) {
    try {
      address = bareAddress(getConnInfo(c).remote.address ?? '');
    } catch {
      // In-process requests (tests through app.request) have no socket.
      address = undefined;
    }
  }
  if (address === undefined) return { client: 'in-process', network: 'in-process' };
  return { client: clientKeyOfAddress(address, deps.ipv6ClientPrefix), network: clientKeyOfAddress(address, Math.min(48, deps.ipv6ClientPrefix)) };
}

/** The client key alone, for limits that count clients. */
export function clientKeyOf(c: Context<WebEnv>, deps: Pick<WebDeps, 'proxyHops' | 'ipv6ClientPrefix' | 'log'>): string {
  return clientKeysOf(c, deps).client;
}

/** An IP address out of what a proxy or socket reports: brackets, ports and zone ids removed; undefined if it is none. */
export function bareAddress(reported: string): string | undefined {
  let value = reported.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1] !== undefined) value = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.replace(/:\d+$/, '');
  value = value.replace(/%.*$/, '');
  return net.isIP(value) === 0 ? undefined : value;
}

/** The key of an address for per-client limits: IPv4 as it is, IPv6 by its first `ipv6Prefix` bits. */
export function clientKeyOfAddress(address: string, ipv6Prefix: number): string {
  const bare = bareAddress(address);
  if (bare === undefined) return `other:${address.slice(0, 64)}`;
  if (net.isIPv4(bare)) return bare;
  const groups = ipv6Groups(bare);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible), however spelt, are that IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || (groups[5] === 0 && (groups[6] ?? 0) !== 0))) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, ipv6Prefix - i * 16));
    return (keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff)).toString(16);
  });
  return `${masked.join(':')}/${ipv6Prefix}`;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const partsOf = (part: string): number[] => {
    if (part === '') return [];
    const pieces = part.split(':');
    const last = pieces.at(-1) ?? '';
    if (net.isIPv4(last)) {
      const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
      return [...pieces.slice(0, -1).map((p) => parseInt(p, 16)), (a << 8) | b, (c << 8) | d];
    }
    return pieces.map((p) => parseInt(p, 16));
  };
  if (tail === undefined) return partsOf(head);
  const left = partsOf(head);
  const right = partsOf(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
