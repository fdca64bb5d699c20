import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CaNotFound, createCa, defaultCaNames, ensureCa, openCa, type CaMaterial } from './bootstrap.js';
import type { IssuingCa } from './issuing-ca.js';
import type { Config } from '../config.js';
import { ConfigurationProblem } from '../configuration-problem.js';
import type { Clock } from '../domain/clock.js';
import { DAY_MS } from '../domain/renewal-window.js';

type CaConfig = Pick<Config, 'caDir' | 'caKeyPassphrase' | 'publicUrl' | 'databaseUrl'>;

/** Plain http for what relying parties fetch (S/MIME BR 7.1.2.3: http only). */
export function pkiBaseUrlOf(publicUrl: string): string {
  return publicUrl.replace(/^https:/, 'http:');
}

const passphraseFileOf = (caDir: string) => path.join(caDir, 'passphrase');

/**
 * The CA a `certdesk serve` signs with (issue #8). On a PostgreSQL server (DATABASE_URL)
 * it must exist, made by `certdesk ca init`: several processes share one CA, so none may
 * make its own. The embedded demo makes its CA on first start: backdated, so it can hold
 * the demo's expired certificates, with keys encrypted by CA_KEY_PASSPHRASE or by a
 * passphrase generated into CA_DIR/passphrase (0600), and the log says so.
 */
export async function openServiceCa(config: CaConfig, clock: Clock, log: Logger): Promise<IssuingCa> {
  const pkiBaseUrl = pkiBaseUrlOf(config.publicUrl);
  if (config.databaseUrl !== undefined) {
    const passphrase = config.caKeyPassphrase ?? readPassphraseFile(config.caDir);
    if (passphrase === undefined) throw new ConfigurationProblem(`CA_KEY_PASSPHRASE is not set: it decrypts the CA keys in ${config.caDir}`);
    try {
      return { material: await openCa({ dir: config.caDir, passphrase, clock }), pkiBaseUrl };
    } catch (error) {
      if (error instanceof CaNotFound) throw new ConfigurationProblem(error.message);
      throw error;
    }
  }
  fs.mkdirSync(config.caDir, { recursive: true, mode: 0o700 });
  let passphrase = config.caKeyPassphrase ?? readPassphraseFile(config.caDir);
  if (passphrase === undefined) {
    passphrase = randomBytes(24).toString('base64url');
    fs.writeFileSync(passphraseFileOf(config.caDir), `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  }
  if (config.caKeyPassphrase === undefined) {
    log.warn({ event: 'ca.passphraseFile', file: passphraseFileOf(config.caDir) }, 'CA keys are encrypted with a generated passphrase file: set CA_KEY_PASSPHRASE in production');
  }
  const material = await ensureCa({
    dir: config.caDir,
    passphrase,
    clock,
    rootUrls: rootUrlsOf(pkiBaseUrl),
    purpose: 'demo',
    // The demo CA predates the demo certificates it holds (one expired 400 days ago).
    notBefore: new Date(clock.now().getTime() - 800 * DAY_MS),
  });
  if (material.created) log.info({ event: 'ca.created', issuer: material.issuing.subject }, 'created the demo root and issuing CA');
  return { material, pkiBaseUrl };
}

/**
 * `certdesk ca init`: a deployment's root and issuing CA in an empty CA_DIR, keys encrypted
 * with CA_KEY_PASSPHRASE (required: a deployment never keeps its passphrase beside the keys).
 */
export async function initDeploymentCa(
  config: CaConfig,
  clock: Clock,
  names: { root?: string | undefined; issuing?: string | undefined },
): Promise<CaMaterial> {
  if (config.caKeyPassphrase === undefined) throw new ConfigurationProblem('set CA_KEY_PASSPHRASE (at least 12 characters): it encrypts the new CA keys');
  fs.mkdirSync(config.caDir, { recursive: true, mode: 0o700 });
  try {
    return await createCa({
      dir: config.caDir,
      passphrase: config.caKeyPassphrase,
      clock,
      names: { root: names.root ?? defaultCaNames.root, issuing: names.issuing ?? defaultCaNames.issuing },
      rootUrls: rootUrlsOf(pkiBaseUrlOf(config.publicUrl)),
      purpose: 'deployment',
    });
  } catch (error) {
    if (error instanceof Error && / already holds a CA$/.test(error.message)) throw new ConfigurationProblem(error.message);
    throw error;
  }
}

/** SHA-256 of a certificate's DER, as `openssl x509 -fingerprint -sha256` prints it. */
export function certificateFingerprint(der: ArrayBuffer): string {
  return (createHash('sha256').update(new Uint8Array(der)).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

// S/MIME BR 7.1.2.2(b)(c): the issuing CA certificate names the root's CRL and certificate.
function rootUrlsOf(pkiBaseUrl: string) {
  return { crl: `${pkiBaseUrl}/pki/root-ca.crl`, caIssuers: `${pkiBaseUrl}/pki/root-ca.crt` };
}

function readPassphraseFile(caDir: string): string | undefined {
  const file = passphraseFileOf(caDir);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}
