import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { Result } from '../domain/result.js';
import { certificateFields } from './certificate-fields.js';
import {
  bytesEqual,
  concatBytes,
  decodeObjectIdentifier,
  encodeBitString,
  encodeDer,
  encodeObjectIdentifier,
  encodeOctetString,
  encodeSequence,
  readDerElement,
  readDerElements,
  toArrayBuffer,
  type DerElement,
} from './der.js';
import type { CaSigner } from './keys/signer.js';
import { floorToSecond } from './profile.js';
import { signatureAlgorithmIdentifier, toX509SignatureValue } from './signature-algorithm.js';

/**
 * OCSP (RFC 6960) for one issuing CA: reading a request, byte by byte and bounded, and
 * writing a signed BasicOCSPResponse. Pure but for the signature, which goes through a
 * CaSigner. The request is walked with the strict DER reader of der.ts rather than a
 * schema library: every field is checked where it stands, the CertID is echoed byte for
 * byte, and nothing hostile can throw past parseOcspRequest.
 */

export const ocspOids = {
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  noCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

export const ocspLimits = {
  /** A request for a few certificates is ~100 bytes; 4 KiB is generous (a bigger body is refused). */
  maxRequestBytes: 4096,
  /** Certificates in one request; clients ask for one. */
  maxRequests: 10,
  /** RFC 8954 2.1: a nonce is 1 to 32 octets; longer ones get malformedRequest. */
  maxNonceBytes: 32,
} as const;

/** The OCSPResponseStatus values we send (RFC 6960 4.2.1). */
export const ocspResponseStatuses = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  unauthorized: 6,
} as const;

export type OcspResponseStatus = keyof typeof ocspResponseStatuses;

const hashOids = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
} as const satisfies Record<string, string>;

type HashName = (typeof hashOids)[keyof typeof hashOids];

/** One certificate a request asks about (RFC 6960 4.1.1 CertID). */
export interface OcspCertRequest {
  /** The CertID as received, echoed in the answer (RFC 6960 4.2.1). */
  readonly certIdDer: Uint8Array;
  readonly hashAlgorithmOid: string;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** The INTEGER content octets of serialNumber. */
  readonly serialNumber: Uint8Array;
}

export interface ParsedOcspRequest {
  readonly requests: readonly OcspCertRequest[];
  /** The nonce extension's extnValue as received (RFC 8954), echoed in the answer. */
  readonly nonce: Uint8Array | undefined;
}

export type OcspRequestProblem = 'ocsp.malformedRequest';

/** Reads a DER OCSPRequest; any deviation is malformedRequest, never an exception. */
export function parseOcspRequest(der: Uint8Array): Result<ParsedOcspRequest, OcspRequestProblem> {
  if (der.length === 0 || der.length > ocspLimits.maxRequestBytes) return { ok: false, code: 'ocsp.malformedRequest' };
  try {
    const parsed = readRequest(der);
    return parsed === undefined ? { ok: false, code: 'ocsp.malformedRequest' } : { ok: true, value: parsed };
  } catch {
    // der.ts throws on truncated or overlong encodings: that is what malformedRequest means.
    return { ok: false, code: 'ocsp.malformedRequest' };
  }
}

/**
 * The DER of a GET request's path segment (RFC 6960 A.1: the URL-encoded base64 of the
 * DER). Lenient about what clients do (no URL-encoding, base64url, missing padding),
 * strict about the alphabet; undefined when it is not base64 at all.
 */
export function decodeOcspGetRequest(segment: string): Uint8Array | undefined {
  if (segment.length === 0 || segment.length > 4 * ocspLimits.maxRequestBytes) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // A stray % is no URL-encoding: not a request.
    return undefined;
  }
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.replace(/=+$/, '').length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  return bytes.length === 0 ? undefined : bytes;
}

/** What a CertID must hash to for the CA we answer for: its name and key under each hash. */
export interface OcspIssuer {
  readonly nameHashes: Readonly<Record<HashName, Uint8Array>>;
  readonly keyHashes: Readonly<Record<HashName, Uint8Array>>;
}

