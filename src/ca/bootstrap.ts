import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name as AsnName } from '@peculiar/asn1-x509';
import { BasicConstraintsExtension, Name as X509Name, SubjectKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import { z } from 'zod';
import { ConfigurationProblem } from '../configuration-problem.js';
import type { Clock } from '../domain/clock.js';
import { certificateFields } from './certificate-fields.js';
import { bytesEqual } from './der.js';
import { decodeName } from './distinguished-name.js';
import { readKeyFile, writeKeyFile } from './keys/key-file.js';
import {
  environmentVariablePattern,
  generatePkcs11KeyPair,
  openPkcs11Signer,
  type Environment,
  type Pkcs11Curve,
  type Pkcs11Signer,
  type Pkcs11Token,
} from './keys/pkcs11-signer.js';
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
  /**
   * What the CA is for: { "purpose": "demo" | "deployment", "createdAt" }, and
   * "tokenKeys" when a key is in a PKCS#11 token instead of its key file.
   */
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

/**
 * A CA key in a PKCS#11 token, as ca.json records it: the library, the token by label
 * and serial (slot indexes move), the key by label and id (CKA_ID, hex), and the NAME
 * of the environment variable with the PIN. Never the PIN.
 */
export interface TokenCaKey {
  readonly modulePath: string;
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  readonly keyLabel: string;
  readonly keyId: string;
  readonly pinVariable: string;
}

/** Where a CA key is: its encrypted key file, or a token. */
export type CaKeyPlace = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'pkcs11'; readonly key: TokenCaKey };

/** `certdesk ca init --pkcs11-module`: the token the new CA's keys are made in. */
export interface NewTokenCaKeys extends Pkcs11Token {
  /** The root key (P-384) is made in the token too; otherwise it is a key file. */
  readonly isRootInToken: boolean;
}

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
  /** Where the root and the issuing CA key are. */
  readonly keyPlaces: { readonly root: CaKeyPlace; readonly issuing: CaKeyPlace };
  /** Lets go of the issuing key: closes its token sessions (a key file holds none). */
  close(): Promise<void>;
}

export interface EnsureCaOptions {
  readonly dir: string;
  /** Encrypts and decrypts the key files; a CA whose keys are both in a token needs none. */
  readonly passphrase: string | undefined;
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
  /** Makes a new CA's keys in this PKCS#11 token, not in key files; ca.json records them. */
  readonly token?: NewTokenCaKeys;
  /** Where the PIN variable of a token key is read; needed only when a key is in a token. */
  readonly env?: Environment;
  /**
   * Called while the root key is open (ensureCa closes it again before it returns): the
   * root's own CRL is signed here (ca/root-crl.ts), since no process keeps the root key.
   */
  readonly whileRootIsOpen?: (root: { readonly certificate: X509Certificate; readonly signer: CaSigner }) => Promise<void>;
}

/** No CA in the folder: `certdesk ca init` makes one. */
export class CaNotFound extends Error {
  constructor(dir: string) {
    super(`no CA in ${dir}: create one with "certdesk ca init" (CA_DIR selects the folder)`);
    this.name = 'CaNotFound';
  }
}

