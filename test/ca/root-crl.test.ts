import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Crl } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRootCrlDue, readRootCrl, refreshRootCrl, rootCrlFileName, rootCrlPolicy } from '../../src/ca/root-crl.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { FakeClock } from '../support/fake-clock.js';
import { run } from '../support/interop.js';
import { hasOpenssl } from './ca-test-kit.js';
import { makePkiTestCa, type PkiTestCa } from './pki-test-kit.js';

const DAY = 86_400_000;
const now = new Date('2026-11-27T00:00:00Z');

let kit: PkiTestCa;
beforeAll(async () => {
  kit = await makePkiTestCa(new FakeClock(now));
});
afterAll(async () => {
  await kit?.remove();
});

describe(refreshRootCrl.name, () => {
  it('signs an empty root CRL for a year, numbered by its thisUpdate in seconds, into a public file', async () => {
    const crl = await refreshRootCrl(kit.dir, kit.root, now);
    expect(crl.crlNumber).toBe(now.getTime() / 1000);
    expect(crl.thisUpdate).toEqual(now);
    expect(crl.nextUpdate).toEqual(new Date(now.getTime() + 365 * DAY));
    const parsed = new X509Crl(readFileSync(join(kit.dir, rootCrlFileName)));
    expect(parsed.issuer).toBe(kit.ca.root.subject);
    expect(parsed.entries).toHaveLength(0);
    expect(await parsed.verify({ publicKey: kit.ca.root }, webCrypto)).toBe(true);
    expect(statSync(join(kit.dir, rootCrlFileName)).mode & 0o777).toBe(0o644);
    expect(await readRootCrl(kit.dir)).toEqual(crl);
  });

  it('keeps the CRL in force until less than 90 days are left, then signs one with a higher number', async () => {
    const first = await refreshRootCrl(kit.dir, kit.root, now);
    const stillGood = new Date(first.nextUpdate.getTime() - rootCrlPolicy.renewBeforeMs);
    expect(await refreshRootCrl(kit.dir, kit.root, stillGood)).toEqual(first);
    const due = new Date(stillGood.getTime() + 1000);
    const second = await refreshRootCrl(kit.dir, kit.root, due);
    expect(second.crlNumber).toBeGreaterThan(first.crlNumber);
    expect(second.thisUpdate).toEqual(due);
  });

  it('numbers after the previous CRL even when the clock reads earlier', async () => {
    const current = (await readRootCrl(kit.dir))!;
    const { signRootCrl } = await import('../../src/ca/root-crl.js');
    expect((await signRootCrl(kit.root, current, now)).crlNumber).toBe(current.crlNumber + 1);
  });

  it.skipIf(!hasOpenssl)('verifies under the root with openssl', () => {
    const result = run('openssl', ['crl', '-inform', 'DER', '-in', join(kit.dir, rootCrlFileName), '-CAfile', kit.rootPem, '-noout', '-crlnumber']);
    expect(result.stderr).toMatch(/verify OK/);
    expect(result.stdout).toMatch(/^crlNumber=0x[0-9A-F]+\n$/);
  });
});

describe(isRootCrlDue.name, () => {
  it('is due when missing or within the renewal margin, at the boundary instant too', () => {
    const crl = { der: new Uint8Array(0), crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 365 * DAY) };
    expect(isRootCrlDue(undefined, now)).toBe(true);
    expect(isRootCrlDue(crl, new Date(crl.nextUpdate.getTime() - rootCrlPolicy.renewBeforeMs))).toBe(false);
    expect(isRootCrlDue(crl, new Date(crl.nextUpdate.getTime() - rootCrlPolicy.renewBeforeMs + 1))).toBe(true);
  });
});
