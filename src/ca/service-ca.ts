import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CaNotFound, createCa, defaultCaNames, ensureCa, hasOnlyTokenKeys, openCa, type CaMaterial, type NewTokenCaKeys } from './bootstrap.js';
import type { IssuingCa } from './issuing-ca.js';
import { refreshRootCrl, type OpenRoot } from './root-crl.js';
import type { Environment } from './keys/pkcs11-signer.js';
import type { Config } from '../config.js';
import { ConfigurationProblem } from '../configuration-problem.js';
import type { Clock } from '../domain/clock.js';
import { DAY_MS } from '../domain/renewal-window.js';

type CaConfig = Pick<Config, 'caDir' | 'caKeyPassphrase' | 'publicUrl' | 'pkiBaseUrl' | 'databaseUrl'>;

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
 *
 * A CA whose keys `certdesk ca init --pkcs11-module` put in a token logs in with the PIN
 * from the variable ca.json names, read from `env` (the composition root's process.env);
 * with both keys in the token it needs no passphrase.
 */
export async function openServiceCa(config: CaConfig, clock: Clock, log: Logger, env?: Environment): Promise<IssuingCa> {
  const pkiBaseUrl = checkedPkiBaseUrl(config, log);
  // No process keeps the root key: while it is open here, its CRL is re-signed when due (ca/root-crl.ts).
  const whileRootIsOpen = (root: OpenRoot) => refreshRootCrlOrWarn(config.caDir, root, clock, log);
  if (config.databaseUrl !== undefined) {
    const passphrase = config.caKeyPassphrase ?? readPassphraseFile(config.caDir);
    if (passphrase === undefined && !(await hasOnlyTokenKeys(config.caDir))) {
      throw new ConfigurationProblem(`CA_KEY_PASSPHRASE is not set: it decrypts the CA keys in ${config.caDir}`);
    }
    try {
      return { material: await openCa({ dir: config.caDir, passphrase, clock, whileRootIsOpen, ...(env === undefined ? {} : { env }) }), pkiBaseUrl, caDir: config.caDir };
    } catch (error) {
      if (error instanceof CaNotFound) throw new ConfigurationProblem(error.message);
      throw error;
    }
  }
  fs.mkdirSync(config.caDir, { recursive: true, mode: 0o700 });
  // A CA made by `certdesk ca init` with both keys in a token has no key file to encrypt.
  const isTokenOnly = await hasOnlyTokenKeys(config.caDir);
  let passphrase = config.caKeyPassphrase ?? readPassphraseFile(config.caDir);
  if (passphrase === undefined && !isTokenOnly) {
    passphrase = randomBytes(24).toString('base64url');
    fs.writeFileSync(passphraseFileOf(config.caDir), `${passphrase}\n`, { mode: 0o600, flag: 'wx' });
  }
  if (config.caKeyPassphrase === undefined && !isTokenOnly) {
    log.warn({ event: 'ca.passphraseFile', file: passphraseFileOf(config.caDir) }, 'CA keys are encrypted with a generated passphrase file: set CA_KEY_PASSPHRASE in production');
  }
  const material = await ensureCa({
    dir: config.caDir,
    passphrase,
    clock,
    ...(env === undefined ? {} : { env }),
    whileRootIsOpen,
    rootUrls: rootUrlsOf(pkiBaseUrl),
    purpose: 'demo',
    // The demo CA predates the demo certificates it holds (one expired 400 days ago).
    notBefore: new Date(clock.now().getTime() - 800 * DAY_MS),
  });
  if (material.created) log.info({ event: 'ca.created', issuer: material.issuing.subject }, 'created the demo root and issuing CA');
  return { material, pkiBaseUrl, caDir: config.caDir };
}

/**
 * PKI_BASE_URL as loadConfig checked it, checked again for configs made elsewhere: plain
 * http only (S/MIME BR 7.1.2.3). A host that HSTS covers makes browsers' revocation
 * checks (Firefox fetches OCSP through its HTTP stack) try https: the log says so.
 */
function checkedPkiBaseUrl(config: CaConfig, log: Logger): string {
  if (!config.pkiBaseUrl.startsWith('http://')) {
    throw new ConfigurationProblem(`PKI_BASE_URL must be plain http:// (S/MIME BR 7.1.2.3: relying parties fetch CRLs and OCSP without TLS), not ${config.pkiBaseUrl}`);
  }
  const pkiHost = new URL(config.pkiBaseUrl).hostname;
  const publicUrl = new URL(config.publicUrl);
  if (publicUrl.protocol === 'https:' && (pkiHost === publicUrl.hostname || pkiHost.endsWith(`.${publicUrl.hostname}`))) {
    log.warn({ event: 'ca.pkiUnderHsts', pkiBaseUrl: config.pkiBaseUrl }, 'PKI_BASE_URL is on the HSTS host of PUBLIC_URL (or under it): set PKI_BASE_URL to a host outside HSTS, e.g. http://pki.example.jp');
  }
  return config.pkiBaseUrl;
}

/** A start must not fail because CA_DIR is read-only here; the CRL job warns while the root CRL is due. */
async function refreshRootCrlOrWarn(caDir: string, root: OpenRoot, clock: Clock, log: Logger): Promise<void> {
  try {
    const crl = await refreshRootCrl(caDir, root, clock.now());
    log.debug({ event: 'crl.root', crlNumber: crl.crlNumber, nextUpdate: crl.nextUpdate.toISOString() }, 'root CA CRL in force');
  } catch (error) {
    log.warn({ err: error, event: 'crl.rootRefreshFailed' }, 'could not re-sign the root CA CRL');
  }
}

/** `certdesk ca init --pkcs11-module …`: the token for the new keys, and the environment its PIN variable is in. */
export interface DeploymentCaToken {
  readonly token: NewTokenCaKeys;
  readonly env: Environment;
}

/**
 * `certdesk ca init`: a deployment's root and issuing CA in an empty CA_DIR, keys encrypted
 * with CA_KEY_PASSPHRASE (required: a deployment never keeps its passphrase beside the keys),
 * or made in a PKCS#11 token: the issuing key, and the root key too with isRootInToken
 * (then no key file is left, and no passphrase is needed).
 */
export async function initDeploymentCa(
  config: CaConfig,
  clock: Clock,
  names: { root?: string | undefined; issuing?: string | undefined },
  inToken?: DeploymentCaToken,
): Promise<CaMaterial> {
  const isPassphraseNeeded = inToken?.token.isRootInToken !== true;
  if (isPassphraseNeeded && config.caKeyPassphrase === undefined) {
    throw new ConfigurationProblem(`set CA_KEY_PASSPHRASE (at least 12 characters): it encrypts the new ${inToken === undefined ? 'CA keys' : 'root CA key'}`);
  }
  fs.mkdirSync(config.caDir, { recursive: true, mode: 0o700 });
  try {
    return await createCa({
      dir: config.caDir,
      passphrase: config.caKeyPassphrase,
      clock,
      names: { root: names.root ?? defaultCaNames.root, issuing: names.issuing ?? defaultCaNames.issuing },
      rootUrls: rootUrlsOf(config.pkiBaseUrl),
      purpose: 'deployment',
      // The root CRL relying parties need from the first day, a year long (S/MIME BR 4.9.7).
      whileRootIsOpen: async (root) => {
        await refreshRootCrl(config.caDir, root, clock.now());
      },
      ...(inToken === undefined ? {} : { token: inToken.token, env: inToken.env }),
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
