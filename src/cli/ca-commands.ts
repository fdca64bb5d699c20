import type { Command } from 'commander';
import type { CaMaterial } from '../ca/bootstrap.js';
import { certificateFingerprint, initDeploymentCa, openServiceCa } from '../ca/service-ca.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from 'pino';

export interface CaCliContext {
  config: Config;
  clock: Clock;
  log: Logger;
}

function describeCa(material: CaMaterial, caDir: string): string {
  const line = (label: string, certificate: CaMaterial['root']) =>
    `${label}: ${certificate.subject}\n  valid ${certificate.notBefore.toISOString()} – ${certificate.notAfter.toISOString()}\n  SHA-256 ${certificateFingerprint(certificate.rawData)}\n`;
  return `CA in ${caDir} (${material.purpose})\n${line('root', material.root)}${line('issuing', material.issuing)}`;
}

/**
 * `certdesk ca init` makes a deployment's CA explicitly (issue #8); `certdesk ca show` prints
 * what a CA_DIR holds, fingerprints included, to compare with what relying parties trust.
 */
export function registerCaCommands(program: Command, contextOf: () => CaCliContext): void {
  const ca = program.command('ca').description('The certificate authority: create it, show it.');

  ca.command('init')
    .description('Create the root and issuing CA in an empty CA_DIR (keys encrypted with CA_KEY_PASSPHRASE).')
    .option('--root-name <dn>', 'the root CA\'s name, RFC 4514 order, e.g. "CN=Example Root CA, O=Example, C=JP"')
    .option('--issuing-name <dn>', 'the issuing CA\'s name, e.g. "CN=Example S/MIME CA G1, O=Example, C=JP"')
    .action(async (options: { rootName?: string; issuingName?: string }) => {
      const { config, clock } = contextOf();
      const material = await initDeploymentCa(config, clock, { root: options.rootName, issuing: options.issuingName });
      process.stdout.write(`created ${describeCa(material, config.caDir)}Keep CA_KEY_PASSPHRASE apart from the folder; every certdesk serve on this database needs this CA_DIR.\n`);
    });

  ca.command('show')
    .description('Print the CA in CA_DIR: names, validity, SHA-256 fingerprints.')
    .action(async () => {
      const { config, clock, log } = contextOf();
      // Opening never creates a deployment's CA; on the embedded demo it may make the demo CA.
      const { material } = await openServiceCa({ ...config, databaseUrl: config.databaseUrl ?? 'show' }, clock, log);
      process.stdout.write(describeCa(material, config.caDir));
    });
}
