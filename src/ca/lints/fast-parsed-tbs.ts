import { BitString } from '@peculiar/asn1-schema';
import { extensionOids } from '../oids.js';
import { keyUsageFlags, type KeyUsageName, type NameAttribute } from '../profile.js';
import {
  bytesAreEqual,
  canonicalObjectIdentifier,
  contentOf,
  latin1Of,
  rawOf,
  readStrictChildren,
  readStrictRoot,
  readStrictTlv,
  readSubjectPublicKeyInfo,
  utf8TextOf,
  type StrictTlv,
} from '../strict-der.js';
import { describeSubjectKey, type SubjectKeyDescription } from '../subject-key.js';
import {
  parseTbs,
  type AccessDescriptionView,
  type AuthorityKeyIdentifierView,
  type BasicConstraintsView,
  type Decoded,
  type GeneralNameView,
  type ParsedTbs,
  type TbsExtension,
} from './parsed-tbs.js';

/**
 * parseTbs without @peculiar/asn1-schema: the lints still read the exact bytes that will
 * be signed (SPEC §4), through a strict DER reader instead of asn1js. It answers only for
 * the shapes it knows — strict DER, the string types and extension forms our profile writes
 * and a little around them — and hands anything else to parseTbs, so the result is always
 * parseTbs's (test/ca/fast-parsed-tbs.test.ts compares the two, deep and strict).
 */

/** A SubjectPublicKeyInfo already described by describeSubjectKey, so its description is not worked out twice. */
export interface DescribedSubjectKey {
  readonly spki: ArrayBuffer | Uint8Array;
  readonly key: SubjectKeyDescription;
}

export function parseTbsFast(der: Uint8Array, described?: DescribedSubjectKey): ParsedTbs {
  return readParsedTbs(der, described) ?? parseTbs(der);
}

/** The ParsedTbs of `der`, or undefined when it is not a shape this reader knows. Exported for the tests. */
export function readParsedTbs(der: Uint8Array, described?: DescribedSubjectKey): ParsedTbs | undefined {
  const root = readStrictRoot(der, 0x30);
  const fields = root === undefined ? undefined : readStrictChildren(der, root);
  if (fields === undefined || (fields.length !== 7 && fields.length !== 8)) return undefined;
  const [version, serial, signature, issuer, validity, subject, spki, extensionsField] = fields as [
    StrictTlv,
    StrictTlv,
    StrictTlv,
    StrictTlv,
    StrictTlv,
    StrictTlv,
    StrictTlv,
    StrictTlv | undefined,
  ];
  if (
    version.tag !== 0xa0 ||
    serial.tag !== 0x02 ||
    serial.end === serial.contentStart ||
    signature.tag !== 0x30 ||
    issuer.tag !== 0x30 ||
    validity.tag !== 0x30 ||
    subject.tag !== 0x30 ||
    spki.tag !== 0x30 ||
    (extensionsField !== undefined && extensionsField.tag !== 0xa3)
  ) {
    return undefined;
  }
  const versionNumber = smallIntegerOf(der, readStrictChildren(der, version));
  const signatureAlgorithmOid = algorithmOidOf(der, signature);
  const issuerAttributes = nameAttributesOf(der, issuer);
  const subjectAttributes = nameAttributesOf(der, subject);
  const times = readStrictChildren(der, validity);
  const notBefore = times?.length === 2 && times[0] !== undefined ? timeOf(der, times[0]) : undefined;
  const notAfter = times?.length === 2 && times[1] !== undefined ? timeOf(der, times[1]) : undefined;
  const spkiAlgorithm = spkiAlgorithmOf(der, spki);
  const extensions = extensionsField === undefined ? [] : extensionsOf(der, extensionsField);
  if (
    versionNumber === undefined ||
    signatureAlgorithmOid === undefined ||
    issuerAttributes === undefined ||
    subjectAttributes === undefined ||
    notBefore === undefined ||
    notAfter === undefined ||
    spkiAlgorithm === undefined ||
    extensions === undefined
  ) {
    return undefined;
  }
  const views = extensionViewsOf(extensions);
  if (views === undefined) return undefined;
  const subjectPublicKeyInfo = copyOf(rawOf(der, spki));
  return {
    der,
    version: versionNumber,
    serialNumber: copyOf(contentOf(der, serial)),
    signatureAlgorithmOid,
    issuerDer: copyOf(rawOf(der, issuer)),
    issuer: issuerAttributes,
    subject: subjectAttributes,
    notBefore,
    notAfter,
    subjectPublicKeyInfo,
    subjectPublicKeyAlgorithm: copyOf(rawOf(der, spkiAlgorithm)),
    subjectKey:
      described !== undefined && bytesAreEqual(new Uint8Array(described.spki), subjectPublicKeyInfo)
        ? described.key
        : describeSubjectKey(subjectPublicKeyInfo),
    extensions,
    ...views,
  };
}

