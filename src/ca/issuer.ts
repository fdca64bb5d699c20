import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Pkcs10CertificateRequest, X509Certificate } from '@peculiar/x509';
import type { Clock } from '../domain/clock.js';
import type { Result } from '../domain/result.js';
import type { CaMaterial } from './bootstrap.js';
import { certificateFields } from './certificate-fields.js';
import { csrDerOf, type CsrInputProblem } from './csr-input.js';
import { bytesEqual, toArrayBuffer, toHex } from './der.js';
import { acceptCsrFast } from './fast-csr.js';
import { isCertificateSignedBy } from './fast-signature-check.js';
import { encodeSubscriberTbsFast } from './fast-tbs.js';
import { parseTbsFast } from './lints/fast-parsed-tbs.js';
import { runLints } from './lints/subscriber-lints.js';
import type { Problem } from './problem.js';
import {
  checkIssuanceLimits,
  keyRefusalReason,
  subscriberProfile,
  subscriberTemplate,
  type SubscriberSubject,
  type SubscriberUrls,
} from './profile.js';
import { signTbsCertificate } from './sign-certificate.js';
import { describeSubjectKey, type SubjectKeyDescription } from './subject-key.js';
import { webCrypto } from './webcrypto.js';
import { FERMAT_ROUNDS, spkiSha256Hex, weakKeyReason } from './weak-keys.js';

import { randomSerialNumber } from './serial-number.js';

/**
 * The CA's signing step (STYLE §2): it signs only what the RA asked for, and
 * re-checks the profile limits and lints before the real signature, reserves the serial
 * and audits around the signature.
 */

/**
 * Where the CA keeps account of its signatures. The RA's implementation (ra/ca-signing.ts)
 * commits each step before it returns, so neither a refused nor a crashed signature can
 * erase the trace it left.
 */
export interface SigningLedger {
  /**
   * Before the signature, committed together: a key on record as compromised is refused
   * (S/MIME BR 6.1.1.3 (4)); else the serial is reserved for good (S/MIME BR 7.1: never
   * reused; 'serialTaken' when it was used already) and the coming signature audited.
   * Rejects when the signature is no longer wanted, or the record cannot be written: the
   * CA then does not sign.
   */
  reserve(intent: SigningIntent): Promise<'reserved' | 'serialTaken' | 'keyCompromised'>;
  /** After the signature, committed together, before anyone sees it: the certificate kept with its serial, and audited. */
  recordSigned(record: SignedRecord): Promise<void>;
}

export interface SigningIntent {
  readonly at: Date;
  readonly serialNumber: string;
  /** The canonical SubjectPublicKeyInfo's SHA-256, hex (weak-keys.ts spkiSha256Hex): how the key history names the key. */
  readonly spkiSha256: string;
  readonly tbsSha256: string;
}

export interface SignedRecord {
  readonly at: Date;
  readonly serialNumber: string;
  readonly der: Uint8Array;
  readonly certificateSha256: string;
}

export interface IssueCertificateDeps {
  readonly ca: CaMaterial;
  readonly clock: Clock;
  readonly ledger: SigningLedger;
}

export interface IssueCertificateRequest {
  /** The subscriber's public key: a WebCrypto key or DER SubjectPublicKeyInfo (from parseCsr). */
  readonly publicKey: CryptoKey | ArrayBuffer;
  readonly subject: SubscriberSubject;
  /** The verified mailbox (SPEC §4 mailbox control); goes in the SAN only. */
  readonly email: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly urls: SubscriberUrls;
}

export type IssueCertificateResult =
  | { readonly ok: true; readonly certificate: X509Certificate; readonly der: ArrayBuffer; readonly serialNumber: string }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Tries before giving up on a fresh serial: with 158 random bits a second draw is already a miracle. */
const serialAttempts = 5;

/**
 * Signs a subscriber certificate within every limit of the profile. No caller can lift
 * them: demo certificates take issueDemoCertificate, which only a demo CA accepts.
 */
export function issueCertificate(deps: IssueCertificateDeps, request: IssueCertificateRequest): Promise<IssueCertificateResult> {
  return signWithinLimits(deps, request, { allowBackdateForDemoOrImport: false });
}

