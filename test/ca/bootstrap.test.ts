import 'reflect-metadata';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
} from '@peculiar/x509';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaNotFound, caFileNames, createCa, ensureCa, openCa, parseDistinguishedName } from '../../src/ca/bootstrap.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { FakeClock } from '../support/fake-clock.js';
import { extension, hasOpenssl, issuedAt, makeTempDir, openssl, passphrase, toUnixSeconds } from './ca-test-kit.js';

const dayMs = 86_400_000;

describe(ensureCa.name, () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let clock: FakeClock;
  beforeEach(async () => {
    temp = await makeTempDir();
    clock = new FakeClock(issuedAt);
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('creates a P-384 root and a P-256 issuing CA, keys encrypted with mode 0600', async () => {
    const ca = await ensureCa({ dir: temp.dir, passphrase, clock });
    expect(ca.created).toBe(true);

    for (const name of [caFileNames.rootKey, caFileNames.issuingKey]) {
      const path = join(temp.dir, name);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    }
    for (const name of [caFileNames.rootCertificate, caFileNames.issuingCertificate]) {
      expect(await readFile(join(temp.dir, name), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    }
    expect(ca.root.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-384' });
    expect(ca.issuing.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(ca.issuingSigner.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256' });
  });

  it('gives the root a 20-year self-signed profile (S/MIME BR 7.1.2.1)', async () => {
    const { root } = await ensureCa({ dir: temp.dir, passphrase, clock });

    expect(root.subject).toBe('C=JP, O=certdesk Demo, CN=certdesk Demo Root CA');
    expect(root.issuer).toBe(root.subject);
    expect(root.notBefore.toISOString()).toBe('2026-11-26T23:59:00.000Z');
    expect(root.notAfter.toISOString()).toBe('2046-11-26T23:58:59.000Z');
    expect(root.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-384' } });
    expect(root.serialNumber).toMatch(/^[0-7][0-9a-f]{39}$/);
    const basicConstraints = extension(root, BasicConstraintsExtension);
    expect([basicConstraints.critical, basicConstraints.ca, basicConstraints.pathLength]).toEqual([true, true, undefined]);
    const keyUsage = extension(root, KeyUsagesExtension);
    expect([keyUsage.critical, keyUsage.usages]).toEqual([true, KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign]);
    const ski = extension(root, SubjectKeyIdentifierExtension);
    expect(ski.keyId).toBe((await SubjectKeyIdentifierExtension.create(root.publicKey, false, webCrypto)).keyId);
    expect(root.getExtension(ExtendedKeyUsageExtension)).toBeNull();
    expect(await root.verify({ publicKey: root, date: clock.now() }, webCrypto)).toBe(true);
  });

  it('gives the issuing CA a 10-year pathLen-0 profile under the root (S/MIME BR 7.1.2.2)', async () => {
    const { root, issuing } = await ensureCa({ dir: temp.dir, passphrase, clock });

    expect(issuing.subject).toBe('C=JP, O=certdesk Demo, CN=certdesk Demo S/MIME Issuing CA G1');
    expect(issuing.issuer).toBe(root.subject);
    expect(issuing.notBefore.toISOString()).toBe('2026-11-26T23:59:00.000Z');
    expect(issuing.notAfter.toISOString()).toBe('2036-11-26T23:58:59.000Z');
    expect(issuing.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-384' } });
    const basicConstraints = extension(issuing, BasicConstraintsExtension);
    expect([basicConstraints.critical, basicConstraints.ca, basicConstraints.pathLength]).toEqual([true, true, 0]);
    const keyUsage = extension(issuing, KeyUsagesExtension);
    expect([keyUsage.critical, keyUsage.usages]).toEqual([true, KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign]);
    expect(extension(issuing, AuthorityKeyIdentifierExtension).keyId).toBe(extension(root, SubjectKeyIdentifierExtension).keyId);
    expect(extension(issuing, SubjectKeyIdentifierExtension).keyId).toBe(
      (await SubjectKeyIdentifierExtension.create(issuing.publicKey, false, webCrypto)).keyId,
    );
    expect(extension(issuing, ExtendedKeyUsageExtension).usages).toEqual([
      ExtendedKeyUsage.emailProtection,
      ExtendedKeyUsage.clientAuth,
    ]);
    expect(extension(issuing, CertificatePolicyExtension).policies).toEqual(['2.23.140.1.5.3.2']);
    expect(issuing.getExtension(CRLDistributionPointsExtension)).toBeNull();
    expect(await issuing.verify({ publicKey: root, date: clock.now() }, webCrypto)).toBe(true);
  });

  it('writes the root CRL and certificate URLs into the issuing CA when given', async () => {
    const { issuing } = await ensureCa({
      dir: temp.dir,
      passphrase,
      clock,
      rootUrls: { crl: 'http://crl.certdesk.example/root.crl', caIssuers: 'http://ca.certdesk.example/root.crt' },
    });
    const crl = extension(issuing, CRLDistributionPointsExtension);
    expect(crl.distributionPoints[0]?.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier).toBe(
      'http://crl.certdesk.example/root.crl',
    );
    expect(extension(issuing, AuthorityInfoAccessExtension).caIssuers.map((name) => name.value)).toEqual([
      'http://ca.certdesk.example/root.crt',
    ]);
  });

  it('loads an existing hierarchy instead of creating a new one', async () => {
    const first = await ensureCa({ dir: temp.dir, passphrase, clock });
    clock.advance(30 * dayMs);
    const second = await ensureCa({ dir: temp.dir, passphrase, clock });

    expect(second.created).toBe(false);
    expect(second.root.toString('pem')).toBe(first.root.toString('pem'));
    expect(second.issuing.toString('pem')).toBe(first.issuing.toString('pem'));
    expect(second.issuingIdentity.keyIdentifier).toEqual(first.issuingIdentity.keyIdentifier);
    expect(second.issuingIdentity.subjectDer).toEqual(first.issuingIdentity.subjectDer);
  });

  it('fails clearly when the passphrase does not decrypt the keys', async () => {
    await ensureCa({ dir: temp.dir, passphrase, clock });
    await expect(ensureCa({ dir: temp.dir, passphrase: 'wrong passphrase', clock })).rejects.toThrow(
      `CA key file ${join(temp.dir, caFileNames.rootKey)}: wrong passphrase`,
    );
  });

  it('creates only the issuing CA when the root exists', async () => {
    const first = await ensureCa({ dir: temp.dir, passphrase, clock });
    await rm(join(temp.dir, caFileNames.issuingCertificate));
    await rm(join(temp.dir, caFileNames.issuingKey));
    const second = await ensureCa({ dir: temp.dir, passphrase, clock });

    expect(second.created).toBe(true);
    expect(second.root.toString('pem')).toBe(first.root.toString('pem'));
    expect(second.issuing.serialNumber).not.toBe(first.issuing.serialNumber);
    expect(await second.issuing.verify({ publicKey: second.root, date: clock.now() }, webCrypto)).toBe(true);
  });

  it('refuses a directory where a certificate lacks its key', async () => {
    await ensureCa({ dir: temp.dir, passphrase, clock });
    await rm(join(temp.dir, caFileNames.issuingKey));
    await expect(ensureCa({ dir: temp.dir, passphrase, clock })).rejects.toThrow(/is incomplete.*issuingKey: missing/);
  });

  it('backdates the hierarchy to the notBefore it is given', async () => {
    const notBefore = new Date('2023-01-01T00:00:00Z');
    const { root, issuing } = await ensureCa({ dir: temp.dir, passphrase, clock, notBefore });
    expect(root.notBefore).toEqual(notBefore);
    expect(issuing.notBefore).toEqual(notBefore);
    expect(issuing.notAfter.toISOString()).toBe('2032-12-31T23:59:59.000Z');
  });

  it('takes subject names in RFC 4514 order and encodes C first', async () => {
    const { root, issuing } = await ensureCa({
      dir: temp.dir,
      passphrase,
      clock,
      names: { root: 'CN=Test Root, O=Test Org, C=JP', issuing: 'CN=Test Issuing, OU=S/MIME, O=Test Org, C=JP' },
    });
    expect(root.subject).toBe('C=JP, O=Test Org, CN=Test Root');
    expect(issuing.subject).toBe('C=JP, O=Test Org, OU=S/MIME, CN=Test Issuing');
  });

  it.skipIf(!hasOpenssl)('writes certificates and keys the openssl CLI reads, with a verifying chain', async () => {
    await ensureCa({ dir: temp.dir, passphrase, clock });
    const rootPath = join(temp.dir, caFileNames.rootCertificate);
    const issuingPath = join(temp.dir, caFileNames.issuingCertificate);

    expect(openssl(['x509', '-in', rootPath, '-noout', '-text'])).toMatch(/Subject: C ?= ?JP, O ?= ?certdesk Demo, CN ?= ?certdesk Demo Root CA/);
    expect(openssl(['x509', '-in', issuingPath, '-noout', '-text'])).toMatch(/CA:TRUE, pathlen:0/);
    for (const name of [caFileNames.rootKey, caFileNames.issuingKey]) {
      openssl(['pkey', '-in', join(temp.dir, name), '-passin', `pass:${passphrase}`, '-noout']);
    }
    expect(openssl(['verify', '-attime', toUnixSeconds('2027-01-01T00:00:00Z'), '-CAfile', rootPath, issuingPath])).toMatch(/: OK/);
  });
});

describe('createCa and openCa (certdesk ca init, then every serve)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  const clock = new FakeClock(issuedAt);
  beforeEach(async () => {
    temp = await makeTempDir();
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('opens nothing in an empty folder: it never creates a CA', async () => {
    await expect(openCa({ dir: temp.dir, passphrase, clock })).rejects.toBeInstanceOf(CaNotFound);
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('creates a deployment CA that openCa then loads, the same certificates', async () => {
    const created = await createCa({ dir: temp.dir, passphrase, clock });
    expect(created.purpose).toBe('deployment');
    const opened = await openCa({ dir: temp.dir, passphrase, clock });
    expect(opened.created).toBe(false);
    expect(opened.purpose).toBe('deployment');
    expect(new Uint8Array(opened.issuing.rawData)).toEqual(new Uint8Array(created.issuing.rawData));
    expect(JSON.parse(await readFile(join(temp.dir, caFileNames.about), 'utf8'))).toEqual({ purpose: 'deployment', createdAt: issuedAt.replace('Z', '.000Z') });
  });

  it('refuses to create over an existing CA', async () => {
    await createCa({ dir: temp.dir, passphrase, clock });
    await expect(createCa({ dir: temp.dir, passphrase, clock })).rejects.toThrow(/already holds a CA$/);
  });

  it('refuses to open a half-made CA instead of finishing it', async () => {
    await createCa({ dir: temp.dir, passphrase, clock });
    await rm(join(temp.dir, caFileNames.issuingCertificate));
    await rm(join(temp.dir, caFileNames.issuingKey));
    await expect(openCa({ dir: temp.dir, passphrase, clock })).rejects.toThrow(/is incomplete .*finish it with "certdesk ca init"/);
    expect(await readdir(temp.dir)).not.toContain(caFileNames.issuingCertificate);
  });

  it('records the demo purpose only when asked, and reads a CA without ca.json as a deployment CA', async () => {
    expect((await ensureCa({ dir: temp.dir, passphrase, clock, purpose: 'demo' })).purpose).toBe('demo');
    await rm(join(temp.dir, caFileNames.about));
    expect((await openCa({ dir: temp.dir, passphrase, clock })).purpose).toBe('deployment');
  });
});

describe(parseDistinguishedName.name, () => {
  it('reverses RFC 4514 order and picks PrintableString only for countryName', () => {
    expect(parseDistinguishedName('CN=髙﨑 CA, O=certdesk, C=JP')).toEqual([
      { oid: '2.5.4.6', value: 'JP', encoding: 'printableString' },
      { oid: '2.5.4.10', value: 'certdesk', encoding: 'utf8String' },
      { oid: '2.5.4.3', value: '髙﨑 CA', encoding: 'utf8String' },
    ]);
  });

  it('refuses an empty value', () => {
    expect(() => parseDistinguishedName('CN=, C=JP')).toThrow(/empty/);
  });
});
