import type { X509Certificate } from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaMaterial } from '../../src/ca/bootstrap.js';
import { issueCertificate, type IssueCertificateDeps } from '../../src/ca/issuer.js';
import { subscriberProfile, validityEnd, type SubscriberSubject, type SubscriberUrls } from '../../src/ca/profile.js';
import { webCrypto } from '../../src/ca/webcrypto.js';

/** Shared fixtures for the CA tests: fixed instants, a temp dir, keys, and the openssl CLI when present. */

export const issuedAt = '2026-11-27T00:00:00Z';
export const passphrase = 'correct horse battery staple';

export const subscriberUrls: SubscriberUrls = {
  crl: 'http://crl.certdesk.example/g1.crl',
  ocsp: 'http://ocsp.certdesk.example',
  caIssuers: 'http://ca.certdesk.example/g1.crt',
};

export const subscriberSubject: SubscriberSubject = {
  givenName: '太郎',
  surname: '髙﨑',
  organizationName: '株式会社サンプル',
  stateOrProvinceName: '東京都',
  localityName: '千代田区',
};

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-ca-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type TestKeyKind = 'P-256' | 'P-384' | 'P-521' | 'RSA-1024' | 'RSA-2048' | 'RSA-2052' | 'Ed25519';

export async function generateTestKeys(kind: TestKeyKind): Promise<CryptoKeyPair> {
  const { subtle } = webCrypto;
  switch (kind) {
    case 'P-256':
    case 'P-384':
    case 'P-521':
      return subtle.generateKey({ name: 'ECDSA', namedCurve: kind }, true, ['sign', 'verify']);
    case 'RSA-1024':
    case 'RSA-2048':
    case 'RSA-2052':
      return subtle.generateKey(
        {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: Number(kind.slice(4)),
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
        true,
        ['sign', 'verify'],
      );
    case 'Ed25519':
      return subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  }
}

/** The signing algorithm a subscriber would use for a CSR with this key. */
export function csrSigningAlgorithm(keys: CryptoKeyPair): Algorithm | EcdsaParams {
  switch (keys.privateKey.algorithm.name) {
    case 'ECDSA':
      return { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
    case 'Ed25519':
      return { name: 'Ed25519' };
    default:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
  }
}

export const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

/** Runs the openssl CLI; returns stdout, throws with stderr on failure. */
export function openssl(args: readonly string[], input?: string): string {
  const result = spawnSync('openssl', args, { encoding: 'utf8', input });
  if (result.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  }
  return result.stdout;
}

export const toUnixSeconds = (at: Date | string): string => String(Math.floor(new Date(at).getTime() / 1000));

/** The extension of `type` in `certificate`, or a clear failure naming it. */
export function extension<T>(certificate: X509Certificate, type: new (raw: BufferSource) => T): T {
  const found = certificate.getExtension(type as never) as T | null;
  if (found === null) {
    throw new Error(`missing ${type.name}`);
  }
  return found;
}

/**
 * The CA's bookkeeping where a test needs none: every serial free, nothing recorded or
 * audited, no key compromised. Tests of the bookkeeping itself pass their own.
 */
export function bookkeepingFreeDeps(ca: CaMaterial, now: Date): IssueCertificateDeps {
  return {
    ca,
    clock: { now: () => now },
    ledger: { reserve: () => Promise.resolve('reserved'), recordSigned: () => Promise.resolve() },
  };
}

/** A subscriber certificate for `publicKey` (WebCrypto key or SPKI), valid from `now` for the profile's default; its DER. */
export async function issueTestCertificate(ca: CaMaterial, publicKey: CryptoKey | ArrayBuffer, now: Date): Promise<ArrayBuffer> {
  const result = await issueCertificate(bookkeepingFreeDeps(ca, now), {
    publicKey,
    subject: subscriberSubject,
    email: 'taro.takasaki@example.jp',
    notBefore: now,
    notAfter: validityEnd(now, subscriberProfile.defaultValidityDays),
    urls: subscriberUrls,
  });
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.der;
}