type ExtensionViews = Pick<
  ParsedTbs,
  | 'keyUsage'
  | 'extKeyUsage'
  | 'certificatePolicies'
  | 'crlDistributionPoints'
  | 'authorityInfoAccess'
  | 'subjectAltName'
  | 'authorityKeyIdentifier'
  | 'subjectKeyIdentifier'
  | 'basicConstraints'
>;

/** The views parseTbs decodes, each from the first extension with its OID; undefined if one does not read strictly. */
function extensionViewsOf(extensions: readonly TbsExtension[]): ExtensionViews | undefined {
  const find = (oid: string): TbsExtension | undefined => extensions.find((extension) => extension.oid === oid);
  const views = {
    keyUsage: view(find(extensionOids.keyUsage), keyUsageOf),
    extKeyUsage: view(find(extensionOids.extKeyUsage), (bytes, root) => sequenceOf(bytes, root, (item) => canonicalObjectIdentifier(bytes, item))),
    certificatePolicies: view(find(extensionOids.certificatePolicies), (bytes, root) =>
      sequenceOf(bytes, root, (policy) => {
        // PolicyInformation without qualifiers: SEQUENCE { policyIdentifier }
        const [oid, ...qualifiers] = (policy.tag === 0x30 ? readStrictChildren(bytes, policy) : undefined) ?? [];
        return oid === undefined || qualifiers.length > 0 ? undefined : canonicalObjectIdentifier(bytes, oid);
      }),
    ),
    crlDistributionPoints: view(find(extensionOids.cRLDistributionPoints), crlDistributionPointNamesOf),
    authorityInfoAccess: view(find(extensionOids.authorityInfoAccess), (bytes, root) =>
      sequenceOf(bytes, root, (description): AccessDescriptionView | undefined => {
        const [method, location, ...rest] = (description.tag === 0x30 ? readStrictChildren(bytes, description) : undefined) ?? [];
        if (method === undefined || location === undefined || rest.length > 0) return undefined;
        const oid = canonicalObjectIdentifier(bytes, method);
        const name = generalNameOf(bytes, location);
        return oid === undefined || name === undefined ? undefined : { method: oid, location: name };
      }),
    ),
    subjectAltName: view(find(extensionOids.subjectAltName), (bytes, root) => sequenceOf(bytes, root, (name) => generalNameOf(bytes, name))),
    authorityKeyIdentifier: view(find(extensionOids.authorityKeyIdentifier), authorityKeyIdentifierOf),
    subjectKeyIdentifier: view(find(extensionOids.subjectKeyIdentifier), (bytes, root) => (root.tag === 0x04 ? copyOf(contentOf(bytes, root)) : undefined)),
    basicConstraints: view(find(extensionOids.basicConstraints), basicConstraintsOf),
  };
  return Object.values(views).some((decoded) => decoded === null) ? undefined : (views as ExtensionViews);
}

/** Decoded like parseTbs's `decode`, or null when the value is not a strict form we read (the caller then falls back). */
function view<T>(extension: TbsExtension | undefined, read: (bytes: Uint8Array, root: StrictTlv) => T | undefined): Decoded<T> | undefined | null {
  if (extension === undefined) return undefined;
  const root = readStrictTlv(extension.value, 0, extension.value.length);
  if (root === undefined || root.end !== extension.value.length) return null;
  const value = read(extension.value, root);
  return value === undefined ? null : { ok: true, critical: extension.critical, value };
}

/** The items of a SEQUENCE OF, each read by `item`; undefined if the SEQUENCE or any item is not strict. */
function sequenceOf<T>(bytes: Uint8Array, root: StrictTlv, item: (tlv: StrictTlv) => T | undefined): T[] | undefined {
  const children = root.tag === 0x30 ? readStrictChildren(bytes, root) : undefined;
  if (children === undefined) return undefined;
  const items: T[] = [];
  for (const child of children) {
    const value = item(child);
    if (value === undefined) return undefined;
    items.push(value);
  }
  return items;
}

/**
 * KeyUsage flags to names exactly as parseTbs does: asn1-schema's own BitString.toNumber
 * over the octets, then every flag in keyUsageFlags order.
 */
