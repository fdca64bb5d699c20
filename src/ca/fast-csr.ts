import { verify } from 'node:crypto';
import { isNameReencodedUnchanged } from './fast-tbs.js';
import { keyRefusalReason } from './profile.js';
import {
  canonicalObjectIdentifier,
  contentOf,
  rawOf,
  readStrictChildren,
  readStrictFields,
  readStrictRoot,
  readSubjectPublicKeyInfo,
  utf8TextOf,
  type StrictTlv,
} from './strict-der.js';
import { readSubjectKey, type SubjectKeyDescription } from './subject-key.js';

/**
 * parseCsr's acceptances, decided without @peculiar/x509: a strict DER read of the
 * PKCS#10 request (RFC 2986), the key described as parseCsr describes it, and the proof of
 * possession checked by OpenSSL directly (node:crypto verify, where the reference imports
 * the key into WebCrypto and converts the signature first): ~0.4 ms where parseCsr takes ~1 ms.
 *
 * It takes the DER that parseCsr's strict input reading (csrDerOf) made of the upload, and
 * it only ever says yes. For anything it does not know to the byte — BER, attributes asn1js
 * might refuse, a signature algorithm outside the profile's, a key the profile refuses, a
 * signature OpenSSL does not accept — it answers undefined and parseCsr goes on with its
 * reference path, which decides every refusal and its code. test/ca/fast-csr.test.ts
 * compares both on real, odd and damaged requests.
 */

/** What parseCsr returns on success (ParsedCsr in issuer.ts). */
export interface AcceptedCsr {
  /** DER SubjectPublicKeyInfo, ready for issueCertificate. */
  readonly publicKey: ArrayBuffer;
  readonly key: SubjectKeyDescription;
}

/** Far inside asn1js's own limits (depth 100, 10,000 nodes, 16 MiB), so they never decide for the reference alone. */
const maxDepth = 16;
const maxNodes = 1_000;
const maxBytes = 65_536;

export function acceptCsrFast(der: Uint8Array): AcceptedCsr | undefined {
  if (der.length > maxBytes) return undefined;
  // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
  const [info, algorithm, signature] = readStrictFields(der, readStrictRoot(der, 0x30), [0x30, 0x30, 0x03]) ?? [];
  // CertificationRequestInfo ::= SEQUENCE { version INTEGER v1(0), subject Name, subjectPKInfo, attributes [0] }
  const [version, subject, spki, attributes] = readStrictFields(der, info, [0x02, 0x30, 0x30, 0xa0]) ?? [];
  if (info === undefined || algorithm === undefined || signature === undefined || version === undefined || subject === undefined || spki === undefined || attributes === undefined) {
    return undefined;
  }
  const versionContent = contentOf(der, version);
  if (versionContent.length !== 1 || versionContent[0] !== 0) return undefined;
  if (!isNameReencodedUnchanged(rawOf(der, subject)) || readSubjectPublicKeyInfo(der, spki) === undefined || !areAttributesReadable(der, attributes)) {
    return undefined;
  }
  const signatureBits = contentOf(der, signature);
  if (signatureBits.length < 2 || signatureBits[0] !== 0) return undefined;

  // Step 1: the key, described as parseCsr describes it; a refused key is for parseCsr to refuse.
  const publicKey = new Uint8Array(rawOf(der, spki));
  const { description: key, keyObject } = readSubjectKey(publicKey);
  if (keyObject === undefined || keyRefusalReason(key) !== undefined) return undefined;

  // Step 2: proof of possession, for the signature algorithms that go with the key.
  const digest = digestFor(algorithmOf(der, algorithm), key);
  if (digest === undefined) return undefined;
  let isValid: boolean;
  try {
    isValid = verify(digest === 'none' ? null : digest, rawOf(der, info), { key: keyObject, dsaEncoding: 'der' }, signatureBits.subarray(1));
  } catch {
    // OpenSSL would not even check it: parseCsr decides what that means.
    return undefined;
  }
  return isValid ? { publicKey: publicKey.buffer, key } : undefined;
}