/**
 * The embedded demo's path (issue #8): its certificates show expired and expiring cases,
 * so they are backdated. Refused by every CA that `certdesk ca init` made.
 */
export async function issueDemoCertificate(deps: IssueCertificateDeps, request: IssueCertificateRequest): Promise<IssueCertificateResult> {
  if (deps.ca.purpose !== 'demo') {
    throw new Error('backdated demo certificates come only from the embedded demo CA');
  }
  return signWithinLimits(deps, request, { allowBackdateForDemoOrImport: true });
}

async function signWithinLimits(
  deps: IssueCertificateDeps,
  request: IssueCertificateRequest,
  limits: { allowBackdateForDemoOrImport: boolean },
): Promise<IssueCertificateResult> {
  // Step 1: read the clock once; take the key as SubjectPublicKeyInfo (our own copy: what
  // is described, hashed and certified are the same bytes) and describe it.
  const now = deps.clock.now();
  const spki = isCryptoKey(request.publicKey)
    ? await webCrypto.subtle.exportKey('spki', request.publicKey)
    : toArrayBuffer(request.publicKey);
  const key = describeSubjectKey(spki);

  // Step 1b: a key of an allowed kind may still be weak (BR 6.1.1.3 (5)); the ledger knows the compromised ones.
  const weakProblem = weakKeyProblem(spki, key);
  if (weakProblem !== undefined) return { ok: false, problems: [weakProblem] };
  const spkiSha256 = spkiSha256Hex(spki);

  for (let attempt = 1; attempt <= serialAttempts; attempt++) {
    const serialNumber = randomSerialNumber();

    // Step 2: re-check the profile limits: key type, validity, backdate, serial, mailbox.
    const limitProblems = checkIssuanceLimits(
      {
        key,
        email: request.email,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
        serialNumberHex: serialNumber,
        issuerNotBefore: deps.ca.issuing.notBefore,
        issuerNotAfter: deps.ca.issuing.notAfter,
      },
      now,
      limits,
    );
    if (limitProblems.length > 0) {
      return { ok: false, problems: limitProblems };
    }

    // Step 3: fill the Sponsor-validated Multipurpose template and encode the TBSCertificate.
    const template = subscriberTemplate({
      subject: request.subject,
      email: request.email,
      key,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      serialNumberHex: serialNumber,
      urls: request.urls,
    });
    // fast-tbs.ts writes the reference encoding's bytes (test/ca/fast-tbs.test.ts) and uses it for anything else.
    const tbsDer = encodeSubscriberTbsFast(template, spki, deps.ca.issuingIdentity);

    // Step 4: lint the exact bytes that will be signed; refuse on any problem.
    const lintProblems = runLints(parseTbsFast(tbsDer, { spki, key }), {
      profile: subscriberProfile,
      issuer: deps.ca.issuingIdentity,
    });
    if (lintProblems.length > 0) {
      return { ok: false, problems: lintProblems };
    }

    // Step 5: reserve the serial and audit the signature to come; a serial taken already
    // means a new serial and a new TBS, a compromised key a refusal.
    const reservation = await deps.ledger.reserve({ at: now, serialNumber, spkiSha256, tbsSha256: sha256Hex(tbsDer) });
    if (reservation === 'keyCompromised') return { ok: false, problems: [compromisedKeyProblem] };
    if (reservation === 'serialTaken') continue;

    // Step 6: sign with the issuing CA key; the certificate is on record and audited before anything else.
    const der = await signTbsCertificate(tbsDer, deps.ca.issuingSigner);
    await deps.ledger.recordSigned({ at: deps.clock.now(), serialNumber, der, certificateSha256: sha256Hex(der) });

    // Step 7: make sure the result carries the linted TBS byte for byte.
    if (!bytesEqual(certificateFields(der).tbsCertificate, tbsDer)) {
      throw new Error(`issuing ${serialNumber}: signed TBSCertificate differs from the linted one`);
    }

    // Step 8: verify the signature with the issuing CA's public key (bootstrap checked it is the certificate's).
    const isVerified = isCertificateSignedBy(der, deps.ca.issuingSigner.publicKey);
    if (!isVerified) {
      throw new Error(`issuing ${serialNumber}: signature does not verify under the issuing CA`);
    }
    return issued(der, serialNumber);
  }
  throw new Error(`no free serial number after ${serialAttempts} random draws: the serial store is broken`);
}

