import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SubjectKeyIdentifierExtension, X509Certificate, X509Crl } from '@peculiar/x509';
import { certificateFields } from './certificate-fields.js';
import { describeCrl, signCrl } from './crl.js';
import { toArrayBuffer } from './der.js';
import type { CaSigner } from './keys/signer.js';
import { dayMs, floorToSecond } from './profile.js';
import { webCrypto } from './webcrypto.js';

/**
 * The root CA's CRL (S/MIME BR 4.9.7, status of subordinate CA certificates: reissued at
 * least every twelve months, nextUpdate at most twelve months on). No serving process
 * keeps the root key — bootstrap opens it only to check the chain, and it may be a token
 * — so the root CRL is signed whenever the root key is open anyway (ensureCa's
 * whileRootIsOpen: `certdesk ca init`, and every start that opens the CA) and kept as a
 * file beside the CA certificates, CA_DIR/root-ca.crl, which every process serves.
 *
 * Its numbers need no shared counter: each is max(previous + 1, thisUpdate in Unix
 * seconds), strictly increasing over time as Boulder's crl-updater numbers its CRLs.
 * Two processes refreshing in the same second write the same list under the same number.
 */

export const rootCrlFileName = 'root-ca.crl';

export const rootCrlPolicy = {
  /** 365 days: never more than twelve months (S/MIME BR 4.9.7). */
  validityMs: 365 * dayMs,
  /** Re-signed when a start finds less than this left, so a deployment restarted now and then never lets it lapse. */
  renewBeforeMs: 90 * dayMs,
} as const;

export interface RootCrl {
  readonly der: Uint8Array;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export interface OpenRoot {
  readonly certificate: X509Certificate;
  readonly signer: CaSigner;
}

/** The root CRL in `caDir`, or undefined when there is none (or it cannot be read as one). */
export async function readRootCrl(caDir: string): Promise<RootCrl | undefined> {
  let der: Uint8Array;
  try {
    der = new Uint8Array(await readFile(join(caDir, rootCrlFileName)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`reading ${join(caDir, rootCrlFileName)}`, { cause: error });
  }
  const described = describeCrl(der);
  if (described.nextUpdate === undefined) throw new Error(`${join(caDir, rootCrlFileName)} has no nextUpdate`);
  return { der, crlNumber: described.crlNumber, thisUpdate: described.thisUpdate, nextUpdate: described.nextUpdate };
}

/** Missing, or less than renewBeforeMs before its nextUpdate. */
export function isRootCrlDue(crl: RootCrl | undefined, now: Date): boolean {
  return crl === undefined || crl.nextUpdate.getTime() - now.getTime() < rootCrlPolicy.renewBeforeMs;
}

/** A root CRL after `previous`, signed by the open root: no entries (revoking the issuing CA is a ceremony of its own). */
export async function signRootCrl(root: OpenRoot, previous: RootCrl | undefined, now: Date): Promise<RootCrl> {
  const thisUpdate = floorToSecond(now);
  const nextUpdate = new Date(thisUpdate.getTime() + rootCrlPolicy.validityMs);
  const crlNumber = Math.max((previous?.crlNumber ?? 0) + 1, Math.floor(thisUpdate.getTime() / 1000));
  const ski = root.certificate.getExtension(SubjectKeyIdentifierExtension);
  if (ski === null) throw new Error('root CA certificate has no subjectKeyIdentifier');
  const der = await signCrl(
    {
      issuer: { subjectDer: certificateFields(root.certificate.rawData).subject, keyIdentifier: new Uint8Array(Buffer.from(ski.keyId, 'hex')) },
      crlNumber,
      thisUpdate,
      nextUpdate,
      entries: [],
    },
    root.signer,
  );
  if (!(await new X509Crl(toArrayBuffer(der)).verify({ publicKey: root.certificate }, webCrypto))) {
    throw new Error(`root CRL ${crlNumber}: signature does not verify under the root CA`);
  }
  return { der, crlNumber, thisUpdate, nextUpdate };
}

/**
 * Signs CA_DIR/root-ca.crl anew when it is due and returns the CRL in force. For
 * ensureCa's whileRootIsOpen. The file is replaced atomically (rename), world-readable:
 * it is public.
 */
export async function refreshRootCrl(caDir: string, root: OpenRoot, now: Date): Promise<RootCrl> {
  const current = await readRootCrl(caDir);
  if (!isRootCrlDue(current, now) && current !== undefined) return current;
  const next = await signRootCrl(root, current, now);
  const path = join(caDir, rootCrlFileName);
  const temporaryPath = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporaryPath, 'wx', 0o644);
    try {
      await handle.writeFile(next.der);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, path);
  } catch (cause) {
    await unlink(temporaryPath).catch(() => undefined); // gone already after a successful rename
    throw new Error(`writing ${path}`, { cause });
  }
  return next;
}
