import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ensureCa } from './bootstrap.js';
import type { IssuingCa } from './issuing-ca.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { DAY_MS } from '../domain/renewal-window.js';

/**
 * The CA in DATA_DIR/ca, created on first use. Its key files are encrypted with
 * CA_KEY_PASSPHRASE, or — for the embedded demo only — with a passphrase generated
 * into DATA_DIR/ca/passphrase (0600), and the log says so.
 */
export async function openEmbeddedCa(config: Pick<Config, 'dataDir' | 'caKeyPassphrase' | 'publicUrl'>, clock: Clock, log: Logger): Promise<IssuingCa> {
  const dir = path.join(config.dataDir, 'ca');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let passphrase = config.caKeyPassphrase;
  if (passphrase === undefined) {
    const file = path.join(dir, 'passphrase');
    if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    passphrase = fs.readFileSync(file, 'utf8').trim();
    log.warn({ event: 'ca.passphraseFile', file }, 'CA keys are encrypted with a generated passphrase file: set CA_KEY_PASSPHRASE in production');
  }
  const pkiBaseUrl = config.publicUrl.replace(/^https:/, 'http:');
  const material = await ensureCa({
    dir,
    passphrase,
    clock,
    // S/MIME BR 7.1.2.2(b)(c): the issuing CA certificate names the root's CRL and certificate.
    rootUrls: { crl: `${pkiBaseUrl}/pki/root-ca.crl`, caIssuers: `${pkiBaseUrl}/pki/root-ca.crt` },
    // The demo CA predates the demo certificates it holds (one expired 400 days ago).
    notBefore: new Date(clock.now().getTime() - 800 * DAY_MS),
  });
  if (material.created) log.info({ event: 'ca.created', issuer: material.issuing.subject }, 'created the root and issuing CA');
  return { material, pkiBaseUrl };
}