function keyUsageOf(bytes: Uint8Array, root: StrictTlv): KeyUsageName[] | undefined {
  const content = root.tag === 0x03 ? contentOf(bytes, root) : undefined;
  const unusedBits = content?.[0];
  if (content === undefined || unusedBits === undefined || unusedBits > 7 || (content.length === 1 && unusedBits !== 0)) return undefined;
  const flags = new BitString(copyOf(content.subarray(1)), unusedBits).toNumber();
  return (Object.keys(keyUsageFlags) as KeyUsageName[]).filter((name) => (flags & keyUsageFlags[name]) !== 0);
}

/** Every fullName of every DistributionPoint, flattened; points that name nothing add nothing. */
function crlDistributionPointNamesOf(bytes: Uint8Array, root: StrictTlv): GeneralNameView[] | undefined {
  const points = sequenceOf(bytes, root, (point): GeneralNameView[] | undefined => {
    const fields = point.tag === 0x30 ? readStrictChildren(bytes, point) : undefined;
    if (fields === undefined || fields.length > 1) return undefined;
    const [distributionPoint] = fields;
    if (distributionPoint === undefined) return [];
    // distributionPoint [0] DistributionPointName ::= CHOICE { fullName [0] GeneralNames, … }
    const [fullName, ...rest] = (distributionPoint.tag === 0xa0 ? readStrictChildren(bytes, distributionPoint) : undefined) ?? [];
    if (fullName === undefined || rest.length > 0 || fullName.tag !== 0xa0) return undefined;
    const names = readStrictChildren(bytes, fullName);
    if (names === undefined || names.length === 0) return undefined;
    const views = names.map((name) => generalNameOf(bytes, name));
    return views.every((name) => name !== undefined) ? (views as GeneralNameView[]) : undefined;
  });
  return points?.flat();
}

/** rfc822Name [1], dNSName [2] and uniformResourceIdentifier [6]: IA5String, one character per octet. */
function generalNameOf(bytes: Uint8Array, name: StrictTlv): GeneralNameView | undefined {
  const kind = name.tag === 0x81 ? 'rfc822Name' : name.tag === 0x82 ? 'dNSName' : name.tag === 0x86 ? 'uniformResourceIdentifier' : undefined;
  return kind === undefined ? undefined : { kind, value: latin1Of(contentOf(bytes, name)) };
}

/** SEQUENCE { keyIdentifier [0] OPTIONAL }; authorityCertIssuer/SerialNumber go to parseTbs. */
function authorityKeyIdentifierOf(bytes: Uint8Array, root: StrictTlv): AuthorityKeyIdentifierView | undefined {
  const fields = root.tag === 0x30 ? readStrictChildren(bytes, root) : undefined;
  if (fields === undefined || fields.length > 1) return undefined;
  const [keyIdentifier] = fields;
  if (keyIdentifier === undefined) return { keyIdentifier: undefined, hasIssuerOrSerial: false };
  return keyIdentifier.tag === 0x80 ? { keyIdentifier: copyOf(contentOf(bytes, keyIdentifier)), hasIssuerOrSerial: false } : undefined;
}

/** SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..127) OPTIONAL }. */
function basicConstraintsOf(bytes: Uint8Array, root: StrictTlv): BasicConstraintsView | undefined {
  const fields = root.tag === 0x30 ? readStrictChildren(bytes, root) : undefined;
  if (fields === undefined || fields.length > 2) return undefined;
  let index = 0;
  let cA = false;
  const first = fields[0];
  if (first?.tag === 0x01) {
    const value = booleanOf(bytes, first);
    if (value === undefined) return undefined;
    cA = value;
    index = 1;
  }
  const pathLength = fields[index];
  if (pathLength === undefined) return { cA, pathLenConstraint: undefined };
  const pathLenConstraint = index === fields.length - 1 ? smallIntegerOf(bytes, [pathLength]) : undefined;
  return pathLenConstraint === undefined ? undefined : { cA, pathLenConstraint };
}

function booleanOf(bytes: Uint8Array, tlv: StrictTlv): boolean | undefined {
  if (tlv.tag !== 0x01 || tlv.end - tlv.contentStart !== 1) return undefined;
  const octet = bytes[tlv.contentStart];
  return octet === 0xff ? true : octet === 0x00 ? false : undefined;
}

