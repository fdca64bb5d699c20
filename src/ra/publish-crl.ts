import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { X509Crl } from '@peculiar/x509';
import { encodeTbsCertList, type CrlEntry } from '../ca/crl.js';
import { toArrayBuffer, toHex } from '../ca/der.js';
import { floorToSecond } from '../ca/profile.js';
import { isRootCrlDue, readRootCrl } from '../ca/root-crl.js';
import { signTbsCertificate } from '../ca/sign-certificate.js';
import { webCrypto } from '../ca/webcrypto.js';
import { reasonCodeOf } from '../domain/revocation-reason.js';
import { appendAudit } from '../store/audit-store.js';
import { findPublishedCrl, storePublishedCrl, takeCrlNumber, type PublishedCrlRow } from '../store/crl-store.js';
import { countRevokedCertificates, listRevokedCertificates } from '../store/revocation-store.js';
import type { CaDeps } from './ca-signing.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The issuing CA's CRL (S/MIME BR 4.9.7, status of subscriber certificates: reissued at
 * least every seven days, nextUpdate at most ten days on). Ours says seven days and is
 * reissued daily, on every revocation, and whenever it lists fewer certificates than are
 * revoked (a revocation whose own publication failed).
 */
export const issuingCrlPolicy = {
  validityMs: 7 * DAY_MS,
  republishAfterMs: DAY_MS,
} as const;