/** AlgorithmIdentifier { OID, NULL } or { OID }: "OID" or "OID+NULL". */
function algorithmOf(der: Uint8Array, algorithm: StrictTlv): string | undefined {
  const [oid, parameters, ...rest] = readStrictChildren(der, algorithm) ?? [];
  const dotted = oid === undefined ? undefined : canonicalObjectIdentifier(der, oid);
  if (dotted === undefined || rest.length > 0) return undefined;
  if (parameters === undefined) return dotted;
  return parameters.tag === 0x05 && parameters.end === parameters.contentStart ? `${dotted}+NULL` : undefined;
}

/** The digest a CSR signature uses (S/MIME BR 7.1.3.2), for the key type it must match. */
function digestFor(algorithm: string | undefined, key: SubjectKeyDescription): 'sha256' | 'sha384' | 'sha512' | 'none' | undefined {
  switch (key.kind) {
    case 'ec':
      // RFC 5758 3.2: ecdsa-with-SHA256/384/512, parameters absent.
      return ({ '1.2.840.10045.4.3.2': 'sha256', '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512' } as const)[algorithm ?? ''];
    case 'rsa':
      // RFC 4055 5: sha256/384/512WithRSAEncryption, parameters NULL.
      return ({ '1.2.840.113549.1.1.11+NULL': 'sha256', '1.2.840.113549.1.1.12+NULL': 'sha384', '1.2.840.113549.1.1.13+NULL': 'sha512' } as const)[algorithm ?? ''];
    case 'ed25519':
      // RFC 8410 3: id-Ed25519, parameters absent; the message is signed as it is.
      return algorithm === '1.3.101.112' ? 'none' : undefined;
    case 'unsupported':
      return undefined;
  }
}

/**
 * attributes [0] IMPLICIT SET OF Attribute { type OID, values SET OF ANY }: the values are
 * ANY, so asn1js reads them through; admit only what it reads without complaint.
 */
function areAttributesReadable(der: Uint8Array, attributes: StrictTlv): boolean {
  const budget = { nodes: maxNodes };
  const items = readStrictChildren(der, attributes);
  return (
    items !== undefined &&
    items.every((attribute) => {
      const [type, values] = readStrictFields(der, attribute.tag === 0x30 ? attribute : undefined, [0x06, 0x31]) ?? [];
      const children = values === undefined ? undefined : readStrictChildren(der, values);
      return type !== undefined && canonicalObjectIdentifier(der, type) !== undefined && children !== undefined && children.every((value) => isReadable(der, value, 3, budget));
    })
  );
}

/** A TLV, and all it holds, of the kinds asn1js decodes without error. */
function isReadable(der: Uint8Array, tlv: StrictTlv, depth: number, budget: { nodes: number }): boolean {
  budget.nodes -= 1;
  if (depth > maxDepth || budget.nodes < 0) return false;
  const content = contentOf(der, tlv);
  if ((tlv.tag & 0x20) !== 0) {
    // SEQUENCE, SET and context-specific constructed: every child readable.
    if (tlv.tag !== 0x30 && tlv.tag !== 0x31 && (tlv.tag & 0xe0) !== 0xa0) return false;
    const children = readStrictChildren(der, tlv);
    return children !== undefined && children.every((child) => isReadable(der, child, depth + 1, budget));
  }
  if ((tlv.tag & 0xc0) === 0x80) return true; // context-specific primitive: opaque octets
  switch (tlv.tag) {
    case 0x01: // BOOLEAN
      return content.length === 1 && (content[0] === 0x00 || content[0] === 0xff);
    case 0x02: // INTEGER
      return content.length >= 1;
    case 0x03: // BIT STRING
      return content.length >= 1 && (content[0] ?? 8) <= 7 && (content.length > 1 || content[0] === 0);
    case 0x04: // OCTET STRING
    case 0x13: // PrintableString
    case 0x16: // IA5String
      return true;
    case 0x05: // NULL
      return content.length === 0;
    case 0x06:
      return canonicalObjectIdentifier(der, tlv) !== undefined;
    case 0x0c: // UTF8String
      return utf8TextOf(content) !== undefined;
    default:
      return false;
  }
}
