import 'reflect-metadata';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as AsnName } from '@peculiar/asn1-x509';
import { BasicConstraintsExtension, Name as X509Name, SubjectKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import type { Clock } from '../domain/clock.js';
import { certificateFields } from './certificate-fields.js';
import { bytesEqual } from './der.js';
import { decodeName } from './distinguished-name.js';
import { readKeyFile, writeKeyFile } from './keys/key-file.js';
import { cryptoKeySigner, type CaSigner } from './keys/signer.js';
import { attributeTypeOids, extKeyUsageOids, smimeSponsorValidatedMultipurposeOid } from './oids.js';
import { toPem } from './pem.js';
import { floorToSecond, type NameAttribute } from './profile.js';
import { caTbsCertificate, encodeTbsCertificate, type CaCertificateTemplate, type IssuerIdentity } from './tbs-certificate.js';
import { randomSerialNumber } from './serial-number.js';
import { signTbsCertificate } from './sign-certificate.js';
import { webCrypto } from './webcrypto.js';
import { writeNewFile } from './write-new-file.js';

/**
 * The CA hierarchy of the embedded deployment (SPEC §4, §5): a root CA
 * (ECDSA P-384, 20 years) and an issuing CA (ECDSA P-256, 10 years, pathLen 0)
 * that signs subscriber certificates. Created on first start, loaded after.
 */

export const caFileNames = {
  rootCertificate: 'root.crt.pem',
  rootKey: 'root.key.pem',
  issuingCertificate: 'issuing.crt.pem',
  issuingKey: 'issuing.key.pem',
  /** What the CA is for: { "purpose": "demo" | "deployment" }. */
  about: 'ca.json',
} as const;

/**
 * A deployment CA (`certdesk ca init`) signs only within the profile's limits; only the
 * embedded demo's own CA also signs the backdated demo certificates (issue #8).
 */
export type CaPurpose = 'demo' | 'deployment';

export const defaultCaNames = {
  root: 'CN=certdesk Demo Root CA, O=certdesk Demo, C=JP',
  issuing: 'CN=certdesk Demo S/MIME Issuing CA G1, O=certdesk Demo, C=JP',
} as const;

export interface CaMaterial {
  readonly root: X509Certificate;
  readonly issuing: X509Certificate;
  /** Signs subscriber certificates (and later CRLs / OCSP responses). */
  readonly issuingSigner: CaSigner;
  /** What every certificate the issuing CA signs names as its issuer (subject bytes, SKI, algorithm). */
  readonly issuingIdentity: IssuerIdentity;
  readonly purpose: CaPurpose;
  /** True when this call created any of the files. */
  readonly created: boolean;
}

export interface EnsureCaOptions {
  readonly dir: string;
  readonly passphrase: string;
  readonly clock: Clock;
  /**
   * notBefore of newly created CA certificates; default clock.now() − 1 minute.
   * Demo data backdates it so it can hold certificates that expired long ago.
   */
  readonly notBefore?: Date;
  /** Distinguished names in RFC 4514 order (most specific first), e.g. "CN=…, O=…, C=JP". */
  readonly names?: { readonly root?: string; readonly issuing?: string };
  /**
   * Where relying parties find the root's CRL and certificate, written into a
   * newly created issuing CA certificate (S/MIME BR 7.1.2.2(b)(c)). Omitted when absent.
   */
  readonly rootUrls?: { readonly crl: string; readonly caIssuers: string };
  /** Recorded in ca.json when the root is created; default deployment. */
  readonly purpose?: CaPurpose;
}

/** No CA in the folder: `certdesk ca init` makes one. */
export class CaNotFound extends Error {
  constructor(dir: string) {
    super(`no CA in ${dir}: create one with "certdesk ca init" (CA_DIR selects the folder)`);
    this.name = 'CaNotFound';
  }
}

/** Opens the CA in `dir`; never creates one. */
export async function openCa(options: Pick<EnsureCaOptions, 'dir' | 'passphrase' | 'clock'>): Promise<CaMaterial> {
  if (!(await exists(join(options.dir, caFileNames.rootCertificate))) && !(await exists(join(options.dir, caFileNames.issuingCertificate)))) {
    throw new CaNotFound(options.dir);
  }
  return ensureCa({ ...options, isCreationAllowed: false });
}

/** Creates a root and issuing CA in `dir`, which must hold no CA yet (`certdesk ca init`). */
export async function createCa(options: EnsureCaOptions): Promise<CaMaterial> {
  for (const name of Object.values(caFileNames)) {
    if (await exists(join(options.dir, name))) throw new Error(`${join(options.dir, name)} exists: ${options.dir} already holds a CA`);
  }
  return ensureCa(options);
}

const rootValidityYears = 20;
const issuingValidityYears = 10;
const defaultBackdateMs = 60_000;
const keyCurve = { root: 'P-384', issuing: 'P-256' } as const;

/**
 * Creates the root and issuing CA in `dir` unless they exist, then loads and
 * checks them: both key files decrypt with `passphrase`, each key matches its
 * certificate, and the issuing CA certificate verifies under the root.
 */
export async function ensureCa(options: EnsureCaOptions & { readonly isCreationAllowed?: boolean }): Promise<CaMaterial> {
  const paths = {
    rootCertificate: join(options.dir, caFileNames.rootCertificate),
    rootKey: join(options.dir, caFileNames.rootKey),
    issuingCertificate: join(options.dir, caFileNames.issuingCertificate),
    issuingKey: join(options.dir, caFileNames.issuingKey),
  };
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const present = {
    rootCertificate: await exists(paths.rootCertificate),
    rootKey: await exists(paths.rootKey),
    issuingCertificate: await exists(paths.issuingCertificate),
    issuingKey: await exists(paths.issuingKey),
  };
  if (present.rootCertificate !== present.rootKey || present.issuingCertificate !== present.issuingKey) {
    throw new Error(`CA directory ${options.dir} is incomplete: a certificate or its key is missing (${describePresence(present)})`);
  }
  if (!present.rootCertificate && present.issuingCertificate) {
    throw new Error(`CA directory ${options.dir} has an issuing CA but no root (${describePresence(present)})`);
  }
  if (options.isCreationAllowed === false && !(present.rootCertificate && present.issuingCertificate)) {
    throw new Error(`CA directory ${options.dir} is incomplete (${describePresence(present)}): finish it with "certdesk ca init"`);
  }
  const now = options.clock.now();
  const notBefore = floorToSecond(options.notBefore ?? new Date(now.getTime() - defaultBackdateMs));
  const names = {
    root: parseDistinguishedName(options.names?.root ?? defaultCaNames.root),
    issuing: parseDistinguishedName(options.names?.issuing ?? defaultCaNames.issuing),
  };

  // Step 1: the root, self-signed (S/MIME BR 7.1.2.1).
  if (!present.rootCertificate) {
    const keys = await generateCaKeys(keyCurve.root);
    await writeKeyFile(paths.rootKey, keys.privateKey, options.passphrase);
    const spki = await webCrypto.subtle.exportKey('spki', keys.publicKey);
    const signer = cryptoKeySigner(keys);
    const template: CaCertificateTemplate = {
      serialNumberHex: randomSerialNumber(),
      notBefore,
      notAfter: yearsLater(notBefore, rootValidityYears),
      subject: names.root,
      keyUsage: ['keyCertSign', 'cRLSign'],
    };
    const der = await signTbsCertificate(encodeTbsCertificate(caTbsCertificate(template, spki, signer.algorithm)), signer);
    await writeCertificateFile(paths.rootCertificate, der);
    await writeNewFile(join(options.dir, caFileNames.about), `${JSON.stringify({ purpose: options.purpose ?? 'deployment', createdAt: now.toISOString() })}\n`, 0o644);
  }
  const root = await loadCaPair(paths.rootCertificate, paths.rootKey, options.passphrase);

  // Step 2: the issuing CA, signed by the root (S/MIME BR 7.1.2.2).
  if (!present.issuingCertificate) {
    const keys = await generateCaKeys(keyCurve.issuing);
    await writeKeyFile(paths.issuingKey, keys.privateKey, options.passphrase);
    const spki = await webCrypto.subtle.exportKey('spki', keys.publicKey);
    const template: CaCertificateTemplate = {
      serialNumberHex: randomSerialNumber(),
      notBefore,
      notAfter: yearsLater(notBefore, issuingValidityYears),
      subject: names.issuing,
      pathLenConstraint: 0,
      keyUsage: ['keyCertSign', 'cRLSign'],
      // 7.1.2.2(g): emailProtection SHALL be present; clientAuth MAY (Multipurpose).
      extKeyUsageOids: [extKeyUsageOids.emailProtection, extKeyUsageOids.clientAuth],
      // 7.1.2.2(a): the S/MIME policy this CA issues under.
      policyOids: [smimeSponsorValidatedMultipurposeOid],
      ...(options.rootUrls === undefined
        ? {}
        : { crlDistributionPointUrls: [options.rootUrls.crl], caIssuersUrls: [options.rootUrls.caIssuers] }),
    };
    const tbs = caTbsCertificate(template, spki, root.signer.algorithm, root.identity);
    const der = await signTbsCertificate(encodeTbsCertificate(tbs), root.signer);
    await writeCertificateFile(paths.issuingCertificate, der);
  }
  const issuing = await loadCaPair(paths.issuingCertificate, paths.issuingKey, options.passphrase);

  // Step 3: the chain holds together.
  await assertSignedBy(root.certificate, root.certificate, now, paths.rootCertificate);
  await assertSignedBy(issuing.certificate, root.certificate, now, paths.issuingCertificate);
  if (!bytesEqual(certificateFields(issuing.certificate.rawData).issuer, root.identity.subjectDer)) {
    throw new Error(`${paths.issuingCertificate}: issuer does not match the root's subject`);
  }
  if (issuing.certificate.getExtension(BasicConstraintsExtension)?.ca !== true) {
    throw new Error(`${paths.issuingCertificate}: not a CA certificate (basicConstraints cA)`);
  }
  return {
    root: root.certificate,
    issuing: issuing.certificate,
    issuingSigner: issuing.signer,
    issuingIdentity: issuing.identity,
    purpose: await readPurpose(join(options.dir, caFileNames.about)),
    created: !present.rootCertificate || !present.issuingCertificate,
  };
}

/**
 * Parses "CN=…, O=…, C=JP" (RFC 4514: most specific first) into attributes in
 * DER order (C first). countryName is a PrintableString, the rest UTF8String.
 */
export function parseDistinguishedName(text: string): NameAttribute[] {
  const parsed = decodeName(AsnConvert.parse(new X509Name(text).toArrayBuffer(), AsnName));
  if (parsed.length === 0 || parsed.some((attribute) => attribute.value.trim().length === 0)) {
    throw new Error(`distinguished name ${JSON.stringify(text)} is empty or has an empty value`);
  }
  return parsed.reverse().map((attribute) => ({
    oid: attribute.oid,
    value: attribute.value,
    encoding: attribute.oid === attributeTypeOids.countryName ? 'printableString' : 'utf8String',
  }));
}

interface CaPair {
  readonly certificate: X509Certificate;
  readonly signer: CaSigner;
  readonly identity: IssuerIdentity;
}

async function loadCaPair(certificatePath: string, keyPath: string, passphrase: string): Promise<CaPair> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await readFile(certificatePath, 'utf8'));
  } catch (cause) {
    throw new Error(`reading CA certificate ${certificatePath}`, { cause });
  }
  const keys = await readKeyFile(keyPath, passphrase);
  const fields = certificateFields(certificate.rawData);
  const spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey));
  if (!bytesEqual(spki, fields.subjectPublicKeyInfo)) {
    throw new Error(`CA key ${keyPath} does not belong to certificate ${certificatePath}`);
  }
  const ski = certificate.getExtension(SubjectKeyIdentifierExtension);
  if (!ski) {
    throw new Error(`CA certificate ${certificatePath} has no subjectKeyIdentifier`);
  }
  const signer = cryptoKeySigner(keys);
  return {
    certificate,
    signer,
    identity: {
      subjectDer: fields.subject,
      keyIdentifier: new Uint8Array(Buffer.from(ski.keyId, 'hex')),
      signatureAlgorithm: signer.algorithm,
    },
  };
}

