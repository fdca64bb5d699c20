import 'reflect-metadata';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version } from '@peculiar/asn1-x509';
import { X509Certificate } from '@peculiar/x509';
import type { CaMaterial } from './bootstrap.js';
import { certificateFields } from './certificate-fields.js';
import { bytesEqual, encodeNull, toArrayBuffer } from './der.js';
import { decodeName, encodeName } from './distinguished-name.js';
import { attributeTypeOids, extKeyUsageOids } from './oids.js';
import { ocspOids } from './ocsp.js';
import { dayMs, floorToSecond, type NameAttribute } from './profile.js';
import { signTbsCertificate } from './sign-certificate.js';
import { signatureAlgorithmIdentifier } from './signature-algorithm.js';
import { keyIdentifierOf } from './subject-key.js';
import {
  authorityKeyIdentifierExtension,
  extKeyUsageExtension,
  keyUsageExtension,
  serialNumberContent,
  subjectKeyIdentifierExtension,
} from './tbs-certificate.js';
import { webCrypto } from './webcrypto.js';

/**
 * The delegated OCSP responder's certificate (RFC 6960 4.2.2.2, S/MIME BR 4.9.9): issued
 * by the issuing CA for a key of the responder's own, with id-kp-OCSPSigning and
 * id-pkix-ocsp-nocheck, for a short time. The profile follows the TLS BR's OCSP responder
 * certificate (7.1.2.8), the nearest the CA/B Forum has: critical keyUsage
 * digitalSignature, EKU OCSPSigning alone, AKI, SKI, no basicConstraints, no CRL or AIA.
 */

/** The CA re-checks this whatever it is asked (STYLE §2): a responder certificate is short-lived. */
export const maxOcspResponderValidityDays = 90;

export interface OcspResponderCertificateRequest {
  /** DER SubjectPublicKeyInfo of the responder's key. */
  readonly publicKey: ArrayBuffer | Uint8Array;
  /** Reserved by the caller before this call (S/MIME BR 7.1: never reused). */
  readonly serialNumberHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Signs the responder certificate with the issuing CA's signer, then checks what came out. */
export async function issueOcspResponderCertificate(ca: CaMaterial, request: OcspResponderCertificateRequest, now: Date): Promise<Uint8Array<ArrayBuffer>> {
  const notBefore = floorToSecond(request.notBefore);
  const notAfter = floorToSecond(request.notAfter);
  // Step 1: the limits, whoever asks.
  if (notAfter.getTime() <= notBefore.getTime() || notAfter.getTime() - notBefore.getTime() > maxOcspResponderValidityDays * dayMs) {
    throw new Error(`OCSP responder validity ${notBefore.toISOString()} – ${notAfter.toISOString()} exceeds ${maxOcspResponderValidityDays} days`);
  }
  if (notBefore.getTime() < ca.issuing.notBefore.getTime() || notAfter.getTime() > ca.issuing.notAfter.getTime()) {
    throw new Error('OCSP responder validity must lie within the issuing CA certificate');
  }
  // Step 2: the TBSCertificate.
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumberContent(request.serialNumberHex),
    signature: signatureAlgorithmIdentifier(ca.issuingIdentity.signatureAlgorithm),
    issuer: AsnConvert.parse(ca.issuingIdentity.subjectDer, Name),
    validity: new Validity({ notBefore, notAfter }),
    subject: encodeName(ocspResponderSubject(ca.issuingIdentity.subjectDer)),
    subjectPublicKeyInfo: AsnConvert.parse(request.publicKey, SubjectPublicKeyInfo),
    extensions: new Extensions([
      keyUsageExtension(['digitalSignature']),
      extKeyUsageExtension([extKeyUsageOids.ocspSigning]),
      // RFC 6960 4.2.2.2.1: relying parties need not check the responder's own status; its value is NULL.
      new Extension({ extnID: ocspOids.noCheck, critical: false, extnValue: new OctetString(encodeNull()) }),
      authorityKeyIdentifierExtension(ca.issuingIdentity.keyIdentifier),
      subjectKeyIdentifierExtension(keyIdentifierOf(request.publicKey)),
    ]),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  // Step 3: the signature, through the issuing CA's signer.
  const der = await signTbsCertificate(tbsDer, ca.issuingSigner);
  // Step 4: what was signed is what was built, and it verifies under the issuing CA.
  if (!bytesEqual(certificateFields(der).tbsCertificate, tbsDer)) {
    throw new Error(`OCSP responder ${request.serialNumberHex}: signed TBSCertificate differs from the built one`);
  }
  const certificate = new X509Certificate(toArrayBuffer(der));
  if (!(await certificate.verify({ publicKey: ca.issuing, date: now, signatureOnly: true }, webCrypto))) {
    throw new Error(`OCSP responder ${request.serialNumberHex}: signature does not verify under the issuing CA`);
  }
  return der;
}

/** The issuing CA's name with "OCSP Responder" in its common name: who answers is plain to see. */
export function ocspResponderSubject(issuingSubjectDer: Uint8Array): NameAttribute[] {
  const attributes = decodeName(AsnConvert.parse(issuingSubjectDer, Name));
  const commonName = attributes.find((attribute) => attribute.oid === attributeTypeOids.commonName);
  const candidate = commonName === undefined ? 'OCSP Responder' : `${commonName.value} OCSP Responder`;
  // X.520 ub-common-name: 64 characters.
  const value = candidate.length <= 64 ? candidate : 'OCSP Responder';
  const responderCommonName: NameAttribute = { oid: attributeTypeOids.commonName, value, encoding: 'utf8String' };
  return commonName === undefined ? [...attributes, responderCommonName] : attributes.map((attribute) => (attribute === commonName ? responderCommonName : attribute));
}
