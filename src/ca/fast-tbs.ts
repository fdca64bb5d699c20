import { createHash } from 'node:crypto';
import { accessMethodOids, extensionOids } from './oids.js';
import { keyUsageFlags, type KeyUsageName, type NameAttribute, type SubscriberCertificateTemplate } from './profile.js';
import type { CaSignatureAlgorithm } from './signature-algorithm.js';
import {
  canonicalObjectIdentifier,
  canonicalObjectIdentifierDer,
  contentOf,
  lowOctetsOf,
  readStrictChildren,
  readStrictRoot,
  readSubjectPublicKeyInfo,
  tlv,
  utf8TextOf,
} from './strict-der.js';
import { encodeTbsCertificate, serialNumberContent, subscriberTbsCertificate, type IssuerIdentity } from './tbs-certificate.js';

/**
 * The subscriber TBSCertificate written straight as DER: byte for byte what
 * `encodeTbsCertificate(subscriberTbsCertificate(…))` writes (the reference, which builds
 * @peculiar/asn1-x509 objects and serialises them through asn1js), in a tenth of the time.
 * The fixed parts are constants; the variable ones (serial, validity, subject, SPKI, SAN,
 * SKI/AKI, URLs, OIDs) are spliced in.
 *
 * It writes only inputs inside the domain it has been proven on (test/ca/fast-tbs.test.ts:
 * random subjects, keys, dates, serials, URLs and OIDs, compared with the reference);
 * anything else — a string asn1js would refuse, a date before 1950, an OID or a CA name it
 * would re-encode differently — goes to the reference, so the answer, or the error, is
 * always the reference's.
 */
export function encodeSubscriberTbsFast(
  template: SubscriberCertificateTemplate,
  subjectPublicKeyInfo: ArrayBuffer | Uint8Array,
  issuer: IssuerIdentity,
): Uint8Array<ArrayBuffer> {
  return (
    writeSubscriberTbs(template, subjectPublicKeyInfo, issuer) ??
    encodeTbsCertificate(subscriberTbsCertificate(template, subjectPublicKeyInfo, issuer))
  );
}

/** The fast encoding, or undefined when an input lies outside its proven domain. Exported for the tests. */
export function writeSubscriberTbs(
  template: SubscriberCertificateTemplate,
  subjectPublicKeyInfo: ArrayBuffer | Uint8Array,
  issuer: IssuerIdentity,
): Uint8Array<ArrayBuffer> | undefined {
  const spki = new Uint8Array(subjectPublicKeyInfo);
  const subjectPublicKey = subjectPublicKeyOf(spki);
  const signature = signatureAlgorithmDer(issuer.signatureAlgorithm);
  const notBefore = timeDer(template.notBefore);
  const notAfter = timeDer(template.notAfter);
  const subject = nameDer(template.subject);
  const extensions = subscriberExtensionsDer(template, issuer.keyIdentifier, subjectPublicKey);
  if (
    !/^[0-9a-fA-F]+$/.test(template.serialNumberHex) ||
    subjectPublicKey === undefined ||
    signature === undefined ||
    !isNameReencodedUnchanged(issuer.subjectDer) ||
    notBefore === undefined ||
    notAfter === undefined ||
    subject === undefined ||
    extensions === undefined
  ) {
    return undefined;
  }
  return tlv(0x30, [
    // version [0] EXPLICIT INTEGER v3 (2)
    versionV3,
    tlv(0x02, [new Uint8Array(serialNumberContent(template.serialNumberHex))]),
    signature,
    // The reference parses the issuer's subject and writes it again; for the names
    // isNameReencodedUnchanged admits that is the very same bytes (RFC 5280 4.1.2.4 chaining).
    issuer.subjectDer,
    tlv(0x30, [notBefore, notAfter]),
    subject,
    spki,
    tlv(0xa3, [tlv(0x30, extensions)]),
  ]);
}

const versionV3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);
const booleanTrue = Uint8Array.of(0x01, 0x01, 0xff);

/**
 * AlgorithmIdentifier DER for each CA signature (signature-algorithm.ts): ECDSA and
 * Ed25519 without parameters (RFC 5758 3.2, RFC 8410 3), RSASSA-PKCS1-v1_5 with NULL (RFC 4055 5).
 */
const signatureAlgorithmHex: Readonly<Record<string, string>> = {
  'ECDSA SHA-256': '300a06082a8648ce3d040302',
  'ECDSA SHA-384': '300a06082a8648ce3d040303',
  'ECDSA SHA-512': '300a06082a8648ce3d040304',
  'RSASSA-PKCS1-v1_5 SHA-256': '300d06092a864886f70d01010b0500',
  'RSASSA-PKCS1-v1_5 SHA-384': '300d06092a864886f70d01010c0500',
  'RSASSA-PKCS1-v1_5 SHA-512': '300d06092a864886f70d01010d0500',
  Ed25519: '300506032b6570',
};

