import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import type { OpenRoot } from '../../src/ca/root-crl.js';
import { toPem } from '../../src/ca/pem.js';
import type { Clock } from '../../src/domain/clock.js';
import { makeTempDir, passphrase } from './ca-test-kit.js';

/**
 * A CA for the CRL and OCSP tests: root and issuing CA in a temp folder, the root's
 * signer kept from ensureCa's whileRootIsOpen (a key file's signer outlives the call),
 * and both certificates as PEM files for openssl.
 */
export interface PkiTestCa {
  dir: string;
  ca: CaMaterial;
  root: OpenRoot;
  rootPem: string;
  issuingPem: string;
  /** root then issuing, one file: openssl's -CAfile for what the issuing CA signs. */
  chainPem: string;
  remove(): Promise<void>;
}

export async function makePkiTestCa(clock: Clock, notBefore = new Date('2026-01-01T00:00:00Z')): Promise<PkiTestCa> {
  const temp = await makeTempDir();
  let root: OpenRoot | undefined;
  const ca = await ensureCa({
    dir: join(temp.dir, 'ca'),
    passphrase,
    clock,
    notBefore,
    whileRootIsOpen: (opened) => {
      root = opened;
      return Promise.resolve();
    },
  });
  if (root === undefined) throw new Error('ensureCa did not open the root');
  const rootPem = join(temp.dir, 'root.pem');
  const issuingPem = join(temp.dir, 'issuing.pem');
  const chainPem = join(temp.dir, 'chain.pem');
  writeFileSync(rootPem, toPem(new Uint8Array(ca.root.rawData), 'CERTIFICATE'));
  writeFileSync(issuingPem, toPem(new Uint8Array(ca.issuing.rawData), 'CERTIFICATE'));
  writeFileSync(chainPem, `${toPem(new Uint8Array(ca.root.rawData), 'CERTIFICATE')}${toPem(new Uint8Array(ca.issuing.rawData), 'CERTIFICATE')}`);
  return { dir: temp.dir, ca, root, rootPem, issuingPem, chainPem, remove: temp.remove };
}
