import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import pino from 'pino';
import type { WebEnv } from '../../src/web/env.js';
import { bareAddress, clientKeyOfAddress, clientKeysOf } from '../../src/web/request.js';

describe(clientKeyOfAddress.name, () => {
  it('counts IPv4 clients by their address', () => {
    expect(clientKeyOfAddress('203.0.113.9', 64)).toBe('203.0.113.9');
  });

  it('counts an IPv6 client by its /64, however it spells the address (issue #6 defect 9)', () => {
    const key = clientKeyOfAddress('2001:db8:1:2::1', 64);
    expect(key).toBe('2001:db8:1:2:0:0:0:0/64');
    for (const other of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::abcd', '[2001:db8:1:2::5]', '2001:db8:1:2::7%eth0', '2001:DB8:1:2::9']) {
      expect(clientKeyOfAddress(other, 64), other).toBe(key);
    }
    expect(clientKeyOfAddress('2001:db8:1:3::1', 64)).not.toBe(key);
  });

  it('takes a configured prefix length', () => {
    expect(clientKeyOfAddress('2001:db8:1:2::1', 48)).toBe('2001:db8:1:0:0:0:0:0/48');
    expect(clientKeyOfAddress('2001:db8:1:2::1', 56)).toBe(clientKeyOfAddress('2001:db8:1:ff::1', 56));
    expect(clientKeyOfAddress('2001:db8:1:2::1', 56)).not.toBe(clientKeyOfAddress('2001:db8:1:100::1', 56));
    expect(clientKeyOfAddress('2001:db8:1:2::1', 128)).toBe('2001:db8:1:2:0:0:0:1/128');
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(clientKeyOfAddress('::ffff:203.0.113.9', 64)).toBe('203.0.113.9');
    expect(clientKeyOfAddress('::FFFF:203.0.113.9', 64)).toBe('203.0.113.9');
  });

  it('keeps anything that is not an address apart, and bounded', () => {
    expect(clientKeyOfAddress('x'.repeat(500), 64).length).toBeLessThan(80);
  });

  it('reads an address with a port or brackets as the address (proxies that append ports)', () => {
    expect(bareAddress('203.0.113.9:5678')).toBe('203.0.113.9');
    expect(bareAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(bareAddress('unknown')).toBeUndefined();
    expect(bareAddress('1.2.3.4, 5.6.7.8')).toBeUndefined();
  });

  it('counts every spelling of an IPv4-mapped or -compatible address as that IPv4 client, apart from ::1', () => {
    for (const spelling of ['0:0:0:0:0:ffff:1.2.3.4', '::ffff:0102:0304', '::ffff:1.2.3.4', '::1.2.3.4']) {
      expect(clientKeyOfAddress(spelling, 64), spelling).toBe('1.2.3.4');
    }
    expect(clientKeyOfAddress('::1', 64)).not.toBe('1.2.3.4');
  });
});

describe(clientKeysOf.name, () => {
  const keysBehind = async (proxyHops: number, forwardedFor: string | undefined) => {
    const app = new Hono<WebEnv>();
    app.get('/', (c) => c.json(clientKeysOf(c, { proxyHops, ipv6ClientPrefix: 64, log: pino({ level: 'silent' }) })));
    const res = await app.request('/', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });
    return (await res.json()) as { client: string; network: string };
  };

  it('takes the entry our outermost proxy wrote, however many hops we run', async () => {
    expect((await keysBehind(1, '10.0.0.1, 203.0.113.9')).client).toBe('203.0.113.9');
    expect((await keysBehind(2, '10.0.0.1, 203.0.113.9, 192.168.0.10')).client).toBe('203.0.113.9');
    expect((await keysBehind(1, '203.0.113.9:61000')).client).toBe('203.0.113.9');
  });

  it('never trusts the header without a proxy, nor an entry that is no address', async () => {
    expect((await keysBehind(0, '203.0.113.9')).client).toBe('in-process');
    expect((await keysBehind(1, 'unknown')).client).toBe('in-process');
  });

  it('names the /48 around an IPv6 client as its network', async () => {
    expect(await keysBehind(1, '2001:db8:1:2::7')).toEqual({ client: '2001:db8:1:2:0:0:0:0/64', network: '2001:db8:1:0:0:0:0:0/48' });
    expect(await keysBehind(1, '203.0.113.9')).toEqual({ client: '203.0.113.9', network: '203.0.113.9' });
  });
});