/** The DER `AsnConvert.serialize(signatureAlgorithmIdentifier(algorithm))` writes. */
export function signatureAlgorithmDer(algorithm: CaSignatureAlgorithm): Uint8Array<ArrayBuffer> | undefined {
  const hex = signatureAlgorithmHex[algorithm.name === 'Ed25519' ? 'Ed25519' : `${algorithm.name} ${algorithm.hash}`];
  return hex === undefined ? undefined : new Uint8Array(Buffer.from(hex, 'hex'));
}

/** The key bits of a SubjectPublicKeyInfo the reference writes back unchanged (they are what the SKI hashes). */
function subjectPublicKeyOf(spki: Uint8Array): Uint8Array | undefined {
  const root = readStrictRoot(spki, 0x30);
  return root === undefined ? undefined : readSubjectPublicKeyInfo(spki, root)?.subjectPublicKey;
}

/**
 * True when parsing `name` as a Name and writing it again (what the reference does with the
 * issuer) gives the same bytes: strict DER, canonical OIDs, and values asn1js round-trips —
 * PrintableString and IA5String (one octet per character), valid UTF-8 in UTF8String.
 */
export function isNameReencodedUnchanged(name: Uint8Array): boolean {
  const root = readStrictRoot(name, 0x30);
  const rdns = root === undefined ? undefined : readStrictChildren(name, root);
  if (rdns === undefined) return false;
  return rdns.every((rdn) => {
    const attributes = rdn.tag === 0x31 ? readStrictChildren(name, rdn) : undefined;
    if (attributes === undefined || attributes.length === 0) return false;
    return attributes.every((attribute) => {
      // AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value }
      const [oid, string, ...rest] = (attribute.tag === 0x30 ? readStrictChildren(name, attribute) : undefined) ?? [];
      if (oid === undefined || string === undefined || rest.length > 0 || canonicalObjectIdentifier(name, oid) === undefined) return false;
      switch (string.tag) {
        case 0x13: // PrintableString
        case 0x16: // IA5String
          return true;
        case 0x0c: // UTF8String
          return utf8TextOf(contentOf(name, string)) !== undefined;
        default:
          return false;
      }
    });
  });
}

/**
 * X.509 Time as @peculiar/asn1-x509's Time writes it: milliseconds dropped, UTCTime up to
 * 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). Years before 1950 or after 9999 are
 * left to the reference.
 */
function timeDer(at: Date): Uint8Array<ArrayBuffer> | undefined {
  if (!(at instanceof Date) || !Number.isFinite(at.getTime())) return undefined;
  const year = at.getUTCFullYear();
  if (year < 1950 || year > 9999) return undefined;
  const two = (value: number): string => String(value).padStart(2, '0');
  const rest = `${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}Z`;
  return year <= 2049 ? tlv(0x17, [lowOctetsOf(`${two(year % 100)}${rest}`)]) : tlv(0x18, [lowOctetsOf(`${year}${rest}`)]);
}

/** encodeName (distinguished-name.ts): one attribute per RDN, in the given order. */
function nameDer(attributes: readonly NameAttribute[]): Uint8Array<ArrayBuffer> | undefined {
  const rdns: Uint8Array[] = [];
  for (const attribute of attributes) {
    const oid = canonicalObjectIdentifierDer(attribute.oid);
    const value = directoryStringDer(attribute);
    if (oid === undefined || value === undefined) return undefined;
    rdns.push(tlv(0x31, [tlv(0x30, [oid, value])]));
  }
  return tlv(0x30, rdns);
}

function directoryStringDer(attribute: NameAttribute): Uint8Array<ArrayBuffer> | undefined {
  switch (attribute.encoding) {
    case 'printableString':
      return tlv(0x13, [lowOctetsOf(attribute.value)]);
    case 'ia5String':
      return tlv(0x16, [lowOctetsOf(attribute.value)]);
    case 'utf8String':
    case 'other':
      return utf8StringDer(attribute.value);
  }
}