async function assertSignedBy(certificate: X509Certificate, issuer: X509Certificate, now: Date, path: string): Promise<void> {
  // signatureOnly: an expired demo hierarchy must still load; `date` is passed so the library never reads its own clock.
  const isValid = await certificate.verify({ publicKey: issuer, date: now, signatureOnly: true }, webCrypto);
  if (!isValid) {
    throw new Error(`${path}: signature does not verify under ${issuer.subject}`);
  }
}

async function generateCaKeys(namedCurve: string): Promise<CryptoKeyPair> {
  // Extractable only so writeKeyFile can encrypt it; the loaded key is not.
  return webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, true, ['sign', 'verify']);
}

async function writeCertificateFile(path: string, der: Uint8Array): Promise<void> {
  await writeNewFile(path, toPem(der, 'CERTIFICATE'), 0o644);
}

/** The last second of a validity of `years` calendar years (inclusive notAfter, S/MIME BR 1.6.1). */
function yearsLater(notBefore: Date, years: number): Date {
  const end = new Date(notBefore.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return new Date(end.getTime() - 1_000);
}

/** A CA without ca.json (made before it existed, or by hand) is a deployment CA: it never backdates. */
async function readPurpose(path: string): Promise<CaPurpose> {
  if (!(await exists(path))) return 'deployment';
  const about = JSON.parse(await readFile(path, 'utf8')) as { purpose?: unknown };
  return about.purpose === 'demo' ? 'demo' : 'deployment';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    // Absent (or unreadable, which loading will report with its cause).
    return false;
  }
}

function describePresence(present: Readonly<Record<string, boolean>>): string {
  return Object.entries(present)
    .map(([name, isPresent]) => `${name}: ${isPresent ? 'present' : 'missing'}`)
    .join(', ');
}