/** Opens the CA in `dir`; never creates one. */
export async function openCa(options: Pick<EnsureCaOptions, 'dir' | 'passphrase' | 'clock' | 'env' | 'whileRootIsOpen'>): Promise<CaMaterial> {
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
const keyCurve = { root: 'P-384', issuing: 'P-256' } as const satisfies Record<CaRole, Pkcs11Curve>;

type CaRole = 'root' | 'issuing';

/** True when ca.json puts both CA keys in a token: the CA needs no key passphrase. */
export async function hasOnlyTokenKeys(dir: string): Promise<boolean> {
  const { tokenKeys } = await readAbout(join(dir, caFileNames.about));
  return tokenKeys.root !== undefined && tokenKeys.issuing !== undefined;
}

/**
 * Creates the root and issuing CA in `dir` unless they exist, then loads and
 * checks them: both keys open (key files decrypt with `passphrase`; token keys log in
 * with the PIN ca.json names), each key matches its certificate, and the issuing CA
 * certificate verifies under the root.
 */
export async function ensureCa(options: EnsureCaOptions & { readonly isCreationAllowed?: boolean }): Promise<CaMaterial> {
  const paths = {
    rootCertificate: join(options.dir, caFileNames.rootCertificate),
    rootKey: join(options.dir, caFileNames.rootKey),
    issuingCertificate: join(options.dir, caFileNames.issuingCertificate),
    issuingKey: join(options.dir, caFileNames.issuingKey),
    about: join(options.dir, caFileNames.about),
  };
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const recorded = await readAbout(paths.about);
  const present = {
    rootCertificate: await exists(paths.rootCertificate),
    rootKey: recorded.tokenKeys.root !== undefined || (await exists(paths.rootKey)),
    issuingCertificate: await exists(paths.issuingCertificate),
    issuingKey: recorded.tokenKeys.issuing !== undefined || (await exists(paths.issuingKey)),
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
  if (options.token !== undefined && present.rootCertificate) {
    throw new Error(`CA directory ${options.dir} holds a CA already: a token is chosen only when the CA is created`);
  }
  const now = options.clock.now();
  const notBefore = floorToSecond(options.notBefore ?? new Date(now.getTime() - defaultBackdateMs));
  const names = {
    root: parseDistinguishedName(options.names?.root ?? defaultCaNames.root),
    issuing: parseDistinguishedName(options.names?.issuing ?? defaultCaNames.issuing),
  };

  // Step 0, for a token CA: its keys, made first so that ca.json can name them.
  const made: { root?: Pkcs11Signer; issuing?: Pkcs11Signer } = {};
  const opened: CaPair[] = [];
  try {
    if (options.token !== undefined) {
      made.issuing = await generateTokenCaKey(options.token, 'issuing', now, options.env);
      if (options.token.isRootInToken) made.root = await generateTokenCaKey(options.token, 'root', now, options.env);
    }
    const madeKeys = {
      ...(made.root === undefined || options.token === undefined ? {} : { root: tokenCaKeyOf(options.token, made.root) }),
      ...(made.issuing === undefined || options.token === undefined ? {} : { issuing: tokenCaKeyOf(options.token, made.issuing) }),
    };
    const placeOf = (role: CaRole, keyPath: string): CaKeyPlace => {
      const key = madeKeys[role] ?? recorded.tokenKeys[role];
      return key === undefined ? { kind: 'file', path: keyPath } : { kind: 'pkcs11', key };
    };
    const keyPlaces = { root: placeOf('root', paths.rootKey), issuing: placeOf('issuing', paths.issuingKey) };

    // Step 1: the root, self-signed (S/MIME BR 7.1.2.1).
    if (!present.rootCertificate) {
      const { signer, spki } = made.root === undefined ? await newKeyFile(paths.rootKey, keyCurve.root, options.passphrase) : await tokenKeyOf(made.root);
      const template: CaCertificateTemplate = {
        serialNumberHex: randomSerialNumber(),
        notBefore,
        notAfter: yearsLater(notBefore, rootValidityYears),
        subject: names.root,
        keyUsage: ['keyCertSign', 'cRLSign'],
      };
      const der = await signTbsCertificate(encodeTbsCertificate(caTbsCertificate(template, spki, signer.algorithm)), signer);
      await writeCertificateFile(paths.rootCertificate, der);
      const about = { purpose: options.purpose ?? 'deployment', createdAt: now.toISOString(), ...(Object.keys(madeKeys).length === 0 ? {} : { tokenKeys: madeKeys }) };
      await writeNewFile(paths.about, `${JSON.stringify(about)}\n`, 0o644);
    }
    const root = await loadCaPair(paths.rootCertificate, keyPlaces.root, options);
    opened.push(root);

    // Step 2: the issuing CA, signed by the root (S/MIME BR 7.1.2.2).
    if (!present.issuingCertificate) {
      const { spki } = made.issuing === undefined ? await newKeyFile(paths.issuingKey, keyCurve.issuing, options.passphrase) : await tokenKeyOf(made.issuing);
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
    const issuing = await loadCaPair(paths.issuingCertificate, keyPlaces.issuing, options);
    opened.push(issuing);

    // Step 3: the chain holds together.
    await assertSignedBy(root.certificate, root.certificate, now, paths.rootCertificate);
    await assertSignedBy(issuing.certificate, root.certificate, now, paths.issuingCertificate);
    if (!bytesEqual(certificateFields(issuing.certificate.rawData).issuer, root.identity.subjectDer)) {
      throw new Error(`${paths.issuingCertificate}: issuer does not match the root's subject`);
    }
    if (issuing.certificate.getExtension(BasicConstraintsExtension)?.ca !== true) {
      throw new Error(`${paths.issuingCertificate}: not a CA certificate (basicConstraints cA)`);
    }
    await options.whileRootIsOpen?.({ certificate: root.certificate, signer: root.signer });
    // The root key was needed only to make and check the chain.
    opened.shift();
    await root.close();
    return {
      root: root.certificate,
      issuing: issuing.certificate,
      issuingSigner: issuing.signer,
      issuingIdentity: issuing.identity,
      purpose: (await readAbout(paths.about)).purpose,
      created: !present.rootCertificate || !present.issuingCertificate,
      keyPlaces,
      close: issuing.close,
    };
  } catch (error) {
    await Promise.allSettled(opened.map((pair) => pair.close()));
    throw error;
  } finally {
    // The signers of the new token keys served the creation; the loaded pairs have their own.
    await Promise.all([made.root?.close(), made.issuing?.close()]);
  }
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
  readonly close: () => Promise<void>;
}

async function loadCaPair(certificatePath: string, place: CaKeyPlace, options: Pick<EnsureCaOptions, 'passphrase' | 'env'>): Promise<CaPair> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await readFile(certificatePath, 'utf8'));
  } catch (cause) {
    throw new Error(`reading CA certificate ${certificatePath}`, { cause });
  }
  const { signer, close } = place.kind === 'file' ? await openKeyFile(place.path, options.passphrase) : await openTokenCaKey(place.key, options.env);
  try {
    const fields = certificateFields(certificate.rawData);
    const spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', signer.publicKey));
    if (!bytesEqual(spki, fields.subjectPublicKeyInfo)) {
      throw new Error(`CA key ${describeKeyPlace(place)} does not belong to certificate ${certificatePath}`);
    }
    const ski = certificate.getExtension(SubjectKeyIdentifierExtension);
    if (!ski) {
      throw new Error(`CA certificate ${certificatePath} has no subjectKeyIdentifier`);
    }
    return {
      certificate,
      signer,
      identity: {
        subjectDer: fields.subject,
        keyIdentifier: new Uint8Array(Buffer.from(ski.keyId, 'hex')),
        signatureAlgorithm: signer.algorithm,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface OpenedKey {
  readonly signer: CaSigner;
  readonly close: () => Promise<void>;
}

async function openKeyFile(path: string, passphrase: string | undefined): Promise<OpenedKey> {
  const keys = await readKeyFile(path, passphraseFor(path, passphrase));
  return { signer: cryptoKeySigner(keys), close: () => Promise.resolve() };
}

async function openTokenCaKey(key: TokenCaKey, env: Environment | undefined): Promise<OpenedKey> {
  if (env === undefined) {
    throw new Error(`CA key "${key.keyLabel}" is in PKCS#11 token "${key.tokenLabel}": opening it needs the environment that holds ${key.pinVariable}, and none was passed`);
  }
  const signer = await openPkcs11Signer(
    { modulePath: key.modulePath, token: { tokenLabel: key.tokenLabel, tokenSerial: key.tokenSerial }, keyLabel: key.keyLabel, keyIdHex: key.keyId, pinVariable: key.pinVariable },
    { env },
  );
  return { signer, close: () => signer.close() };
}

/** A new P-256/P-384 key, written encrypted to `path`; its signer and SubjectPublicKeyInfo. */
async function newKeyFile(path: string, namedCurve: string, passphrase: string | undefined): Promise<{ signer: CaSigner; spki: ArrayBuffer }> {
  const keys = await generateCaKeys(namedCurve);
  await writeKeyFile(path, keys.privateKey, passphraseFor(path, passphrase));
  return { signer: cryptoKeySigner(keys), spki: await webCrypto.subtle.exportKey('spki', keys.publicKey) };
}

async function tokenKeyOf(signer: Pkcs11Signer): Promise<{ signer: CaSigner; spki: ArrayBuffer }> {
  return { signer, spki: await webCrypto.subtle.exportKey('spki', signer.publicKey) };
}

function passphraseFor(path: string, passphrase: string | undefined): string {
  if (passphrase === undefined) throw new ConfigurationProblem(`CA key file ${path} needs its passphrase (CA_KEY_PASSPHRASE)`);
  return passphrase;
}

/** A CA key pair made in the token, labelled with its role and the CA's creation instant, with a random id. */
function generateTokenCaKey(token: NewTokenCaKeys, role: CaRole, now: Date, env: Environment | undefined): Promise<Pkcs11Signer> {
  if (env === undefined) throw new Error(`making the ${role} CA key in a PKCS#11 token needs the environment that holds ${token.pinVariable}, and none was passed`);
  return generatePkcs11KeyPair(
    token,
    { keyLabel: `certdesk ${role} CA ${now.toISOString()}`, keyIdHex: randomBytes(16).toString('hex'), curve: keyCurve[role] },
    { env },
  );
}

function tokenCaKeyOf(token: NewTokenCaKeys, signer: Pkcs11Signer): TokenCaKey {
  return {
    modulePath: resolve(token.modulePath),
    tokenLabel: signer.tokenLabel,
    tokenSerial: signer.tokenSerial,
    keyLabel: signer.keyLabel,
    keyId: signer.keyIdHex,
    pinVariable: token.pinVariable,
  };
}

function describeKeyPlace(place: CaKeyPlace): string {
  return place.kind === 'file' ? place.path : `"${place.key.keyLabel}" in PKCS#11 token "${place.key.tokenLabel}"`;
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

const tokenCaKeySchema = z.object({
  modulePath: z.string().min(1),
  tokenLabel: z.string(),
  tokenSerial: z.string(),
  keyLabel: z.string().min(1),
  keyId: z.string().regex(/^(?:[0-9a-f]{2})+$/),
  pinVariable: z.string().regex(environmentVariablePattern),
});

const aboutSchema = z.object({
  purpose: z.unknown(),
  tokenKeys: z.object({ root: tokenCaKeySchema.optional(), issuing: tokenCaKeySchema.optional() }).optional(),
});

interface RecordedAbout {
  readonly purpose: CaPurpose;
  readonly tokenKeys: { readonly root?: TokenCaKey | undefined; readonly issuing?: TokenCaKey | undefined };
}

/**
 * ca.json. A CA without it (made before it existed, or by hand) is a deployment CA, which
 * never backdates, with both keys in key files.
 */
async function readAbout(path: string): Promise<RecordedAbout> {
  if (!(await exists(path))) return { purpose: 'deployment', tokenKeys: {} };
  const parsed = aboutSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path} is damaged: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return { purpose: parsed.data.purpose === 'demo' ? 'demo' : 'deployment', tokenKeys: parsed.data.tokenKeys ?? {} };
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