/** RFC 6960 4.1.1: issuerNameHash over the issuer's DER subject, issuerKeyHash over its subjectPublicKey bits. */
export function ocspIssuerOf(issuerCertificateDer: ArrayBuffer | Uint8Array): OcspIssuer {
  const fields = certificateFields(issuerCertificateDer);
  const keyBits = new Uint8Array(AsnConvert.parse(fields.subjectPublicKeyInfo, SubjectPublicKeyInfo).subjectPublicKey);
  const each = (data: Uint8Array) =>
    Object.fromEntries(Object.values(hashOids).map((name) => [name, new Uint8Array(createHash(name).update(data).digest())])) as Record<HashName, Uint8Array>;
  return { nameHashes: each(fields.subject), keyHashes: each(keyBits) };
}

/** Whether a CertID names `issuer` (under a hash we know). */
export function isForIssuer(request: OcspCertRequest, issuer: OcspIssuer): boolean {
  const hash = hashOids[request.hashAlgorithmOid as keyof typeof hashOids] as HashName | undefined;
  if (hash === undefined) return false;
  return bytesEqual(request.issuerNameHash, issuer.nameHashes[hash]) && bytesEqual(request.issuerKeyHash, issuer.keyHashes[hash]);
}

/**
 * The serial a CertID asks about as we store serials (lower-case unsigned hex, no
 * leading zero octets); undefined for a negative or over-long one, which no certificate
 * of ours carries (RFC 5280 4.1.2.2: at most 20 octets).
 */
export function serialNumberHexOf(content: Uint8Array): string | undefined {
  const first = content[0];
  if (first === undefined || (first & 0x80) !== 0) return undefined;
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start += 1;
  const magnitude = content.subarray(start);
  if (magnitude.length > 20) return undefined;
  return Buffer.from(magnitude).toString('hex');
}

export type OcspCertStatus =
  | { readonly kind: 'good' }
  | { readonly kind: 'revoked'; readonly revokedAt: Date; readonly reasonCode: number | undefined }
  | { readonly kind: 'unknown' };