/** asn1js encodes UTF8String through encodeURIComponent, which throws on a lone surrogate: reference path. */
function utf8StringDer(text: string): Uint8Array<ArrayBuffer> | undefined {
  return hasLoneSurrogate(text) ? undefined : tlv(0x0c, [Buffer.from(text, 'utf8')]);
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const extensionOidDer = {
  keyUsage: der(extensionOids.keyUsage),
  extKeyUsage: der(extensionOids.extKeyUsage),
  certificatePolicies: der(extensionOids.certificatePolicies),
  cRLDistributionPoints: der(extensionOids.cRLDistributionPoints),
  authorityInfoAccess: der(extensionOids.authorityInfoAccess),
  subjectAltName: der(extensionOids.subjectAltName),
  authorityKeyIdentifier: der(extensionOids.authorityKeyIdentifier),
  subjectKeyIdentifier: der(extensionOids.subjectKeyIdentifier),
  ocsp: der(accessMethodOids.ocsp),
  caIssuers: der(accessMethodOids.caIssuers),
} as const;

function der(oid: string): Uint8Array<ArrayBuffer> {
  const encoded = canonicalObjectIdentifierDer(oid);
  if (encoded === undefined) throw new Error(`${oid} is not a canonical object identifier`);
  return encoded;
}

/** The eight extensions of subscriberTbsCertificate, in its order, with its criticality. */
function subscriberExtensionsDer(
  template: SubscriberCertificateTemplate,
  authorityKeyIdentifier: Uint8Array,
  subjectPublicKey: Uint8Array | undefined,
): Uint8Array[] | undefined {
  const keyUsage = keyUsageDer(template.keyUsage);
  const extKeyUsage = oidsDer(template.extKeyUsageOids, (oid) => oid);
  const policies = oidsDer(template.policyOids, (oid) => tlv(0x30, [oid]));
  if (keyUsage === undefined || extKeyUsage === undefined || policies === undefined || subjectPublicKey === undefined) return undefined;
  // GeneralName uniformResourceIdentifier [6] and rfc822Name [1], IMPLICIT IA5String.
  const uri = (url: string): Uint8Array => tlv(0x86, [lowOctetsOf(url)]);
  const access = (method: Uint8Array, url: string): Uint8Array => tlv(0x30, [method, uri(url)]);
  const subjectKeyIdentifier = new Uint8Array(createHash('sha1').update(subjectPublicKey).digest());
  return [
    extension(extensionOidDer.keyUsage, true, keyUsage),
    extension(extensionOidDer.extKeyUsage, false, tlv(0x30, extKeyUsage)),
    extension(extensionOidDer.certificatePolicies, false, tlv(0x30, policies)),
    extension(
      extensionOidDer.cRLDistributionPoints,
      false,
      // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
      tlv(0x30, template.crlDistributionPointUrls.map((url) => tlv(0x30, [tlv(0xa0, [tlv(0xa0, [uri(url)])])]))),
    ),
    extension(
      extensionOidDer.authorityInfoAccess,
      false,
      tlv(0x30, [
        ...template.ocspUrls.map((url) => access(extensionOidDer.ocsp, url)),
        ...template.caIssuersUrls.map((url) => access(extensionOidDer.caIssuers, url)),
      ]),
    ),
    extension(extensionOidDer.subjectAltName, false, tlv(0x30, template.emailAddresses.map((email) => tlv(0x81, [lowOctetsOf(email)])))),
    // AuthorityKeyIdentifier { keyIdentifier [0] IMPLICIT OCTET STRING }
    extension(extensionOidDer.authorityKeyIdentifier, false, tlv(0x30, [tlv(0x80, [authorityKeyIdentifier])])),
    extension(extensionOidDer.subjectKeyIdentifier, false, tlv(0x04, [subjectKeyIdentifier])),
  ];
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (omitted when false), extnValue OCTET STRING }. */
function extension(oid: Uint8Array, critical: boolean, value: Uint8Array): Uint8Array {
  return tlv(0x30, critical ? [oid, booleanTrue, tlv(0x04, [value])] : [oid, tlv(0x04, [value])]);
}

function oidsDer(oids: readonly string[], wrap: (oid: Uint8Array) => Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (const oid of oids) {
    const encoded = canonicalObjectIdentifierDer(oid);
    if (encoded === undefined) return undefined;
    out.push(wrap(encoded));
  }
  return out;
}

/**
 * KeyUsage as @peculiar/asn1-schema's BitString.fromNumber writes the flags: as many
 * octets as the highest set bit needs, bit n of the flags at bit n of the string
 * (RFC 5280 4.2.1.3), the rest counted as unused bits. No flags at all is an empty BIT
 * STRING: `new KeyUsage(0)` never calls fromNumber (0 is falsy).
 */
function keyUsageDer(usages: readonly KeyUsageName[]): Uint8Array<ArrayBuffer> | undefined {
  let flags = 0;
  for (const usage of usages) {
    const flag = (keyUsageFlags as Readonly<Record<string, number>>)[usage];
    if (flag === undefined) return undefined;
    flags |= flag;
  }
  if (flags === 0) return Uint8Array.of(0x03, 0x01, 0x00);
  const bitLength = 32 - Math.clz32(flags);
  const octets = new Uint8Array(Math.ceil(bitLength / 8));
  for (let bit = 0; bit < bitLength; bit += 1) {
    if ((flags >>> bit) & 1) octets[bit >> 3] = (octets[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  }
  return tlv(0x03, [Uint8Array.of(octets.length * 8 - bitLength), octets]);
}
