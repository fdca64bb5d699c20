/** Object identifiers used by the certificate profile and its lints. */

/** CA/B Forum S/MIME BR 7.1.6.1: Sponsor-validated, Multipurpose. */
export const smimeSponsorValidatedMultipurposeOid = '2.23.140.1.5.3.2';

/** Every reserved S/MIME BR policy OID (S/MIME BR 7.1.6.1): 2.23.140.1.5.{1..4}.{1..3}. */
export const smimeReservedPolicyOids: readonly string[] = [1, 2, 3, 4].flatMap((validation) =>
  [1, 2, 3].map((generation) => `2.23.140.1.5.${validation}.${generation}`),
);

export const extKeyUsageOids = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

export const extensionOids = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

export const accessMethodOids = {
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** X.520 / PKCS#9 attribute types that may appear in our names. */
export const attributeTypeOids = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  pseudonym: '2.5.4.65',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/** Short names as RFC 4514 / OpenSSL print them. */
export const attributeShortNames: Readonly<Record<string, string>> = {
  [attributeTypeOids.commonName]: 'CN',
  [attributeTypeOids.surname]: 'SN',
  [attributeTypeOids.serialNumber]: 'serialNumber',
  [attributeTypeOids.countryName]: 'C',
  [attributeTypeOids.localityName]: 'L',
  [attributeTypeOids.stateOrProvinceName]: 'ST',
  [attributeTypeOids.organizationName]: 'O',
  [attributeTypeOids.organizationalUnitName]: 'OU',
  [attributeTypeOids.title]: 'title',
  [attributeTypeOids.givenName]: 'GN',
  [attributeTypeOids.pseudonym]: 'pseudonym',
  [attributeTypeOids.emailAddress]: 'emailAddress',
};

export const publicKeyAlgorithmOids = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

export const namedCurveOids = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
} as const;

/** Password-based encryption of the CA key files (RFC 8018, NIST CSOR). */
export const keyEncryptionOids = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;
