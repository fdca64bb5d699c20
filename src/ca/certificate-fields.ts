import { readDerElement, readDerElements, type DerElement } from './der.js';

/**
 * Raw fields of a DER Certificate, byte for byte. Used where re-encoding a
 * parsed value could change bytes: the issuer name we chain to, the SPKI we
 * compare with a key file, and the TBS we linted.
 */
export interface CertificateFields {
  readonly tbsCertificate: Uint8Array<ArrayBuffer>;
  readonly issuer: Uint8Array<ArrayBuffer>;
  readonly subject: Uint8Array<ArrayBuffer>;
  readonly subjectPublicKeyInfo: Uint8Array<ArrayBuffer>;
}

export function certificateFields(certificateDer: ArrayBuffer | Uint8Array): CertificateFields {
  const [tbs] = readDerElements(readDerElement(new Uint8Array(certificateDer)).content);
  if (!tbs) {
    throw new Error('certificate without TBSCertificate');
  }
  return { tbsCertificate: tbs.raw, ...tbsFields(tbs.raw) };
}

/** issuer, subject and SPKI of a DER TBSCertificate (RFC 5280 4.1). */
export function tbsFields(tbsDer: Uint8Array): Omit<CertificateFields, 'tbsCertificate'> {
  const elements = readDerElements(readDerElement(tbsDer).content);
  // version is [0] EXPLICIT and DEFAULT v1: absent in v1 certificates.
  const offset = elements[0]?.tag === 0xa0 ? 1 : 0;
  return {
    issuer: field(elements, offset + 2, 'issuer'),
    subject: field(elements, offset + 4, 'subject'),
    subjectPublicKeyInfo: field(elements, offset + 5, 'subjectPublicKeyInfo'),
  };
}

function field(elements: readonly DerElement[], index: number, name: string): Uint8Array<ArrayBuffer> {
  const element = elements[index];
  if (!element || element.tag !== 0x30) {
    throw new Error(`TBSCertificate: ${name} missing`);
  }
  return element.raw;
}