/** A CRL as relying parties get it. */
export interface ServedCrl {
  readonly der: Uint8Array;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

/**
 * Signs and stores the next issuing CRL. Step by step: the number, taken and committed
 * first; the revoked certificates, read after it — so a CRL with a higher number was read
 * later and lists at least as much (a revocation publishes after its commit, so the CRL
 * served, the highest number stored, always holds every committed revocation it follows);
 * the signature through the issuing CA's CaSigner with an audit entry before and after;
 * the store, which keeps whichever of two racing CRLs has the higher number.
 */
export async function publishIssuingCrl(deps: CaDeps): Promise<ServedCrl> {
  const now = deps.clock.now();
  const { material } = deps.ca;
  // Step 1: a number of its own (RFC 5280 5.2.3; two processes never sign the same one).
  const crlNumber = await takeCrlNumber(deps.db, 'issuing', now);
  // Step 2: what it lists.
  const entries: CrlEntry[] = (await listRevokedCertificates(deps.db)).map((row) => ({
    serialNumberHex: row.serialNumber,
    revokedAt: row.revokedAt ?? row.notBefore,
    reasonCode: reasonCodeOf(row.revocationReason),
  }));
  const thisUpdate = floorToSecond(now);
  const nextUpdate = new Date(thisUpdate.getTime() + issuingCrlPolicy.validityMs);
  const tbsDer = encodeTbsCertList(
    { issuer: material.issuingIdentity, crlNumber, thisUpdate, nextUpdate, entries },
    material.issuingSigner.algorithm,
  );
  // Step 3: the signature, audited before and after (STYLE §2).
  const subjectId = `issuing:${crlNumber}`;
  await appendAudit(deps.db, { at: now, actor: 'system:ca', action: 'crl.signing', subjectType: 'crl', subjectId, after: { tbsSha256: sha256Hex(tbsDer), entries: entries.length } });
  const der = await signTbsCertificate(tbsDer, material.issuingSigner);
  if (!(await new X509Crl(toArrayBuffer(der)).verify({ publicKey: material.issuing }, webCrypto))) {
    throw new Error(`CRL ${subjectId}: signature does not verify under the issuing CA`);
  }
  await appendAudit(deps.db, {
    at: now,
    actor: 'system:ca',
    action: 'crl.signed',
    subjectType: 'crl',
    subjectId,
    after: { crlSha256: sha256Hex(der), thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() },
  });
  // Step 4: served from now on, unless a CRL with a higher number got there first.
  const row: PublishedCrlRow = { role: 'issuing', number: crlNumber, thisUpdate, nextUpdate, der, entryCount: entries.length };
  const isStored = await storePublishedCrl(deps.db, row, now);
  deps.log.info({ event: 'crl.published', role: 'issuing', crlNumber, entries: entries.length, isStored }, 'issuing CA CRL published');
  return { der, crlNumber, thisUpdate, nextUpdate };
}

/** Whether the issuing CRL must be published again now. */
export function isIssuingCrlDue(crl: Pick<PublishedCrlRow, 'thisUpdate' | 'nextUpdate' | 'entryCount'> | undefined, revokedCount: number, now: Date): boolean {
  if (crl === undefined) return true;
  return (
    now.getTime() - crl.thisUpdate.getTime() >= issuingCrlPolicy.republishAfterMs ||
    now.getTime() >= crl.nextUpdate.getTime() ||
    crl.entryCount !== revokedCount
  );
}

/**
 * The CRL to serve for `role`. The issuing CRL is published first when it is due, so it
 * is current even where no job runs; one that cannot be signed now is still served until
 * its nextUpdate. The root CRL is the file the root signed (ca/root-crl.ts).
 */
export async function findServedCrl(deps: CaDeps, role: 'root' | 'issuing'): Promise<ServedCrl | undefined> {
  if (role === 'root') {
    if (deps.ca.caDir === undefined) return undefined;
    const crl = await readRootCrl(deps.ca.caDir);
    return crl === undefined ? undefined : { der: crl.der, crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate };
  }
  const now = deps.clock.now();
  const stored = await findPublishedCrl(deps.db, 'issuing');
  if (!isIssuingCrlDue(stored, await countRevokedCertificates(deps.db), now)) return stored === undefined ? undefined : servedOf(stored);
  try {
    await publishOnce(deps);
  } catch (error) {
    if (stored === undefined || now.getTime() >= stored.nextUpdate.getTime()) throw new Error('publishing the issuing CRL', { cause: error });
    deps.log.error({ err: error, event: 'crl.publishFailed', role: 'issuing' }, 'could not publish the issuing CRL: serving the previous one');
  }
  const latest = await findPublishedCrl(deps.db, 'issuing');
  return latest === undefined ? undefined : servedOf(latest);
}

/** The publication under way in this process, per CA: a burst of requests for a due CRL signs one. */
const publishing = new WeakMap<object, Promise<unknown>>();

function publishOnce(deps: CaDeps): Promise<unknown> {
  const key = deps.ca.material;
  const running = publishing.get(key);
  if (running !== undefined) return running;
  const started = publishIssuingCrl(deps).finally(() => publishing.delete(key));
  publishing.set(key, started);
  return started;
}

export interface DueCrlsOutcome {
  /** The number of the issuing CRL this run published, if it was due. */
  issuingCrlNumber: number | undefined;
  /** Whether the root CRL needs the root key soon (or is missing), as seen when the issuing CRL was due. */
  isRootCrlDue: boolean;
}

/**
 * The CRL job (jobs/publish-crl.ts), which only catches up (STYLE §5): the issuing CRL when
 * it is due; for the root CRL, a warning when it is missing or runs out within the
 * renewal margin, since signing it needs the root key.
 */
export async function publishDueCrls(deps: CaDeps): Promise<DueCrlsOutcome> {
  const now = deps.clock.now();
  const stored = await findPublishedCrl(deps.db, 'issuing');
  const issuingCrlNumber = isIssuingCrlDue(stored, await countRevokedCertificates(deps.db), now) ? (await publishIssuingCrl(deps)).crlNumber : undefined;
  let isDue = false;
  // Checked when the issuing CRL was due (daily), so the warning comes daily, not every minute.
  if (issuingCrlNumber !== undefined && deps.ca.caDir !== undefined) {
    const root = await readRootCrl(deps.ca.caDir);
    isDue = isRootCrlDue(root, now);
    if (isDue) {
      deps.log.warn(
        { event: 'crl.rootDue', nextUpdate: root?.nextUpdate.toISOString() },
        root === undefined ? 'the root CA has no CRL: start certdesk serve (or run certdesk ca show) where the root key opens' : 'the root CRL runs out soon: restart certdesk serve (or run certdesk ca show) where the root key opens to re-sign it',
      );
    }
  }
  return { issuingCrlNumber, isRootCrlDue: isDue };
}

function servedOf(row: PublishedCrlRow): ServedCrl {
  return { der: row.der, crlNumber: row.number, thisUpdate: row.thisUpdate, nextUpdate: row.nextUpdate };
}

function sha256Hex(bytes: Uint8Array): string {
  return toHex(new Uint8Array(createHash('sha256').update(bytes).digest()));
}