/** One INTEGER 0..127 (a version, a path length). */
function smallIntegerOf(bytes: Uint8Array, fields: readonly StrictTlv[] | undefined): number | undefined {
  const [integer, ...rest] = fields ?? [];
  if (integer === undefined || rest.length > 0 || integer.tag !== 0x02 || integer.end - integer.contentStart !== 1) return undefined;
  const value = bytes[integer.contentStart] ?? 0x80;
  return value < 0x80 ? value : undefined;
}

/** AlgorithmIdentifier { OID, NULL or nothing }: the OID. */
function algorithmOidOf(bytes: Uint8Array, algorithm: StrictTlv): string | undefined {
  const [oid, parameters, ...rest] = readStrictChildren(bytes, algorithm) ?? [];
  if (oid === undefined || rest.length > 0) return undefined;
  if (parameters !== undefined && !(parameters.tag === 0x05 && parameters.end === parameters.contentStart)) return undefined;
  return canonicalObjectIdentifier(bytes, oid);
}

/** The AlgorithmIdentifier of a SubjectPublicKeyInfo of the shape fast-tbs.ts writes back unchanged. */
function spkiAlgorithmOf(bytes: Uint8Array, spki: StrictTlv): StrictTlv | undefined {
  return readSubjectPublicKeyInfo(bytes, spki)?.algorithm;
}

/** decodeName over the Name at `name`: PrintableString, UTF8String (valid) and IA5String values only. */
function nameAttributesOf(bytes: Uint8Array, name: StrictTlv): NameAttribute[] | undefined {
  const rdns = readStrictChildren(bytes, name);
  if (rdns === undefined) return undefined;
  const attributes: NameAttribute[] = [];
  for (const rdn of rdns) {
    const members = rdn.tag === 0x31 ? readStrictChildren(bytes, rdn) : undefined;
    if (members === undefined || members.length === 0) return undefined;
    for (const member of members) {
      const [type, value, ...rest] = (member.tag === 0x30 ? readStrictChildren(bytes, member) : undefined) ?? [];
      const oid = type === undefined ? undefined : canonicalObjectIdentifier(bytes, type);
      if (oid === undefined || value === undefined || rest.length > 0) return undefined;
      const content = contentOf(bytes, value);
      switch (value.tag) {
        case 0x13:
          attributes.push({ oid, value: latin1Of(content), encoding: 'printableString' });
          break;
        case 0x16:
          attributes.push({ oid, value: latin1Of(content), encoding: 'ia5String' });
          break;
        case 0x0c: {
          const text = utf8TextOf(content);
          if (text === undefined) return undefined;
          attributes.push({ oid, value: text, encoding: 'utf8String' });
          break;
        }
        default:
          return undefined;
      }
    }
  }
  return attributes;
}

/**
 * UTCTime YYMMDDHHMMSSZ (50–99 → 19xx) and GeneralizedTime YYYYMMDDHHMMSSZ, read as asn1js
 * reads them: the digits handed to Date.UTC as they are.
 */
function timeOf(bytes: Uint8Array, time: StrictTlv): Date | undefined {
  const text = latin1Of(contentOf(bytes, time));
  const digits = time.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : time.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (digits === null) return undefined;
  const [year, month, day, hour, minute, second] = digits.slice(1).map((part) => parseInt(part, 10)) as [number, number, number, number, number, number];
  const fullYear = time.tag === 0x17 ? (year >= 50 ? 1900 + year : 2000 + year) : year;
  return new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second, 0));
}

/** [3] EXPLICIT SEQUENCE SIZE (1..MAX) OF Extension. */
function extensionsOf(bytes: Uint8Array, field: StrictTlv): TbsExtension[] | undefined {
  const [list, ...rest] = readStrictChildren(bytes, field) ?? [];
  if (list?.tag !== 0x30 || rest.length > 0) return undefined;
  const items = readStrictChildren(bytes, list);
  if (items === undefined || items.length === 0) return undefined;
  const extensions: TbsExtension[] = [];
  for (const item of items) {
    const parts = item.tag === 0x30 ? readStrictChildren(bytes, item) : undefined;
    if (parts === undefined || (parts.length !== 2 && parts.length !== 3)) return undefined;
    const [id, second, third] = parts as [StrictTlv, StrictTlv, StrictTlv | undefined];
    const oid = canonicalObjectIdentifier(bytes, id);
    const critical = third === undefined ? false : booleanOf(bytes, second);
    const value = third ?? second;
    if (oid === undefined || critical === undefined || value.tag !== 0x04) return undefined;
    extensions.push({ oid, critical, value: copyOf(contentOf(bytes, value)) });
  }
  return extensions;
}

function copyOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
