import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { certificateFields } from '../../src/ca/certificate-fields.js';
import { encodeDer, encodeObjectIdentifier, encodeOctetString, encodeSequence, encodeUnsignedInteger } from '../../src/ca/der.js';
import { ocspOids } from '../../src/ca/ocsp.js';

/**
 * OCSPRequests built by hand (RFC 6960 4.1.1), for tests that need shapes openssl does not
 * send: SHA-1 CertIDs for `serials` under the CA whose certificate is `issuerDer`, and
 * whatever request extensions the test wants.
 */
export function ocspRequestDer(issuerDer: ArrayBuffer, serials: readonly string[], extensions: readonly Uint8Array[] = []): Uint8Array {
  const fields = certificateFields(issuerDer);
  const keyBits = new Uint8Array(AsnConvert.parse(fields.subjectPublicKeyInfo, SubjectPublicKeyInfo).subjectPublicKey);
  const sha1 = (bytes: Uint8Array) => new Uint8Array(createHash('sha1').update(bytes).digest());
  const certId = (serialHex: string) =>
    encodeSequence([
      encodeSequence([encodeObjectIdentifier('1.3.14.3.2.26'), Uint8Array.of(0x05, 0x00)]),
      encodeOctetString(sha1(fields.subject)),
      encodeOctetString(sha1(keyBits)),
      encodeUnsignedInteger(Buffer.from(serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`, 'hex')),
    ]);
  const tbs = [encodeSequence(serials.map((serialHex) => encodeSequence([certId(serialHex)])))];
  if (extensions.length > 0) tbs.push(encodeDer(0xa2, encodeSequence(extensions)));
  return encodeSequence([encodeSequence(tbs)]);
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING } */
export function ocspExtensionDer(oid: string, value: Uint8Array, isCritical = false): Uint8Array {
  return encodeSequence([encodeObjectIdentifier(oid), ...(isCritical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), encodeOctetString(value)]);
}

/** The nonce extension as RFC 8954 has it: extnValue holds the DER OCTET STRING of the nonce. */
export const nonceExtensionDer = (nonce: Uint8Array): Uint8Array => ocspExtensionDer(ocspOids.nonce, encodeOctetString(nonce));
