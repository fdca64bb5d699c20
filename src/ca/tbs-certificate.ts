import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  Name,
  PolicyInformation,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { toArrayBuffer, unsignedIntegerContent } from './der.js';
import { encodeName } from './distinguished-name.js';
import { accessMethodOids, extensionOids } from './oids.js';
import { keyUsageFlags, type KeyUsageName, type NameAttribute, type SubscriberCertificateTemplate } from './profile.js';
import { signatureAlgorithmIdentifier, type CaSignatureAlgorithm } from './signature-algorithm.js';
import { keyIdentifierOf } from './subject-key.js';

/**
 * Encodes certificate templates as @peculiar/asn1-x509 TBSCertificate values.
 * The issuer lints the DER of exactly this structure, then signs those bytes.
 */

/** Who signs: what a TBSCertificate needs to know about its issuer. */
export interface IssuerIdentity {
  /** The issuer's subject, byte for byte as in its certificate (RFC 5280 4.1.2.4 name chaining). */
  readonly subjectDer: Uint8Array;
  /** The issuer's subjectKeyIdentifier, copied into our authorityKeyIdentifier (S/MIME BR 7.1.2.3(g)). */
  readonly keyIdentifier: Uint8Array;
  readonly signatureAlgorithm: CaSignatureAlgorithm;
}

export function subscriberTbsCertificate(
  template: SubscriberCertificateTemplate,
  subjectPublicKeyInfo: ArrayBuffer | Uint8Array,
  issuer: IssuerIdentity,
): TBSCertificate {
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumberContent(template.serialNumberHex),
    signature: signatureAlgorithmIdentifier(issuer.signatureAlgorithm),
    issuer: AsnConvert.parse(issuer.subjectDer, Name),
    validity: new Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject: encodeName(template.subject),
    subjectPublicKeyInfo: AsnConvert.parse(subjectPublicKeyInfo, SubjectPublicKeyInfo),
    extensions: new Extensions([
      // S/MIME BR 7.1.2.3(e): keyUsage SHALL be present and SHOULD be critical.
      keyUsageExtension(template.keyUsage),
      // S/MIME BR 7.1.2.3(f).
      extKeyUsageExtension(template.extKeyUsageOids),
      // S/MIME BR 7.1.2.3(a), 7.1.6.1.
      certificatePoliciesExtension(template.policyOids),
      // S/MIME BR 7.1.2.3(b): HTTP only.
      crlDistributionPointsExtension(template.crlDistributionPointUrls),
      // S/MIME BR 7.1.2.3(c): HTTP only for Multipurpose.
      authorityInfoAccessExtension(template.ocspUrls, template.caIssuersUrls),
      // S/MIME BR 7.1.2.3(h); non-critical because the subject is not empty (RFC 5280 4.2.1.6).
      subjectAltNameExtension(template.emailAddresses),
      authorityKeyIdentifierExtension(issuer.keyIdentifier),
      subjectKeyIdentifierExtension(keyIdentifierOf(subjectPublicKeyInfo)),
    ]),
  });
}

/** What a CA certificate (root or issuing) holds. S/MIME BR 7.1.2.1 and 7.1.2.2. */
export interface CaCertificateTemplate {
  readonly serialNumberHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject: readonly NameAttribute[];
  /** Absent for the root; 0 for an issuing CA that signs only end-entity certificates. */
  readonly pathLenConstraint?: number;
  readonly keyUsage: readonly KeyUsageName[];
  readonly extKeyUsageOids?: readonly string[];
  readonly policyOids?: readonly string[];
  readonly crlDistributionPointUrls?: readonly string[];
  readonly ocspUrls?: readonly string[];
  readonly caIssuersUrls?: readonly string[];
}

