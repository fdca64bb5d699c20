import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { AuthorityKeyIdentifierExtension, SubjectKeyIdentifierExtension, X509Crl } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSerials, crlExtensionOids, describeCrl, encodeTbsCertList, signCrl, type CrlRequest } from '../../src/ca/crl.js';
import { certificateFields } from '../../src/ca/certificate-fields.js';
import { readDerElement, readDerElements } from '../../src/ca/der.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { crlReasonCodes } from '../../src/domain/revocation-reason.js';
import { FakeClock } from '../support/fake-clock.js';
import { run } from '../support/interop.js';
import { hasOpenssl, openssl } from './ca-test-kit.js';
import { makePkiTestCa, type PkiTestCa } from './pki-test-kit.js';

const thisUpdate = new Date('2026-11-27T00:00:00Z');
const nextUpdate = new Date('2026-12-04T00:00:00Z');

let kit: PkiTestCa;
beforeAll(async () => {
  kit = await makePkiTestCa(new FakeClock(thisUpdate));
});
afterAll(async () => {
  await kit?.remove();
});

const requestOf = (overrides: Partial<CrlRequest> = {}): CrlRequest => ({
  issuer: kit.ca.issuingIdentity,
  crlNumber: 42,
  thisUpdate,
  nextUpdate,
  entries: [
    { serialNumberHex: '7a00000000000000000000000000000000000003', revokedAt: new Date('2026-11-20T10:00:00.900Z'), reasonCode: crlReasonCodes.privilegeWithdrawn },
    { serialNumberHex: '4000000000000000000000000000000000000001', revokedAt: new Date('2026-11-21T10:00:00Z'), reasonCode: undefined },
    { serialNumberHex: '5b00000000000000000000000000000000000002', revokedAt: new Date('2026-11-22T10:00:00Z'), reasonCode: crlReasonCodes.keyCompromise },
  ],
  ...overrides,
});

