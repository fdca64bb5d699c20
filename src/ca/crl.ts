import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { CertificateList, Extension, Name, RevokedCertificate, TBSCertList, Time, Version } from '@peculiar/asn1-x509';
import { decodeNonNegativeInteger, encodeDer, encodeNonNegativeInteger, readDerElement } from './der.js';
import type { CaSigner } from './keys/signer.js';
import { floorToSecond } from './profile.js';
import { signTbsCertificate } from './sign-certificate.js';
import { signatureAlgorithmIdentifier } from './signature-algorithm.js';
import { authorityKeyIdentifierExtension, serialNumberContent, type IssuerIdentity } from './tbs-certificate.js';

/**
 * X.509 v2 CRLs (RFC 5280 5), pure but for the signature, which goes through the CA's
 * CaSigner like every other signature (a key file or a PKCS#11 token).
 */

export const crlExtensionOids = {
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
} as const;

/** TLS BR 7.2.2, which S/MIME relying parties meet too: 0 ≤ cRLNumber < 2^159. Ours stay far below 2^53. */
const maxCrlNumber = Number.MAX_SAFE_INTEGER;

export interface CrlEntry {
  /** As the certificate carries it (unsigned hex; S/MIME BR 7.2.2: byte-for-byte the same serial). */
  readonly serialNumberHex: string;
  readonly revokedAt: Date;
  /** The CRLReason code; undefined for unspecified, which is written as no reasonCode (S/MIME BR 7.2.2). */
  readonly reasonCode: number | undefined;
}

export interface CrlRequest {
  /** The CA whose certificates the list covers: its subject bytes and subjectKeyIdentifier. */
  readonly issuer: Pick<IssuerIdentity, 'subjectDer' | 'keyIdentifier'>;
  /** Strictly increasing per CA (RFC 5280 5.2.3); the store hands them out. */
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly CrlEntry[];
}

/** The TBSCertList DER for `request`, entries in ascending serial order, signed later as `signer` would. */
export function encodeTbsCertList(request: CrlRequest, algorithm: CaSigner['algorithm']): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(request.crlNumber) || request.crlNumber < 0 || request.crlNumber > maxCrlNumber) {
    throw new Error(`CRL number ${request.crlNumber} is not a non-negative safe integer`);
  }
  const thisUpdate = floorToSecond(request.thisUpdate);
  const nextUpdate = floorToSecond(request.nextUpdate);
  if (nextUpdate.getTime() <= thisUpdate.getTime()) {
    throw new Error('CRL nextUpdate must come after thisUpdate');
  }
  const entries = [...request.entries].sort((a, b) => compareSerials(a.serialNumberHex, b.serialNumberHex));
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: signatureAlgorithmIdentifier(algorithm),
    issuer: AsnConvert.parse(request.issuer.subjectDer, Name),
    thisUpdate: new Time(thisUpdate),
    // RFC 5280 5.1.2.5: conforming CAs always include nextUpdate.
    nextUpdate: new Time(nextUpdate),
    crlExtensions: [
      // RFC 5280 5.2.1, S/MIME BR 7.2.2 (via RFC 5280): authorityKeyIdentifier, keyIdentifier form.
      authorityKeyIdentifierExtension(request.issuer.keyIdentifier),
      // RFC 5280 5.2.3: cRLNumber, non-critical.
      rawExtension(crlExtensionOids.cRLNumber, encodeNonNegativeInteger(request.crlNumber)),
    ],
  });
  if (entries.length > 0) {
    // An empty list is left out, not written as an empty SEQUENCE (RFC 5280 5.1.2.6).
    tbs.revokedCertificates = entries.map(
      (entry) =>
        new RevokedCertificate({
          userCertificate: serialNumberContent(entry.serialNumberHex),
          revocationDate: new Time(floorToSecond(entry.revokedAt)),
          ...(entry.reasonCode === undefined ? {} : { crlEntryExtensions: [reasonCodeExtension(entry.reasonCode)] }),
        }),
    );
  }
  return new Uint8Array(AsnConvert.serialize(tbs));
}

/** A signed CertificateList: SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue } (RFC 5280 5.1.1). */
export async function signCrl(request: CrlRequest, signer: CaSigner): Promise<Uint8Array<ArrayBuffer>> {
  // A CertificateList wraps its TBS exactly as a Certificate does.
  return signTbsCertificate(encodeTbsCertList(request, signer.algorithm), signer);
}

/** What a CRL says about itself: read back to check what we signed and to number the next one. */
export interface CrlDescription {
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly entryCount: number;
}

/** Reads a DER CRL's number, dates and entry count; throws when it is not a CRL with a cRLNumber. */
export function describeCrl(der: Uint8Array): CrlDescription {
  const list = AsnConvert.parse(der, CertificateList);
  const numberExtension = list.tbsCertList.crlExtensions?.find((extension) => extension.extnID === crlExtensionOids.cRLNumber);
  if (numberExtension === undefined) throw new Error('CRL without cRLNumber');
  const integer = readDerElement(new Uint8Array(numberExtension.extnValue.buffer));
  if (integer.tag !== 0x02) throw new Error('CRL number is not an INTEGER');
  return {
    crlNumber: decodeNonNegativeInteger(integer.content),
    thisUpdate: list.tbsCertList.thisUpdate.getTime(),
    nextUpdate: list.tbsCertList.nextUpdate?.getTime(),
    entryCount: list.tbsCertList.revokedCertificates?.length ?? 0,
  };
}

/** reasonCode, non-critical (S/MIME BR 7.2.2): an ENUMERATED CRLReason. */
function reasonCodeExtension(code: number): Extension {
  if (!Number.isInteger(code) || code < 1 || code > 10 || code === 7) {
    throw new Error(`CRLReason ${code} cannot be written in a CRL entry`);
  }
  return rawExtension(crlExtensionOids.reasonCode, encodeDer(0x0a, Uint8Array.of(code)));
}

function rawExtension(extnID: string, valueDer: Uint8Array): Extension {
  return new Extension({ extnID, critical: false, extnValue: new OctetString(valueDer) });
}

/** Orders unsigned hex serials by value, whatever their length or case. */
export function compareSerials(a: string, b: string): number {
  const x = BigInt(`0x${a}`);
  const y = BigInt(`0x${b}`);
  return x < y ? -1 : x > y ? 1 : 0;
}