/** `issuer` undefined means self-signed: the template's own subject and key. */
export function caTbsCertificate(
  template: CaCertificateTemplate,
  subjectPublicKeyInfo: ArrayBuffer | Uint8Array,
  signatureAlgorithm: CaSignatureAlgorithm,
  issuer?: Omit<IssuerIdentity, 'signatureAlgorithm'>,
): TBSCertificate {
  const subject = encodeName(template.subject);
  const keyIdentifier = keyIdentifierOf(subjectPublicKeyInfo);
  const extensions: Extension[] = [
    basicConstraintsExtension(template.pathLenConstraint),
    keyUsageExtension(template.keyUsage),
  ];
  if (template.extKeyUsageOids !== undefined) {
    extensions.push(extKeyUsageExtension(template.extKeyUsageOids));
  }
  if (template.policyOids !== undefined) {
    extensions.push(certificatePoliciesExtension(template.policyOids));
  }
  if (template.crlDistributionPointUrls !== undefined) {
    extensions.push(crlDistributionPointsExtension(template.crlDistributionPointUrls));
  }
  if (template.ocspUrls !== undefined || template.caIssuersUrls !== undefined) {
    extensions.push(authorityInfoAccessExtension(template.ocspUrls ?? [], template.caIssuersUrls ?? []));
  }
  if (issuer !== undefined) {
    extensions.push(authorityKeyIdentifierExtension(issuer.keyIdentifier));
  }
  extensions.push(subjectKeyIdentifierExtension(keyIdentifier));
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumberContent(template.serialNumberHex),
    signature: signatureAlgorithmIdentifier(signatureAlgorithm),
    issuer: issuer === undefined ? subject : AsnConvert.parse(issuer.subjectDer, Name),
    validity: new Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(subjectPublicKeyInfo, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
}

export function encodeTbsCertificate(tbs: TBSCertificate): Uint8Array<ArrayBuffer> {
  return new Uint8Array(AsnConvert.serialize(tbs));
}

/**
 * The INTEGER content octets for a serial given as unsigned hex. Positive by
 * construction; how many octets remain is for the lints to judge.
 */
export function serialNumberContent(serialNumberHex: string): ArrayBuffer {
  if (!/^[0-9a-fA-F]+$/.test(serialNumberHex)) {
    throw new Error('serial number must be hexadecimal');
  }
  const even = serialNumberHex.length % 2 === 0 ? serialNumberHex : `0${serialNumberHex}`;
  return toArrayBuffer(unsignedIntegerContent(Buffer.from(even, 'hex')));
}

export function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

export function keyUsageExtension(usages: readonly KeyUsageName[], critical = true): Extension {
  const flags = usages.reduce((bits, usage) => bits | keyUsageFlags[usage], 0);
  return extension(extensionOids.keyUsage, critical, new KeyUsage(flags));
}

export function extKeyUsageExtension(oids: readonly string[]): Extension {
  return extension(extensionOids.extKeyUsage, false, new ExtendedKeyUsage([...oids]));
}

export function certificatePoliciesExtension(oids: readonly string[]): Extension {
  return extension(
    extensionOids.certificatePolicies,
    false,
    new CertificatePolicies(oids.map((policyIdentifier) => new PolicyInformation({ policyIdentifier }))),
  );
}

export function crlDistributionPointsExtension(urls: readonly string[]): Extension {
  return extension(
    extensionOids.cRLDistributionPoints,
    false,
    new CRLDistributionPoints(
      urls.map(
        (url) =>
          new DistributionPoint({
            distributionPoint: new DistributionPointName({
              fullName: [new GeneralName({ uniformResourceIdentifier: url })],
            }),
          }),
      ),
    ),
  );
}

export function authorityInfoAccessExtension(ocspUrls: readonly string[], caIssuersUrls: readonly string[]): Extension {
  const access = (accessMethod: string, url: string): AccessDescription =>
    new AccessDescription({ accessMethod, accessLocation: new GeneralName({ uniformResourceIdentifier: url }) });
  return extension(
    extensionOids.authorityInfoAccess,
    false,
    new AuthorityInfoAccessSyntax([
      ...ocspUrls.map((url) => access(accessMethodOids.ocsp, url)),
      ...caIssuersUrls.map((url) => access(accessMethodOids.caIssuers, url)),
    ]),
  );
}

export function subjectAltNameExtension(emailAddresses: readonly string[], critical = false): Extension {
  return extension(
    extensionOids.subjectAltName,
    critical,
    new SubjectAlternativeName(emailAddresses.map((rfc822Name) => new GeneralName({ rfc822Name }))),
  );
}

export function authorityKeyIdentifierExtension(keyIdentifier: Uint8Array): Extension {
  return extension(
    extensionOids.authorityKeyIdentifier,
    false,
    new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(toArrayBuffer(keyIdentifier)) }),
  );
}

export function subjectKeyIdentifierExtension(keyIdentifier: Uint8Array): Extension {
  return extension(extensionOids.subjectKeyIdentifier, false, new SubjectKeyIdentifier(toArrayBuffer(keyIdentifier)));
}

/** RFC 5280 4.2.1.9: critical in CA certificates. */
export function basicConstraintsExtension(pathLenConstraint: number | undefined, cA = true): Extension {
  const value = pathLenConstraint === undefined ? new BasicConstraints({ cA }) : new BasicConstraints({ cA, pathLenConstraint });
  return extension(extensionOids.basicConstraints, true, value);
}