describe(signCrl.name, () => {
  it('writes a v2 CRL of the issuing CA: its name byte for byte, the dates, cRLNumber and AKI, signed by its signer', async () => {
    const der = await signCrl(requestOf(), kit.ca.issuingSigner);
    const crl = new X509Crl(der.slice().buffer);
    expect(crl.thisUpdate).toEqual(thisUpdate);
    expect(crl.nextUpdate).toEqual(nextUpdate);
    expect(await crl.verify({ publicKey: kit.ca.issuing }, webCrypto)).toBe(true);

    const list = AsnConvert.parse(der, CertificateList);
    // RFC 5280 4.1.2.4 / 5.1.2.3: the issuer is the CA's subject exactly as its certificate has it.
    const tbsElements = readDerElements(readDerElement(readDerElements(readDerElement(der).content)[0]!.raw).content);
    expect(tbsElements[2]!.raw).toEqual(certificateFields(kit.ca.issuing.rawData).subject);
    // version v2, which is INTEGER 1 (RFC 5280 5.1.2.1).
    expect([tbsElements[0]!.tag, ...tbsElements[0]!.content]).toEqual([0x02, 1]);
    expect(list.tbsCertList.crlExtensions?.map((e) => [e.extnID, e.critical])).toEqual([
      ['2.5.29.35', false],
      [crlExtensionOids.cRLNumber, false],
    ]);
    const aki = crl.getExtension(AuthorityKeyIdentifierExtension);
    expect(aki?.keyId).toBe(kit.ca.issuing.getExtension(SubjectKeyIdentifierExtension)?.keyId);
    expect(describeCrl(der)).toEqual({ crlNumber: 42, thisUpdate, nextUpdate, entryCount: 3 });
  });

  it('lists the entries by ascending serial, seconds only, reasonCode non-critical and absent for unspecified (S/MIME BR 7.2.2)', async () => {
    const crl = new X509Crl((await signCrl(requestOf(), kit.ca.issuingSigner)).slice().buffer);
    expect(crl.entries.map((entry) => entry.serialNumber)).toEqual([
      '4000000000000000000000000000000000000001',
      '5b00000000000000000000000000000000000002',
      '7a00000000000000000000000000000000000003',
    ]);
    expect(crl.entries.map((entry) => entry.reason)).toEqual([undefined, crlReasonCodes.keyCompromise, crlReasonCodes.privilegeWithdrawn]);
    expect(crl.entries[2]!.revocationDate).toEqual(new Date('2026-11-20T10:00:00Z'));
    for (const entry of crl.entries) expect(entry.extensions.every((extension) => !extension.critical)).toBe(true);
  });

  it('leaves revokedCertificates out when nothing is revoked (RFC 5280 5.1.2.6)', async () => {
    const der = await signCrl(requestOf({ entries: [] }), kit.ca.issuingSigner);
    expect(AsnConvert.parse(der, CertificateList).tbsCertList.revokedCertificates).toBeUndefined();
    expect(describeCrl(der).entryCount).toBe(0);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 5.1.2.4)', () => {
    const tbs = encodeTbsCertList(requestOf({ thisUpdate: new Date('2049-12-31T23:59:59Z'), nextUpdate: new Date('2050-01-07T00:00:00Z'), entries: [] }), kit.ca.issuingSigner.algorithm);
    const elements = readDerElements(readDerElement(tbs).content);
    expect(elements[3]!.tag).toBe(0x17);
    expect(elements[4]!.tag).toBe(0x18);
  });

  it('refuses a nextUpdate not after thisUpdate, a negative number and a reason no CRL entry carries', () => {
    const algorithm = kit.ca.issuingSigner.algorithm;
    expect(() => encodeTbsCertList(requestOf({ nextUpdate: thisUpdate }), algorithm)).toThrow(/nextUpdate/);
    expect(() => encodeTbsCertList(requestOf({ crlNumber: -1 }), algorithm)).toThrow(/CRL number/);
    expect(() => encodeTbsCertList(requestOf({ entries: [{ serialNumberHex: '01', revokedAt: thisUpdate, reasonCode: 7 }] }), algorithm)).toThrow(/CRLReason 7/);
  });

  it.skipIf(!hasOpenssl)('is read by openssl: signature verified under the issuing CA, number, serials and reasons', async () => {
    const file = join(kit.dir, 'issuing.crl');
    writeFileSync(file, await signCrl(requestOf(), kit.ca.issuingSigner));
    const { stderr, stdout } = opensslBoth(['crl', '-inform', 'DER', '-in', file, '-CAfile', kit.chainPem, '-noout', '-text']);
    expect(stderr).toMatch(/verify OK/);
    expect(stdout).toMatch(/Version 2 \(0x1\)/);
    expect(stdout).toMatch(/X509v3 CRL Number: \n\s+42\n/);
    expect(stdout).toMatch(/Serial Number: 4000000000000000000000000000000000000001\n\s+Revocation Date: Nov 21 10:00:00 2026 GMT\n(?!\s+CRL entry extensions)/);
    expect(stdout).toMatch(/Serial Number: 5B00000000000000000000000000000000000002[\s\S]*?X509v3 CRL Reason Code: \n\s+Key Compromise/);
    expect(stdout).toMatch(/Privilege Withdrawn/);
    expect(openssl(['crl', '-inform', 'DER', '-in', file, '-noout', '-nextupdate'])).toBe('nextUpdate=Dec  4 00:00:00 2026 GMT\n');
  });
});

describe(compareSerials.name, () => {
  it('orders by value, not by text', () => {
    expect(['ff', '0100', '0f'].sort(compareSerials)).toEqual(['0f', 'ff', '0100']);
  });
});

function opensslBoth(args: readonly string[]): { stdout: string; stderr: string } {
  // `openssl crl -CAfile` reports "verify OK" on stderr.
  const result = run('openssl', args);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result;
}
