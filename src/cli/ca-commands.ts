import { Option, type Command } from 'commander';
import type { CaKeyPlace, CaMaterial } from '../ca/bootstrap.js';
import { environmentVariablePattern, type Environment, type Pkcs11TokenSelector } from '../ca/keys/pkcs11-signer.js';
import { certificateFingerprint, initDeploymentCa, openServiceCa, type DeploymentCaToken } from '../ca/service-ca.js';
import type { Config } from '../config.js';
import { ConfigurationProblem } from '../configuration-problem.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from 'pino';

export interface CaCliContext {
  config: Config;
  clock: Clock;
  log: Logger;
  /**
   * The process environment (main.ts passes process.env): a CA key in a PKCS#11 token logs
   * in with the PIN from the variable ca.json names, which no fixed Config field can hold.
   */
  env?: Environment;
}

function describeKeyPlace(place: CaKeyPlace): string {
  return place.kind === 'file'
    ? `key file ${place.path}`
    : `PKCS#11 token "${place.key.tokenLabel}" (serial ${place.key.tokenSerial}, ${place.key.modulePath}), key "${place.key.keyLabel}" id ${place.key.keyId}, PIN from ${place.key.pinVariable}`;
}

function describeCa(material: CaMaterial, caDir: string): string {
  const line = (label: string, certificate: CaMaterial['root']) =>
    `${label}: ${certificate.subject}\n  valid ${certificate.notBefore.toISOString()} – ${certificate.notAfter.toISOString()}\n  SHA-256 ${certificateFingerprint(certificate.rawData)}\n`;
  const keys = `root key: ${describeKeyPlace(material.keyPlaces.root)}\nissuing key: ${describeKeyPlace(material.keyPlaces.issuing)}\n`;
  return `CA in ${caDir} (${material.purpose})\n${line('root', material.root)}${line('issuing', material.issuing)}${keys}`;
}

interface InitOptions {
  rootName?: string;
  issuingName?: string;
  pkcs11Module?: string;
  slot?: string;
  pinEnv?: string;
  rootInToken?: boolean;
}

/** `--slot 0` is the index among the slots holding a token; anything else is a token label. */
function tokenSelectorOf(slot: string): Pkcs11TokenSelector {
  return /^\d+$/.test(slot) ? { slotIndex: Number(slot) } : { tokenLabel: slot };
}

/** The token of `ca init`, when --pkcs11-module asks for one; every token option needs the others. */
function deploymentTokenOf(options: InitOptions, env: Environment | undefined): DeploymentCaToken | undefined {
  const { pkcs11Module, slot, pinEnv } = options;
  if (pkcs11Module === undefined) {
    if (slot !== undefined || pinEnv !== undefined || options.rootInToken === true) {
      throw new ConfigurationProblem('--slot, --pin-env and --root-in-token go with --pkcs11-module');
    }
    return undefined;
  }
  if (slot === undefined || pinEnv === undefined) throw new ConfigurationProblem('--pkcs11-module needs --slot <index|token label> and --pin-env <VARIABLE>');
  if (!environmentVariablePattern.test(pinEnv)) {
    throw new ConfigurationProblem(`--pin-env takes the NAME of the environment variable that holds the PIN, not ${JSON.stringify(pinEnv)}`);
  }
  if (env === undefined) throw new Error('ca init --pkcs11-module: the CLI was given no environment to read the PIN variable from');
  return { token: { modulePath: pkcs11Module, token: tokenSelectorOf(slot), pinVariable: pinEnv, isRootInToken: options.rootInToken === true }, env };
}

/**
 * `certdesk ca init` makes a deployment's CA explicitly (issue #8); `certdesk ca show` prints
 * what a CA_DIR holds, fingerprints included, to compare with what relying parties trust.
 */
export function registerCaCommands(program: Command, contextOf: () => CaCliContext): void {
  const ca = program.command('ca').description('The certificate authority: create it, show it.');

  ca.command('init')
    .description('Create the root and issuing CA in an empty CA_DIR (keys encrypted with CA_KEY_PASSPHRASE, or made in a PKCS#11 token).')
    .option('--root-name <dn>', 'the root CA\'s name, RFC 4514 order, e.g. "CN=Example Root CA, O=Example, C=JP"')
    .option('--issuing-name <dn>', 'the issuing CA\'s name, e.g. "CN=Example S/MIME CA G1, O=Example, C=JP"')
    .option('--pkcs11-module <path>', 'make the issuing CA key in a PKCS#11 token of this library, e.g. /usr/lib/softhsm/libsofthsm2.so')
    .option('--slot <index|label>', 'the token: its index among the slots holding a token, or its label')
    .option('--pin-env <VARIABLE>', 'the environment variable that holds the token\'s user PIN (its name is recorded in ca.json, never the PIN)')
    .addOption(new Option('--root-in-token', 'make the root CA key in the token too (no key file, no CA_KEY_PASSPHRASE)'))
    .action(async (options: InitOptions) => {
      const { config, clock, env } = contextOf();
      const inToken = deploymentTokenOf(options, env);
      const material = await initDeploymentCa(config, clock, { root: options.rootName, issuing: options.issuingName }, inToken);
      try {
        const keep =
          inToken === undefined
            ? 'Keep CA_KEY_PASSPHRASE apart from the folder'
            : `Every process that signs needs ${inToken.token.pinVariable}${inToken.token.isRootInToken ? '' : ', and CA_KEY_PASSPHRASE for the root key file'}`;
        process.stdout.write(`created ${describeCa(material, config.caDir)}${keep}; every certdesk serve on this database needs this CA_DIR.\n`);
      } finally {
        await material.close();
      }
    });

  ca.command('show')
    .description('Print the CA in CA_DIR: names, validity, SHA-256 fingerprints, where the keys are.')
    .action(async () => {
      const { config, clock, log, env } = contextOf();
      // Opening never creates a deployment's CA; on the embedded demo it may make the demo CA.
      const { material } = await openServiceCa({ ...config, databaseUrl: config.databaseUrl ?? 'show' }, clock, log, env);
      try {
        process.stdout.write(describeCa(material, config.caDir));
      } finally {
        await material.close();
      }
    });
}
