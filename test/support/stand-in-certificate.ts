import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { DAY_MS } from '../../src/domain/renewal-window.js';
import { insertCertificate } from '../../src/store/certificate-store.js';
import type { Db } from '../../src/store/db.js';

let made: Promise<Uint8Array> | undefined;

/**
 * A real certificate's DER for tests that need a stored certificate but not its contents
 * (the store names each certificate by its key, so it must parse).
 */
export function standInCertificateDer(): Promise<Uint8Array> {
  made ??= (async () => {
    const keys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const certificate = await X509CertificateGenerator.createSelfSigned(
      { serialNumber: '01', name: 'CN=stand-in', notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
      webCrypto,
    );
    return new Uint8Array(certificate.rawData);
  })();
  return made;
}

/** A stored certificate of `subscriberId` inside its renewal window (expires in 20 days), under a random serial and code; its id. */
export async function insertRenewableStandIn(db: Db, input: { subscriberId: string; subjectDn: string; email: string; now: Date }): Promise<string> {
  return insertCertificate(db, {
    subscriberId: input.subscriberId,
    applicationId: null,
    renewsCertificateId: null,
    serialNumber: randomBytes(16).toString('hex'),
    subjectDn: input.subjectDn,
    email: input.email,
    notBefore: new Date(input.now.getTime() - 345 * DAY_MS),
    notAfter: new Date(input.now.getTime() + 20 * DAY_MS),
    certificateCodeHash: randomBytes(32).toString('hex'),
    der: await standInCertificateDer(),
    createdAt: input.now,
  });
}
