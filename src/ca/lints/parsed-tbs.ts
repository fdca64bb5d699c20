import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  GeneralName,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  TBSCertificate,
} from '@peculiar/asn1-x509';
import { tbsFields } from '../certificate-fields.js';
import { readDerElement, readDerElements } from '../der.js';
import { decodeName } from '../distinguished-name.js';
import { extensionOids } from '../oids.js';
import { keyUsageFlags, type KeyUsageName, type NameAttribute } from '../profile.js';
import { describeSubjectKey, type SubjectKeyDescription } from '../subject-key.js';

/**
 * A TBSCertificate decoded once for the lints: plain values, no ASN.1 classes.
 * Extensions the lints look at are decoded into `Decoded` views; an extension
 * that does not decode is kept with its error so a lint can report it.
 */
export interface ParsedTbs {
  /** The exact bytes that are linted and then signed. */
  readonly der: Uint8Array;
  /** 0 = v1, 2 = v3 (RFC 5280 4.1.2.1). */
  readonly version: number;
  /** Content octets of the serialNumber INTEGER, as encoded (two's complement). */
  readonly serialNumber: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly issuerDer: Uint8Array;
  readonly issuer: readonly NameAttribute[];
  readonly subject: readonly NameAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKeyInfo: Uint8Array;
  /** DER of SubjectPublicKeyInfo.algorithm (compared byte-wise, S/MIME BR 7.1.3.1). */
  readonly subjectPublicKeyAlgorithm: Uint8Array;
  readonly subjectKey: SubjectKeyDescription;
  readonly extensions: readonly TbsExtension[];
  readonly keyUsage: Decoded<readonly KeyUsageName[]> | undefined;
  readonly extKeyUsage: Decoded<readonly string[]> | undefined;
  readonly certificatePolicies: Decoded<readonly string[]> | undefined;
  /** Every name of every distribution point (fullName), flattened. */
  readonly crlDistributionPoints: Decoded<readonly GeneralNameView[]> | undefined;
  readonly authorityInfoAccess: Decoded<readonly AccessDescriptionView[]> | undefined;
  readonly subjectAltName: Decoded<readonly GeneralNameView[]> | undefined;
  readonly authorityKeyIdentifier: Decoded<AuthorityKeyIdentifierView> | undefined;
  readonly subjectKeyIdentifier: Decoded<Uint8Array> | undefined;
  readonly basicConstraints: Decoded<BasicConstraintsView> | undefined;
}

export interface TbsExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export type Decoded<T> =
  | { readonly ok: true; readonly critical: boolean; readonly value: T }
  | { readonly ok: false; readonly critical: boolean; readonly error: string };

export type GeneralNameView =
  | { readonly kind: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly kind: 'directoryName'; readonly value: readonly NameAttribute[] }
  | { readonly kind: 'other'; readonly value: string };

export interface AccessDescriptionView {
  readonly method: string;
  readonly location: GeneralNameView;
}

export interface AuthorityKeyIdentifierView {
  readonly keyIdentifier: Uint8Array | undefined;
  readonly hasIssuerOrSerial: boolean;
}

export interface BasicConstraintsView {
  readonly cA: boolean;
  readonly pathLenConstraint: number | undefined;
}

/** Decodes DER TBSCertificate bytes. Throws only if the bytes are not a TBSCertificate at all. */
export function parseTbs(der: Uint8Array): ParsedTbs {
  const tbs = AsnConvert.parse(der, TBSCertificate);
  const raw = tbsFields(der);
  const [algorithm] = readDerElements(readDerElement(raw.subjectPublicKeyInfo).content);
  const extensions: TbsExtension[] = (tbs.extensions ?? []).map((extension) => ({
    oid: extension.extnID,
    critical: extension.critical,
    value: new Uint8Array(extension.extnValue.buffer),
  }));
  const find = (oid: string): TbsExtension | undefined => extensions.find((extension) => extension.oid === oid);
  return {
    der,
    version: tbs.version,
    serialNumber: new Uint8Array(tbs.serialNumber),
    signatureAlgorithmOid: tbs.signature.algorithm,
    issuerDer: raw.issuer,
    issuer: decodeName(tbs.issuer),
    subject: decodeName(tbs.subject),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    subjectPublicKeyInfo: raw.subjectPublicKeyInfo,
    subjectPublicKeyAlgorithm: algorithm?.raw ?? new Uint8Array(),
    subjectKey: describeSubjectKey(raw.subjectPublicKeyInfo),
    extensions,
    keyUsage: decode(find(extensionOids.keyUsage), KeyUsage, (value) => {
      const flags = value.toNumber();
      return (Object.keys(keyUsageFlags) as KeyUsageName[]).filter((name) => (flags & keyUsageFlags[name]) !== 0);
    }),
    extKeyUsage: decode(find(extensionOids.extKeyUsage), ExtendedKeyUsage, (value) => [...value]),
    certificatePolicies: decode(find(extensionOids.certificatePolicies), CertificatePolicies, (value) =>
      value.map((policy) => policy.policyIdentifier),
    ),
    crlDistributionPoints: decode(find(extensionOids.cRLDistributionPoints), CRLDistributionPoints, (value) =>
      value.flatMap((point) => (point.distributionPoint?.fullName ?? []).map(viewGeneralName)),
    ),
    authorityInfoAccess: decode(find(extensionOids.authorityInfoAccess), AuthorityInfoAccessSyntax, (value) =>
      value.map((access) => ({ method: access.accessMethod, location: viewGeneralName(access.accessLocation) })),
    ),
    subjectAltName: decode(find(extensionOids.subjectAltName), SubjectAlternativeName, (value) =>
      value.map(viewGeneralName),
    ),
    authorityKeyIdentifier: decode(find(extensionOids.authorityKeyIdentifier), AuthorityKeyIdentifier, (value) => ({
      keyIdentifier: value.keyIdentifier === undefined ? undefined : new Uint8Array(value.keyIdentifier.buffer),
      hasIssuerOrSerial: value.authorityCertIssuer !== undefined || value.authorityCertSerialNumber !== undefined,
    })),
    subjectKeyIdentifier: decode(
      find(extensionOids.subjectKeyIdentifier),
      SubjectKeyIdentifier,
      (value) => new Uint8Array(value.buffer),
    ),
    basicConstraints: decode(find(extensionOids.basicConstraints), BasicConstraints, (value) => ({
      cA: value.cA,
      pathLenConstraint: value.pathLenConstraint,
    })),
  };
}

function decode<A, T>(
  extension: TbsExtension | undefined,
  type: new () => A,
  view: (value: A) => T,
): Decoded<T> | undefined {
  if (extension === undefined) {
    return undefined;
  }
  try {
    return { ok: true, critical: extension.critical, value: view(AsnConvert.parse(extension.value, type)) };
  } catch (error) {
    return { ok: false, critical: extension.critical, error: error instanceof Error ? error.message : String(error) };
  }
}

function viewGeneralName(name: GeneralName): GeneralNameView {
  if (name.rfc822Name !== undefined) {
    return { kind: 'rfc822Name', value: name.rfc822Name };
  }
  if (name.dNSName !== undefined) {
    return { kind: 'dNSName', value: name.dNSName };
  }
  if (name.uniformResourceIdentifier !== undefined) {
    return { kind: 'uniformResourceIdentifier', value: name.uniformResourceIdentifier };
  }
  if (name.directoryName !== undefined) {
    return { kind: 'directoryName', value: decodeName(name.directoryName) };
  }
  return { kind: 'other', value: JSON.stringify(Object.keys(name)) };
}
