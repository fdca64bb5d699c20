import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../src/ca/pem.js';
import { issueOcspResponderCertificate, maxOcspResponderValidityDays, ocspResponderSubject } from '../../src/ca/ocsp-responder-certificate.js';
import { ocspOids } from '../../src/ca/ocsp.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { FakeClock } from '../support/fake-clock.js';
import { hasOpenssl, openssl } from './ca-test-kit.js';
import { makePkiTestCa, type PkiTestCa } from './pki-test-kit.js';

const DAY = 86_400_000;
const now = new Date('2026-11-27T00:00:00Z');
const serial = '5000000000000000000000000000000000000abc';

let kit: PkiTestCa;
let spki: Uint8Array;
beforeAll(async () => {
  kit = await makePkiTestCa(new FakeClock(now));
  const keys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey));
});
afterAll(async () => {
  await kit?.remove();
});

describe(issueOcspResponderCertificate.name, () => {
  it('certifies the responder key for OCSP signing only, with id-pkix-ocsp-nocheck (S/MIME BR 4.9.9)', async () => {
    const der = await issueOcspResponderCertificate(kit.ca, { publicKey: spki, serialNumberHex: serial, notBefore: now, notAfter: new Date(now.getTime() + 30 * DAY) }, now);
    const certificate = new X509Certificate(der.slice().buffer);
    expect(certificate.serialNumber).toBe(serial);
    expect(certificate.issuer).toBe(kit.ca.issuing.subject);
    expect(certificate.subject).toBe('C=JP, O=certdesk Demo, CN=certdesk Demo S/MIME Issuing CA G1 OCSP Responder');
    expect(certificate.notBefore).toEqual(now);
    expect(certificate.notAfter).toEqual(new Date(now.getTime() + 30 * DAY));
    expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(spki);
    expect(await certificate.verify({ publicKey: kit.ca.issuing, date: now, signatureOnly: true }, webCrypto)).toBe(true);

    const keyUsage = certificate.getExtension(KeyUsagesExtension);
    expect([keyUsage?.critical, keyUsage?.usages]).toEqual([true, KeyUsageFlags.digitalSignature]);
    expect(certificate.getExtension(ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.9']);
    const noCheck = certificate.getExtension(ocspOids.noCheck);
    expect([noCheck?.critical, Buffer.from(noCheck!.value).toString('hex')]).toEqual([false, '0500']);
    expect(certificate.getExtension(AuthorityKeyIdentifierExtension)?.keyId).toBe(kit.ca.issuing.getExtension(SubjectKeyIdentifierExtension)?.keyId);
    expect(certificate.getExtension(SubjectKeyIdentifierExtension)).not.toBeNull();
    expect(certificate.getExtension(BasicConstraintsExtension)).toBeNull();
    expect(certificate.extensions.map((e) => e.type)).toEqual(['2.5.29.15', '2.5.29.37', ocspOids.noCheck, '2.5.29.35', '2.5.29.14']);
  });

  it.skipIf(!hasOpenssl)('is an OCSP helper to openssl, chained to the root', async () => {
    const der = await issueOcspResponderCertificate(kit.ca, { publicKey: spki, serialNumberHex: serial, notBefore: now, notAfter: new Date(now.getTime() + 30 * DAY) }, now);
    const file = join(kit.dir, 'responder.pem');
    writeFileSync(file, toPem(der, 'CERTIFICATE'));
    const at = String(Math.floor(now.getTime() / 1000) + 3600);
    expect(openssl(['verify', '-attime', at, '-CAfile', kit.rootPem, '-untrusted', kit.issuingPem, '-purpose', 'ocsphelper', file])).toMatch(/: OK\n/);
    expect(openssl(['x509', '-in', file, '-noout', '-text'])).toMatch(/OCSP No Check/);
  });

  it('refuses a validity beyond the limit or outside the issuing CA', async () => {
    const request = (notBefore: Date, notAfter: Date) => ({ publicKey: spki, serialNumberHex: serial, notBefore, notAfter });
    await expect(issueOcspResponderCertificate(kit.ca, request(now, new Date(now.getTime() + (maxOcspResponderValidityDays + 1) * DAY)), now)).rejects.toThrow(/exceeds/);
    await expect(issueOcspResponderCertificate(kit.ca, request(now, now), now)).rejects.toThrow(/exceeds/);
    await expect(issueOcspResponderCertificate(kit.ca, request(new Date(kit.ca.issuing.notBefore.getTime() - DAY), new Date(kit.ca.issuing.notBefore.getTime() + DAY)), now)).rejects.toThrow(/within the issuing CA/);
  });
});

describe(ocspResponderSubject.name, () => {
  it('keeps a long common name within 64 characters', async () => {
    const { parseDistinguishedName } = await import('../../src/ca/bootstrap.js');
    const { encodeName } = await import('../../src/ca/distinguished-name.js');
    const { AsnConvert } = await import('@peculiar/asn1-schema');
    const subject = new Uint8Array(AsnConvert.serialize(encodeName(parseDistinguishedName(`CN=${'A'.repeat(60)}, O=Example, C=JP`))));
    expect(ocspResponderSubject(subject).map((a) => a.value)).toEqual(['JP', 'Example', 'OCSP Responder']);
  });
});
