import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
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
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
} from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caFileNames, ensureCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import { certificateFields } from '../../src/ca/certificate-fields.js';
import {
  issueCertificate,
  issueDemoCertificate,
  parseCsr,
  type IssueCertificateDeps,
  type IssueCertificateRequest,
  type SignedRecord,
  type SigningIntent,
  type SigningLedger,
} from '../../src/ca/issuer.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { parseTbs } from '../../src/ca/lints/parsed-tbs.js';
import { runLints } from '../../src/ca/lints/subscriber-lints.js';
import { toPem } from '../../src/ca/pem.js';
import { keyRefusalReason, subscriberProfile, validityEnd } from '../../src/ca/profile.js';
import { describeSubjectKey } from '../../src/ca/subject-key.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { spkiSha256Hex } from '../../src/ca/weak-keys.js';
import { FakeClock } from '../support/fake-clock.js';
import {
  csrSigningAlgorithm,
  generateTestKeys,
  hasOpenssl,
  issuedAt,
  makeTempDir,
  openssl,
  passphrase,
  subscriberSubject,
  subscriberUrls,
  toUnixSeconds,
  type TestKeyKind,
  extension,
} from './ca-test-kit.js';

const dayMs = 86_400_000;

describe(issueCertificate.name, () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let clock: FakeClock;
  let ca: CaMaterial;
  const keys = new Map<TestKeyKind, CryptoKeyPair>();

  beforeAll(async () => {
    temp = await makeTempDir();
    clock = new FakeClock(issuedAt);
    ca = await ensureCa({ dir: temp.dir, passphrase, clock, notBefore: new Date('2023-01-01T00:00:00Z') });
    for (const kind of ['P-256', 'P-384', 'RSA-2048', 'Ed25519', 'RSA-1024', 'P-521'] as const) {
      keys.set(kind, await generateTestKeys(kind));
    }
  });
  afterAll(async () => {
    await temp.remove();
  });

  const keyPair = (kind: TestKeyKind): CryptoKeyPair => {
    const pair = keys.get(kind);
    if (!pair) {
      throw new Error(`no ${kind} key`);
    }
    return pair;
  };
  const request = (overrides: Partial<IssueCertificateRequest> = {}): IssueCertificateRequest => ({
    publicKey: keyPair('P-256').publicKey,
    subject: subscriberSubject,
    email: 'taro.takasaki@example.jp',
    notBefore: clock.now(),
    notAfter: validityEnd(clock.now(), subscriberProfile.defaultValidityDays),
    urls: subscriberUrls,
    ...overrides,
  });
  /** Serials reserved so far, as the database would keep them. */
  const reserved = new Set<string>();
  const deps = (overrides: Partial<IssueCertificateDeps> = {}): IssueCertificateDeps => ({
    ca,
    clock,
    ledger: recordingLedger([]),
    ...overrides,
  });
  type LedgerEvent = { kind: 'reserve'; intent: SigningIntent } | { kind: 'record'; record: SignedRecord };
  const freshSerial = (intent: SigningIntent) => Promise.resolve(reserved.has(intent.serialNumber) || !reserved.add(intent.serialNumber) ? 'serialTaken' as const : 'reserved' as const);
  /** A ledger that keeps what the CA tells it in `events`, and answers reservations with `answer`. */
  const recordingLedger = (events: LedgerEvent[], answer: SigningLedger['reserve'] = freshSerial): SigningLedger => ({
    reserve: (intent) => (events.push({ kind: 'reserve', intent }), answer(intent)),
    recordSigned: (record) => Promise.resolve(void events.push({ kind: 'record', record })),
  });
  const issue = async (overrides: Partial<IssueCertificateRequest> = {}) => {
    const result = await issueCertificate(deps(), request(overrides));
    if (!result.ok) {
      throw new Error(`refused: ${JSON.stringify(result.problems)}`);
    }
    return result;
  };

  describe.each([
    ['P-256', KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement],
    ['P-384', KeyUsageFlags.digitalSignature | KeyUsageFlags.keyAgreement],
    ['RSA-2048', KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment],
    ['Ed25519', KeyUsageFlags.digitalSignature],
  ] as const)('for a %s key', (kind, expectedKeyUsage) => {
    let certificate: X509Certificate;
    let der: ArrayBuffer;
    let serialNumber: string;

    beforeAll(async () => {
      ({ certificate, der, serialNumber } = await issue({ publicKey: keyPair(kind).publicKey }));
    });

    it('certifies the requested key, names and validity', async () => {
      expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(
        new Uint8Array(await webCrypto.subtle.exportKey('spki', keyPair(kind).publicKey)),
      );
      expect(certificate.subject).toBe('C=JP, ST=東京都, L=千代田区, O=株式会社サンプル, G=太郎, SN=髙﨑, CN=太郎 髙﨑');
      expect(certificate.issuer).toBe(ca.issuing.subject);
      expect(certificate.notBefore.toISOString()).toBe('2026-11-27T00:00:00.000Z');
      expect(certificate.notAfter.toISOString()).toBe('2027-11-26T23:59:59.000Z');
      expect(certificate.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
      expect(certificate.subjectName.getField('1.2.840.113549.1.9.1')).toEqual([]);
    });

    it('uses the serial it reserved: positive, at most 20 octets, 64+ random bits', () => {
      expect(reserved.has(serialNumber)).toBe(true);
      expect(BigInt(`0x${certificate.serialNumber}`)).toBe(BigInt(`0x${serialNumber}`));
      const octets = parseTbs(certificateFields(der).tbsCertificate).serialNumber;
      expect(octets.length).toBeGreaterThanOrEqual(9);
      expect(octets.length).toBeLessThanOrEqual(20);
      expect((octets[0] ?? 0x80) & 0x80).toBe(0);
    });

    it('holds exactly the Sponsor-validated Multipurpose extensions', () => {
      expect(certificate.extensions.map((ext) => ext.type)).toEqual([
        '2.5.29.15',
        '2.5.29.37',
        '2.5.29.32',
        '2.5.29.31',
        '1.3.6.1.5.5.7.1.1',
        '2.5.29.17',
        '2.5.29.35',
        '2.5.29.14',
      ]);
      const keyUsage = extension(certificate, KeyUsagesExtension);
      expect([keyUsage.critical, keyUsage.usages]).toEqual([true, expectedKeyUsage]);
      const extKeyUsage = extension(certificate, ExtendedKeyUsageExtension);
      expect([extKeyUsage.critical, extKeyUsage.usages]).toEqual([
        false,
        [ExtendedKeyUsage.emailProtection, ExtendedKeyUsage.clientAuth],
      ]);
      const policies = extension(certificate, CertificatePolicyExtension);
      expect([policies.critical, policies.policies]).toEqual([false, ['2.23.140.1.5.3.2']]);
      const crl = extension(certificate, CRLDistributionPointsExtension);
      expect(crl.critical).toBe(false);
      expect(crl.distributionPoints.map((point) => point.distributionPoint?.fullName?.map((name) => name.uniformResourceIdentifier))).toEqual([
        ['http://crl.certdesk.example/g1.crl'],
      ]);
      const aia = extension(certificate, AuthorityInfoAccessExtension);
      expect(aia.critical).toBe(false);
      expect(aia.ocsp.map((name) => [name.type, name.value])).toEqual([['url', 'http://ocsp.certdesk.example']]);
      expect(aia.caIssuers.map((name) => [name.type, name.value])).toEqual([['url', 'http://ca.certdesk.example/g1.crt']]);
      const san = extension(certificate, SubjectAlternativeNameExtension);
      expect([san.critical, san.names.toJSON()]).toEqual([false, [{ type: 'email', value: 'taro.takasaki@example.jp' }]]);
      expect(certificate.getExtension(BasicConstraintsExtension)).toBeNull();
    });

    it("chains by key identifier: AKI is the issuing CA's SKI, SKI is the key's SHA-1", async () => {
      const aki = extension(certificate, AuthorityKeyIdentifierExtension);
      expect(aki.critical).toBe(false);
      expect(aki.keyId).toBe(extension(ca.issuing, SubjectKeyIdentifierExtension).keyId);
      expect(aki.certId).toBeUndefined();
      const ski = extension(certificate, SubjectKeyIdentifierExtension);
      expect(ski.keyId).toBe((await SubjectKeyIdentifierExtension.create(certificate.publicKey, false, webCrypto)).keyId);
    });

    it('verifies through the issuing CA to the root', async () => {
      const during = new Date('2027-06-01T00:00:00Z');
      expect(await certificate.verify({ publicKey: ca.issuing, date: during }, webCrypto)).toBe(true);
      expect(await ca.issuing.verify({ publicKey: ca.root, date: during }, webCrypto)).toBe(true);
      expect(await ca.root.verify({ publicKey: ca.root, date: during }, webCrypto)).toBe(true);
      expect(await certificate.verify({ publicKey: ca.root, date: during, signatureOnly: true }, webCrypto)).toBe(false);
    });

    it('passes the lints again as signed', () => {
      const tbs = parseTbs(certificateFields(der).tbsCertificate);
      expect(runLints(tbs, { profile: subscriberProfile, issuer: ca.issuingIdentity })).toEqual([]);
    });

    it.skipIf(!hasOpenssl)('is read and chain-verified by the openssl CLI for S/MIME and client auth', async () => {
      const path = join(temp.dir, `ee-${kind}.crt.pem`);
      await writeFile(path, toPem(der, 'CERTIFICATE'));
      const text = openssl(['x509', '-in', path, '-noout', '-text']);
      expect(text).toMatch(/Policy: 2\.23\.140\.1\.5\.3\.2/);
      expect(text).toMatch(/email:taro\.takasaki@example\.jp/);
      expect(text).toMatch(/X509v3 Key Usage: critical/);
      expect(text).toMatch(/E-mail Protection, TLS Web Client Authentication/);
      expect(text).toMatch(/URI:http:\/\/crl\.certdesk\.example\/g1\.crl/);
      expect(text).toMatch(/OCSP - URI:http:\/\/ocsp\.certdesk\.example/);
      const verifyArgs = [
        'verify',
        '-attime',
        toUnixSeconds('2027-06-01T00:00:00Z'),
        '-CAfile',
        join(temp.dir, caFileNames.rootCertificate),
        '-untrusted',
        join(temp.dir, caFileNames.issuingCertificate),
      ];
      expect(openssl([...verifyArgs, '-purpose', 'smimesign', path])).toMatch(/: OK/);
      expect(openssl([...verifyArgs, '-purpose', 'sslclient', path])).toMatch(/: OK/);
    });
  });

  it('accepts the key as DER SubjectPublicKeyInfo', async () => {
    const spki = await webCrypto.subtle.exportKey('spki', keyPair('P-256').publicKey);
    const { certificate } = await issue({ publicKey: spki });
    expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(new Uint8Array(spki));
  });

  it('reserves the serial and records the signature to come before signing, and the certificate after', async () => {
    const events: LedgerEvent[] = [];
    const publicKey = keyPair('P-256').publicKey;
    const result = await issueCertificate(deps({ ledger: recordingLedger(events) }), request({ publicKey }));
    if (!result.ok) {
      throw new Error('refused');
    }
    const { serialNumber } = result;
    const tbs = certificateFields(result.der).tbsCertificate;
    expect(events).toEqual([
      {
        kind: 'reserve',
        intent: {
          at: clock.now(),
          serialNumber,
          spkiSha256: spkiSha256Hex(await webCrypto.subtle.exportKey('spki', publicKey)),
          tbsSha256: createHash('sha256').update(tbs).digest('hex'),
        },
      },
      {
        kind: 'record',
        record: { at: clock.now(), serialNumber, der: new Uint8Array(result.der), certificateSha256: createHash('sha256').update(new Uint8Array(result.der)).digest('hex') },
      },
    ]);
  });

  it('draws another serial when the one it drew is taken, and signs only the one it reserved', async () => {
    const tried: string[] = [];
    const result = await issueCertificate(
      deps({ ledger: recordingLedger([], (intent) => Promise.resolve(tried.push(intent.serialNumber) > 1 ? 'reserved' : 'serialTaken')) }),
      request(),
    );
    expect(tried).toHaveLength(2);
    expect(tried[0]).not.toBe(tried[1]);
    expect(result.ok && result.serialNumber).toBe(tried[1]);
    expect(result.ok && BigInt(`0x${result.certificate.serialNumber}`)).toBe(BigInt(`0x${tried[1]}`));
  });

  it('gives up, without signing, when no serial can be reserved', async () => {
    const events: LedgerEvent[] = [];
    await expect(issueCertificate(deps({ ledger: recordingLedger(events, () => Promise.resolve('serialTaken')) }), request())).rejects.toThrow(
      /no free serial number after 5 random draws/,
    );
    expect(events.map((event) => event.kind)).toEqual(['reserve', 'reserve', 'reserve', 'reserve', 'reserve']);
  });

  it('does not sign when the record before the signature cannot be written', async () => {
    let signatures = 0;
    const countingCa: CaMaterial = { ...ca, issuingSigner: { ...ca.issuingSigner, sign: (data) => (signatures++, ca.issuingSigner.sign(data)) } };
    const failing = recordingLedger([], () => Promise.reject(new Error('audit log unavailable')));
    await expect(issueCertificate(deps({ ca: countingCa, ledger: failing }), request())).rejects.toThrow('audit log unavailable');
    expect(signatures).toBe(0);
  });

  it('refuses, without signing, a key the ledger knows as compromised', async () => {
    let signatures = 0;
    const countingCa: CaMaterial = { ...ca, issuingSigner: { ...ca.issuingSigner, sign: (data) => (signatures++, ca.issuingSigner.sign(data)) } };
    const events: LedgerEvent[] = [];
    const result = await issueCertificate(deps({ ca: countingCa, ledger: recordingLedger(events, () => Promise.resolve('keyCompromised')) }), request());
    expect(result.ok ? [] : result.problems.map((problem) => [problem.code, problem.citation])).toEqual([['issuance.keyCompromised', 'S/MIME BR 6.1.1.3 (4)']]);
    expect(signatures).toBe(0);
    expect(events.map((event) => event.kind)).toEqual(['reserve']);
  });

  it('refuses a validity of 826 days before building anything', async () => {
    const events: LedgerEvent[] = [];
    const result = await issueCertificate(deps({ ledger: recordingLedger(events) }), request({ notAfter: validityEnd(clock.now(), 826) }));
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          code: 'issuance.validityTooLong',
          citation: 'S/MIME BR 6.3.2',
          message: 'validity 826 days exceeds the maximum of 825 days',
        },
      ],
    });
    expect(events).toEqual([]);
  });

  it('issues exactly 825 days', async () => {
    const { certificate } = await issue({ notAfter: validityEnd(clock.now(), 825) });
    expect(certificate.notAfter.getTime() - certificate.notBefore.getTime() + 1000).toBe(825 * dayMs);
  });

  it.each([
    ['RSA-1024', 'key RSA-1024 is not allowed'],
    ['P-521', 'key ECDSA P-521 is not allowed'],
  ] as const)('refuses a %s key', async (kind, message) => {
    const result = await issueCertificate(deps(), request({ publicKey: keyPair(kind).publicKey }));
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => [problem.code, problem.message.slice(0, message.length)])).toEqual([
      ['issuance.keyNotAllowed', message],
    ]);
  });

  it('refuses a notBefore more than an hour before now', async () => {
    const notBefore = new Date(clock.now().getTime() - 3_600_000 - 1000);
    const result = await issueCertificate(deps(), request({ notBefore, notAfter: validityEnd(notBefore, 365) }));
    expect(result.ok ? [] : result.problems.map((problem) => problem.code)).toEqual(['issuance.backdateTooFar']);
  });

  it('issues demo data that expired 400 days ago, but only from a demo CA', async () => {
    const notAfter = new Date(clock.now().getTime() - 400 * dayMs);
    const notBefore = new Date(notAfter.getTime() - 365 * dayMs + 1000);
    const result = await issueDemoCertificate(deps({ ca: { ...ca, purpose: 'demo' } }), request({ notBefore, notAfter }));
    if (!result.ok) throw new Error('refused');
    const { certificate } = result;
    expect(certificate.notAfter).toEqual(notAfter);
    expect(await certificate.verify({ publicKey: ca.issuing, date: clock.now() }, webCrypto)).toBe(false);
    expect(await certificate.verify({ publicKey: ca.issuing, date: new Date(notAfter.getTime() - dayMs) }, webCrypto)).toBe(true);
    expect(ca.purpose).toBe('deployment');
    await expect(issueDemoCertificate(deps(), request({ notBefore, notAfter }))).rejects.toThrow(/only from the embedded demo CA/);
  });

  it('refuses, through the lints, an https CRL URL without signing', async () => {
    const events: LedgerEvent[] = [];
    const result = await issueCertificate(
      deps({ ledger: recordingLedger(events) }),
      request({ urls: { ...subscriberUrls, crl: 'https://crl.certdesk.example/g1.crl' } }),
    );
    expect(result.ok ? [] : result.problems.map((problem) => problem.code)).toEqual([
      'e_subscribers_crl_distribution_points_are_http',
    ]);
    expect(events).toEqual([]);
  });

  it('refuses, through the lints, an empty organisation and a three-letter country', async () => {
    const result = await issueCertificate(
      deps(),
      request({ subject: { ...subscriberSubject, organizationName: '', countryName: 'JPN' } }),
    );
    expect(result.ok ? [] : result.problems.map((problem) => problem.code)).toEqual([
      'e_subject_attribute_value_empty',
      'e_subject_country_name',
      'e_sponsor_validated_subject_fields',
    ]);
  });

  it('refuses a validity reaching past the issuing CA', async () => {
    const later = new FakeClock('2032-06-01T00:00:00Z');
    const result = await issueCertificate(
      deps({ clock: later }),
      request({ notBefore: later.now(), notAfter: validityEnd(later.now(), 825) }),
    );
    expect(result.ok ? [] : result.problems.map((problem) => problem.code)).toEqual(['issuance.outsideIssuerValidity']);
  });
});