export type CsrProblemCode = CsrInputProblem | 'csr.keyNotAllowed' | 'csr.signatureInvalid';

export interface ParsedCsr {
  /** DER SubjectPublicKeyInfo, ready for issueCertificate. */
  readonly publicKey: ArrayBuffer;
  readonly key: SubjectKeyDescription;
}

/**
 * Reads a PKCS#10 request (PEM or DER, strictly: csr-input.ts) from pickup (SPEC §1.4), proves
 * possession by verifying its signature and refuses key types the profile does
 * not offer. The CSR's subject and extensions are ignored: the RA's vetted
 * data decides what the certificate says.
 */
export async function parseCsr(input: string | ArrayBuffer | Uint8Array): Promise<Result<ParsedCsr, CsrProblemCode>> {
  const der = csrDerOf(input instanceof ArrayBuffer ? new Uint8Array(input) : input);
  if (!der.ok) return der;
  // Most requests are accepted by the strict fast reading (fast-csr.ts); every refusal is decided below.
  const accepted = acceptCsrFast(der.value);
  if (accepted !== undefined) return { ok: true, value: accepted };
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(toArrayBuffer(der.value));
  } catch {
    // Undecodable input is an expected outcome for uploaded CSRs, reported as a code.
    return { ok: false, code: 'csr.malformed' };
  }
  const publicKey = csr.publicKey.rawData;
  const key = describeSubjectKey(publicKey);
  if (keyRefusalReason(key) !== undefined) {
    return { ok: false, code: 'csr.keyNotAllowed' };
  }
  let isSignatureValid: boolean;
  try {
    isSignatureValid = await csr.verify(webCrypto);
  } catch {
    // WebCrypto rejects a malformed signature or parameters: the proof of possession fails.
    isSignatureValid = false;
  }
  if (!isSignatureValid) {
    return { ok: false, code: 'csr.signatureInvalid' };
  }
  return { ok: true, value: { publicKey: toArrayBuffer(new Uint8Array(publicKey)), key } };
}

/** A signed certificate as the caller gets it; parsed by @peculiar/x509 only for a caller that reads `certificate`. */
function issued(der: Uint8Array<ArrayBuffer>, serialNumber: string): IssueCertificateResult {
  let certificate: X509Certificate | undefined;
  return {
    ok: true,
    get certificate() {
      certificate ??= new X509Certificate(toArrayBuffer(der));
      return certificate;
    },
    der: toArrayBuffer(der),
    serialNumber,
  };
}

const compromisedKeyProblem: Problem = {
  code: 'issuance.keyCompromised',
  citation: 'S/MIME BR 6.1.1.3 (4)',
  message: 'this key was reported compromised: a certificate for it was revoked for keyCompromise',
};

/** The problem with a key the profile allows by kind and size, if it is weak. */
function weakKeyProblem(spki: ArrayBuffer, key: SubjectKeyDescription): Problem | undefined {
  // Only RSA moduli can be weak this way: EC keys skip the parse.
  const weak = key.kind === 'rsa' ? weakKeyReason(spki) : undefined;
  if (weak === 'rocaFingerprint') {
    return { code: 'issuance.keyWeak', citation: 'S/MIME BR 6.1.1.3 (5)', message: 'RSA modulus has the ROCA fingerprint (CVE-2017-15361): the private key can be computed from it' };
  }
  if (weak === 'closePrimes') {
    return { code: 'issuance.keyWeak', citation: 'S/MIME BR 6.1.1.3 (5)', message: `RSA modulus factors within ${FERMAT_ROUNDS} rounds of Fermat's method (close primes)` };
  }
  return undefined;
}

function isCryptoKey(value: CryptoKey | ArrayBuffer): value is CryptoKey {
  return 'algorithm' in value && 'usages' in value;
}

function sha256Hex(bytes: Uint8Array): string {
  return toHex(new Uint8Array(createHash('sha256').update(bytes).digest()));
}
