import { describe, expect, it } from 'vitest';
import { clientKeyOfAddress } from '../../src/web/request.js';

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
});