describe(randomSerialNumber.name, () => {
  it('returns 20 random bytes as hex, positive and never with a leading zero octet', () => {
    const serials = Array.from({ length: 2000 }, () => randomSerialNumber());
    for (const serial of serials) {
      expect(serial).toMatch(/^[4-7][0-9a-f]{39}$/);
      // Exactly 20 octets in DER: the hex stored is the hex the certificate carries.
      expect(BigInt(`0x${serial}`).toString(16)).toBe(serial);
    }
    expect(new Set(serials).size).toBe(serials.length);
  });
});

describe(parseCsr.name, () => {
  const csrFor = async (kind: TestKeyKind) => {
    const keys = await generateTestKeys(kind);
    const csr = await Pkcs10CertificateRequestGenerator.create(
      { name: 'CN=ignored', keys, signingAlgorithm: csrSigningAlgorithm(keys) },
      webCrypto,
    );
    return { keys, csr };
  };

  it.each(['P-256', 'RSA-2048', 'Ed25519'] as const)('returns the public key of a %s request', async (kind) => {
    const { keys, csr } = await csrFor(kind);
    const result = await parseCsr(csr.rawData);
    expect(result.ok).toBe(true);
    expect(result.ok && new Uint8Array(result.value.publicKey)).toEqual(
      new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey)),
    );
  });

  it('reads PEM', async () => {
    const { csr } = await csrFor('P-256');
    const result = await parseCsr(csr.toString('pem'));
    expect(result.ok && result.value.key).toEqual({ kind: 'ec', curve: 'P-256' });
  });

  it('refuses a key type the profile does not offer', async () => {
    const { csr } = await csrFor('RSA-1024');
    expect(await parseCsr(csr.rawData)).toEqual({ ok: false, code: 'csr.keyNotAllowed' });
  });

  it('refuses a request whose signature does not verify', async () => {
    const { csr } = await csrFor('P-256');
    const tampered = new Uint8Array(csr.rawData.slice(0));
    const last = tampered.length - 1;
    tampered[last] = (tampered[last] ?? 0) ^ 0x01;
    expect(await parseCsr(tampered)).toEqual({ ok: false, code: 'csr.signatureInvalid' });
  });

  it('refuses bytes that are not a request', async () => {
    expect(await parseCsr(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toEqual({ ok: false, code: 'csr.malformed' });
    expect(await parseCsr('not a csr')).toEqual({ ok: false, code: 'csr.malformed' });
  });
});

describe('RSA public exponents (S/MIME BR 6.1.6)', () => {
  const spkiWithExponent = async (e: bigint): Promise<ArrayBuffer> => {
    const { generateKeyPairSync, createPublicKey } = await import('node:crypto');
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const hex = e.toString(16);
    const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
    const der = createPublicKey({ key: { ...jwk, e: bytes.toString('base64url') }, format: 'jwk' }).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der).buffer;
  };
  it.each([1n, 3n, 65538n])('refuses e = %s, where a CSR signature proves nothing or the BRs forbid it', async (e) => {
    const key = describeSubjectKey(await spkiWithExponent(e));
    expect(key.kind).toBe('unsupported');
    expect(keyRefusalReason(key)).toMatch(/not allowed/);
  });
  it('accepts e = 65537', async () => {
    expect(describeSubjectKey(await spkiWithExponent(65537n))).toEqual({ kind: 'rsa', modulusBits: 2048 });
  });
});
