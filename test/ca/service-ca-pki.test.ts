import 'reflect-metadata';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRootCrl } from '../../src/ca/root-crl.js';
import { initDeploymentCa, openServiceCa } from '../../src/ca/service-ca.js';
import { ConfigurationProblem } from '../../src/configuration-problem.js';
import { FakeClock } from '../support/fake-clock.js';
import { makeTempDir, passphrase } from './ca-test-kit.js';

const log = pino({ level: 'silent' });
const DAY = 86_400_000;

let temp: { dir: string; remove: () => Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir();
});
afterAll(async () => {
  await temp?.remove();
});

const configFor = (caDir: string, overrides: { pkiBaseUrl?: string } = {}) => ({
  caDir,
  caKeyPassphrase: passphrase,
  publicUrl: 'https://certs.example.jp',
  pkiBaseUrl: 'http://pki.example.jp',
  databaseUrl: 'postgres://unused',
  ...overrides,
});

describe(initDeploymentCa.name, () => {
  it('pre-signs the root CRL for a year while the new root key is open, and the issuing CA names its URLs', async () => {
    const clock = new FakeClock('2026-11-27T00:00:00Z');
    const caDir = join(temp.dir, 'deployment');
    const material = await initDeploymentCa(configFor(caDir), clock, {});
    const crl = await readRootCrl(caDir);
    expect(crl).toMatchObject({ thisUpdate: clock.now(), nextUpdate: new Date(clock.now().getTime() + 365 * DAY) });
    expect(material.issuing.getExtension('2.5.29.31')).not.toBeNull();
    expect(Buffer.from(material.issuing.rawData).toString('latin1')).toContain('http://pki.example.jp/pki/root-ca.crl');

    // A start that opens the CA leaves a CRL with a year left alone, and re-signs one within 90 days of its end.
    clock.advance(200 * DAY);
    await openServiceCa(configFor(caDir), clock, log);
    expect((await readRootCrl(caDir))?.crlNumber).toBe(crl!.crlNumber);
    clock.advance(100 * DAY);
    await openServiceCa(configFor(caDir), clock, log);
    const renewed = await readRootCrl(caDir);
    expect(renewed!.crlNumber).toBeGreaterThan(crl!.crlNumber);
    expect(renewed!.nextUpdate).toEqual(new Date(clock.now().getTime() + 365 * DAY));
  });
});

describe(openServiceCa.name, () => {
  it('refuses an https PKI base URL with a ConfigurationProblem', async () => {
    await expect(openServiceCa(configFor(join(temp.dir, 'refused'), { pkiBaseUrl: 'https://pki.example.jp' }), new FakeClock(), log)).rejects.toThrow(ConfigurationProblem);
  });
});