export interface OcspSingleAnswer {
  readonly certIdDer: Uint8Array;
  readonly status: OcspCertStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

/** The delegated responder (RFC 6960 4.2.2.2): its certificate, the SHA-1 of its key, its signer. */
export interface OcspSigningIdentity {
  readonly certificateDer: Uint8Array;
  /** SHA-1 of the responder's subjectPublicKey bits: ResponderID byKey (RFC 6960 4.2.2.3). */
  readonly keyHash: Uint8Array;
  readonly signer: CaSigner;
}

export interface OcspResponseRequest {
  readonly responder: OcspSigningIdentity;
  readonly producedAt: Date;
  readonly answers: readonly OcspSingleAnswer[];
  /** The request's nonce extnValue, echoed (RFC 8954). */
  readonly nonce: Uint8Array | undefined;
}

/**
 * A successful OCSPResponse holding a BasicOCSPResponse signed by the responder, with the
 * responder's certificate so clients can check it chains to the issuing CA (RFC 6960 4.2.1).
 */
export async function signOcspResponse(request: OcspResponseRequest): Promise<Uint8Array<ArrayBuffer>> {
  const extensions = request.nonce === undefined ? [] : [encodeExtension(ocspOids.nonce, request.nonce)];
  const tbsResponseData = encodeSequence([
    // version v1 is the DEFAULT, so it is absent (X.690 11.5).
    encodeDer(0xa2, encodeOctetString(request.responder.keyHash)),
    generalizedTime(request.producedAt),
    encodeSequence(request.answers.map(singleResponse)),
    ...(extensions.length === 0 ? [] : [encodeDer(0xa1, encodeSequence(extensions))]),
  ]);
  const { signer } = request.responder;
  const signature = await signer.sign(toArrayBuffer(tbsResponseData));
  const basic = encodeSequence([
    tbsResponseData,
    new Uint8Array(AsnConvert.serialize(signatureAlgorithmIdentifier(signer.algorithm))),
    encodeBitString(toX509SignatureValue(signer.algorithm, signature)),
    encodeDer(0xa0, encodeSequence([request.responder.certificateDer])),
  ]);
  return encodeSequence([
    encodeDer(0x0a, Uint8Array.of(ocspResponseStatuses.successful)),
    encodeDer(0xa0, encodeSequence([encodeObjectIdentifier(ocspOids.basicResponse), encodeOctetString(basic)])),
  ]);
}

/** An unsuccessful OCSPResponse: the status alone, unsigned (RFC 6960 4.2.1). */
export function ocspErrorResponse(status: Exclude<OcspResponseStatus, 'successful'>): Uint8Array<ArrayBuffer> {
  return encodeSequence([encodeDer(0x0a, Uint8Array.of(ocspResponseStatuses[status]))]);
}

function singleResponse(answer: OcspSingleAnswer): Uint8Array {
  return encodeSequence([
    answer.certIdDer,
    certStatus(answer.status),
    generalizedTime(answer.thisUpdate),
    encodeDer(0xa0, generalizedTime(answer.nextUpdate)),
  ]);
}

/** CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }. */
function certStatus(status: OcspCertStatus): Uint8Array {
  switch (status.kind) {
    case 'good':
      return Uint8Array.of(0x80, 0x00);
    case 'unknown':
      return Uint8Array.of(0x82, 0x00);
    case 'revoked':
      return encodeDer(
        0xa1,
        concatBytes([
          generalizedTime(status.revokedAt),
          // S/MIME BR 7.3: a reason permitted in CRLs, so none for unspecified (7.2.2).
          ...(status.reasonCode === undefined ? [] : [encodeDer(0xa0, encodeDer(0x0a, Uint8Array.of(status.reasonCode)))]),
        ]),
      );
  }
}

/** GeneralizedTime in the DER form: YYYYMMDDHHMMSSZ, no fraction (RFC 5280 4.1.2.5.2). */
function generalizedTime(at: Date): Uint8Array<ArrayBuffer> {
  const text = floorToSecond(at).toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return encodeDer(0x18, new TextEncoder().encode(text));
}

function encodeExtension(oid: string, value: Uint8Array): Uint8Array {
  return encodeSequence([encodeObjectIdentifier(oid), encodeOctetString(value)]);
}

// --- Reading a request -----------------------------------------------------------------

function readRequest(der: Uint8Array): ParsedOcspRequest | undefined {
  // OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }
  const top = readDerElement(der);
  if (top.tag !== 0x30) return undefined;
  const [tbsRequest, signature, ...rest] = readDerElements(top.content);
  if (tbsRequest?.tag !== 0x30 || rest.length > 0 || (signature !== undefined && signature.tag !== 0xa0)) return undefined;
  // A signed request is read like any other: we answer anyone (RFC 6960 4.1.2: the signature is optional).

  // TBSRequest ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, requestorName [1] EXPLICIT OPTIONAL,
  //   requestList SEQUENCE OF Request, requestExtensions [2] EXPLICIT Extensions OPTIONAL }
  const fields = readDerElements(tbsRequest.content);
  let index = 0;
  const version = fields[index];
  if (version?.tag === 0xa0) {
    const integer = readDerElement(version.content);
    if (integer.tag !== 0x02 || !bytesEqual(integer.content, Uint8Array.of(0))) return undefined;
    index += 1;
  }
  if (fields[index]?.tag === 0xa1) index += 1;
  const requestList = fields[index];
  if (requestList?.tag !== 0x30) return undefined;
  index += 1;
  let nonce: Uint8Array | undefined;
  const extensionsField = fields[index];
  if (extensionsField !== undefined) {
    if (extensionsField.tag !== 0xa2) return undefined;
    const extensions = readExtensions(readDerElement(extensionsField.content));
    if (extensions === undefined) return undefined;
    for (const extension of extensions) {
      if (extension.oid === ocspOids.nonce) {
        if (nonce !== undefined || !isNonceAcceptable(extension.value)) return undefined;
        nonce = extension.value;
      } else if (extension.isCritical) {
        // RFC 6960 4.4: a critical extension we do not understand cannot be honoured.
        return undefined;
      }
    }
    index += 1;
  }
  if (index !== fields.length) return undefined;

  const entries = readDerElements(requestList.content);
  if (entries.length === 0 || entries.length > ocspLimits.maxRequests) return undefined;
  const requests: OcspCertRequest[] = [];
  for (const entry of entries) {
    const request = readSingleRequest(entry);
    if (request === undefined) return undefined;
    requests.push(request);
  }
  return { requests, nonce };
}

/** Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL } */
function readSingleRequest(element: DerElement): OcspCertRequest | undefined {
  if (element.tag !== 0x30) return undefined;
  const [certId, extensions, ...rest] = readDerElements(element.content);
  if (certId?.tag !== 0x30 || rest.length > 0) return undefined;
  if (extensions !== undefined) {
    if (extensions.tag !== 0xa0) return undefined;
    const parsed = readExtensions(readDerElement(extensions.content));
    // None is defined that we act on (RFC 6960 4.4.6 service locator is for forwarding).
    if (parsed === undefined || parsed.some((extension) => extension.isCritical)) return undefined;
  }
  // CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
  //   issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }
  const [algorithm, nameHash, keyHash, serial, ...extra] = readDerElements(certId.content);
  if (algorithm?.tag !== 0x30 || nameHash?.tag !== 0x04 || keyHash?.tag !== 0x04 || serial?.tag !== 0x02 || extra.length > 0) return undefined;
  const [oid, parameters, ...moreParameters] = readDerElements(algorithm.content);
  if (oid?.tag !== 0x06 || moreParameters.length > 0 || (parameters !== undefined && !(parameters.tag === 0x05 && parameters.content.length === 0))) return undefined;
  if (serial.content.length === 0) return undefined;
  return {
    certIdDer: certId.raw,
    hashAlgorithmOid: decodeObjectIdentifier(oid.content),
    issuerNameHash: nameHash.content,
    issuerKeyHash: keyHash.content,
    serialNumber: serial.content,
  };
}

interface RequestExtension {
  readonly oid: string;
  readonly isCritical: boolean;
  readonly value: Uint8Array;
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension; Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtensions(sequence: DerElement): RequestExtension[] | undefined {
  if (sequence.tag !== 0x30) return undefined;
  const extensions: RequestExtension[] = [];
  for (const element of readDerElements(sequence.content)) {
    if (element.tag !== 0x30) return undefined;
    const parts = readDerElements(element.content);
    const [oid] = parts;
    const critical = parts.length === 3 ? parts[1] : undefined;
    const value = parts.at(-1);
    if (oid?.tag !== 0x06 || value?.tag !== 0x04 || parts.length < 2 || parts.length > 3) return undefined;
    if (critical !== undefined && (critical.tag !== 0x01 || critical.content.length !== 1)) return undefined;
    extensions.push({ oid: decodeObjectIdentifier(oid.content), isCritical: critical !== undefined && critical.content[0] !== 0, value: value.content });
  }
  return extensions;
}

/**
 * RFC 8954 2.1: Nonce ::= OCTET STRING (SIZE(1..32)), carried DER-encoded in extnValue.
 * Clients that put the bare octets in extnValue (older ones do) are held to the same bound.
 */
function isNonceAcceptable(extnValue: Uint8Array): boolean {
  let nonce = extnValue;
  try {
    const inner = readDerElement(extnValue);
    if (inner.tag === 0x04) nonce = inner.content;
  } catch {
    // Not DER inside: the bare nonce octets themselves.
    nonce = extnValue;
  }
  return nonce.length >= 1 && nonce.length <= ocspLimits.maxNonceBytes;
}
