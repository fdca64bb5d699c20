import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { webCrypto } from '../../src/ca/webcrypto.js';

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
