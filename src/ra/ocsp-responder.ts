import { createHash } from 'node:crypto';
import { toHex } from '../ca/der.js';
import { cryptoKeySigner } from '../ca/keys/signer.js';
import {
  isForIssuer,
  ocspErrorResponse,
  ocspIssuerOf,
  parseOcspRequest,
  serialNumberHexOf,
  signOcspResponse,
  type OcspCertStatus,
  type OcspResponseStatus,
  type OcspSigningIdentity,
} from '../ca/ocsp.js';
import { issueOcspResponderCertificate } from '../ca/ocsp-responder-certificate.js';
import { floorToSecond } from '../ca/profile.js';
import { randomSerialNumber } from '../ca/serial-number.js';
import { keyIdentifierOf } from '../ca/subject-key.js';
import { webCrypto } from '../ca/webcrypto.js';
import { reasonCodeOf } from '../domain/revocation-reason.js';
import { appendAudit } from '../store/audit-store.js';
import { reserveSerialNumber } from '../store/ca-store.js';
import { findOcspResponderSerialNumbers, recordOcspResponder } from '../store/ocsp-responder-store.js';
import { findCertificateStatuses, findSignedSerialNumbers } from '../store/revocation-store.js';
import type { CaDeps } from './ca-signing.js';

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The OCSP responder (RFC 6960, S/MIME BR 4.9.9–4.9.10) of one serving process. It signs
 * with a delegated responder certificate of its own: a P-256 key made in this process
 * (non-extractable, never stored, so there is nothing to protect at rest), certified by
 * the issuing CA for 30 days and replaced 10 days before it ends. Several processes on
 * one database each have their own; relying parties accept any of them.
 *
 * Every answer reads the status from the database, so a revocation shows in the next
 * answer of every process. What is cached is only the signature: a response without a
 * nonce is reused for the same question while the statuses it states are still the
 * stored ones, for at most an hour (well inside S/MIME BR 4.9.10(4): fresh information at
 * least four days after thisUpdate).
 */
export const ocspPolicy = {
  /** thisUpdate to nextUpdate (S/MIME BR 4.9.10: 8 hours to 10 days). */
  responseValidityMs: 4 * DAY_MS,
  /** How long one signed response is handed out again. */
  responseReuseMs: HOUR_MS,
  responderValidityMs: 30 * DAY_MS,
  /** A new responder certificate this long before the old one ends. */
  responderRenewBeforeMs: 10 * DAY_MS,
  /** The responder certificate's notBefore lies this far back, for clients whose clock is a little behind. */
  responderBackdateMs: 5 * MINUTE_MS,
  /** Signed responses kept (the oldest goes first). */
  cacheEntries: 1000,
} as const;

export interface OcspAnswer {
  /** The DER OCSPResponse to send. */
  readonly der: Uint8Array;
  readonly status: OcspResponseStatus;
  /** A successful answer without a nonce: the same for anyone who asks until it is re-signed (HTTP caches may keep it). */
  readonly isCacheable: boolean;
  readonly producedAt?: Date;
  readonly nextUpdate?: Date;
}

export interface OcspResponder {
  /** Answers one DER OCSPRequest. Hostile input gets malformedRequest; only infrastructure failures throw. */
  answer(requestDer: Uint8Array): Promise<OcspAnswer>;
}

interface ResponderKey {
  readonly identity: OcspSigningIdentity;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly renewAt: Date;
}

interface CachedAnswer {
  readonly answer: OcspAnswer;
  readonly producedAt: Date;
  readonly responderSerial: string;
}

/** The responder for the issuing CA of `deps.ca`: made once per process (the composition root or the web app). */
export function createOcspResponder(deps: CaDeps): OcspResponder {
  const issuer = ocspIssuerOf(deps.ca.material.issuing.rawData);
  const cache = new Map<string, CachedAnswer>();
  let current: ResponderKey | undefined;
  let making: Promise<ResponderKey> | undefined;

  const responderAt = async (now: Date): Promise<ResponderKey> => {
    if (current !== undefined && now.getTime() >= current.notBefore.getTime() && now.getTime() < current.renewAt.getTime()) return current;
    making ??= makeResponderKey(deps, now).finally(() => {
      making = undefined;
    });
    try {
      current = await making;
      return current;
    } catch (error) {
      // The old responder still signs until its certificate ends; the next request tries again.
      if (current !== undefined && now.getTime() >= current.notBefore.getTime() && now.getTime() < current.notAfter.getTime()) {
        deps.log.error({ err: error, event: 'ocsp.responderRenewalFailed' }, 'could not renew the OCSP responder certificate');
        return current;
      }
      throw error;
    }
  };

  return {
    answer: async (requestDer) => {
      // Step 1: read the request; refuse what is not for our issuing CA (RFC 6960 2.3).
      const parsed = parseOcspRequest(requestDer);
      if (!parsed.ok) return errorAnswer('malformedRequest');
      const { requests, nonce } = parsed.value;
      if (!requests.every((request) => isForIssuer(request, issuer))) return errorAnswer('unauthorized');

      // Step 2: the statuses, from the database, every time.
      const now = deps.clock.now();
      const serials = requests.map((request) => serialNumberHexOf(request.serialNumber));
      const statuses = await statusesOf(deps, serials.filter((serial): serial is string => serial !== undefined));
      const answers = requests.map((request, index) => {
        const serial = serials[index];
        return { certIdDer: request.certIdDer, status: (serial === undefined ? undefined : statuses.get(serial)) ?? unknown };
      });

      // Step 3: a signature made for the same question and the same statuses, if recent.
      const responder = await responderAt(now);
      const cacheKey = nonce === undefined ? answers.map((a) => `${toHex(a.certIdDer)}=${describeStatus(a.status)}`).join('&') : undefined;
      if (cacheKey !== undefined) {
        const cached = cache.get(cacheKey);
        const age = cached === undefined ? undefined : now.getTime() - cached.producedAt.getTime();
        if (cached !== undefined && age !== undefined && age >= 0 && age < ocspPolicy.responseReuseMs && cached.responderSerial === responder.serialNumber) return cached.answer;
      }

      // Step 4: sign a fresh response.
      const producedAt = floorToSecond(now);
      const nextUpdate = new Date(producedAt.getTime() + ocspPolicy.responseValidityMs);
      const der = await signOcspResponse({
        responder: responder.identity,
        producedAt,
        answers: answers.map((a) => ({ ...a, thisUpdate: producedAt, nextUpdate })),
        nonce,
      });
      const answer: OcspAnswer = { der, status: 'successful', isCacheable: nonce === undefined, producedAt, nextUpdate };
      if (cacheKey !== undefined) {
        cache.delete(cacheKey);
        if (cache.size >= ocspPolicy.cacheEntries) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
        cache.set(cacheKey, { answer, producedAt, responderSerial: responder.serialNumber });
      }
      return answer;
    },
  };
}

const unknown: OcspCertStatus = { kind: 'unknown' };

function errorAnswer(status: 'malformedRequest' | 'unauthorized'): OcspAnswer {
  return { der: ocspErrorResponse(status), status, isCacheable: false };
}

function describeStatus(status: OcspCertStatus): string {
  switch (status.kind) {
    case 'good':
    case 'unknown':
      return status.kind;
    case 'revoked':
      return `revoked:${status.revokedAt.toISOString()}:${status.reasonCode ?? ''}`;
  }
}

/**
 * good for a certificate we hold that is not revoked, for a serial we signed a certificate
 * with that was never stored ("assigned", S/MIME BR 4.9.10) and for a responder
 * certificate; revoked with time
 * and reason; anything else is unknown — never good for an unused serial.
 */
async function statusesOf(deps: CaDeps, serials: readonly string[]): Promise<Map<string, OcspCertStatus>> {
  const statuses = new Map<string, OcspCertStatus>();
  for (const row of await findCertificateStatuses(deps.db, serials)) {
    statuses.set(
      row.serialNumber,
      row.status === 'revoked' ? { kind: 'revoked', revokedAt: row.revokedAt ?? row.notBefore, reasonCode: reasonCodeOf(row.revocationReason) } : { kind: 'good' },
    );
  }
  const missing = serials.filter((serial) => !statuses.has(serial));
  for (const serial of await findSignedSerialNumbers(deps.db, missing)) statuses.set(serial, { kind: 'good' });
  // The responders' own certificates (no relying party needs to ask: id-pkix-ocsp-nocheck).
  const stillMissing = missing.filter((serial) => !statuses.has(serial));
  for (const serial of await findOcspResponderSerialNumbers(deps.db, stillMissing)) statuses.set(serial, { kind: 'good' });
  return statuses;
}

/** Makes the responder's key and has the issuing CA certify it: serial reserved first, audited around the signature. */
async function makeResponderKey(deps: CaDeps, now: Date): Promise<ResponderKey> {
  const { material } = deps.ca;
  const keys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey));
  const notBefore = floorToSecond(new Date(Math.max(now.getTime() - ocspPolicy.responderBackdateMs, material.issuing.notBefore.getTime())));
  const notAfter = floorToSecond(new Date(Math.min(notBefore.getTime() + ocspPolicy.responderValidityMs, material.issuing.notAfter.getTime())));

  let serialNumber: string | undefined;
  for (let attempt = 0; attempt < 5 && serialNumber === undefined; attempt += 1) {
    const candidate = randomSerialNumber();
    if (await reserveSerialNumber(deps.db, candidate, 'ocsp-responder', now)) serialNumber = candidate;
  }
  if (serialNumber === undefined) throw new Error('no free serial number for the OCSP responder: the serial store is broken');

  const spkiSha256 = toHex(new Uint8Array(createHash('sha256').update(spki).digest()));
  await appendAudit(deps.db, {
    at: now,
    actor: 'system:ca',
    action: 'certificate.signing',
    subjectType: 'serial',
    subjectId: serialNumber,
    after: { purpose: 'ocspResponder', spkiSha256, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString(), reservedFor: 'ocsp-responder' },
  });
  const der = await issueOcspResponderCertificate(material, { publicKey: spki, serialNumberHex: serialNumber, notBefore, notAfter }, now);
  await appendAudit(deps.db, {
    at: now,
    actor: 'system:ca',
    action: 'certificate.signed',
    subjectType: 'serial',
    subjectId: serialNumber,
    after: { certificateSha256: toHex(new Uint8Array(createHash('sha256').update(der).digest())), reservedFor: 'ocsp-responder' },
  });
  await recordOcspResponder(deps.db, { serialNumber, der, notBefore, notAfter, createdAt: now });
  deps.log.info({ event: 'ocsp.responderCertified', serialNumber, notAfter: notAfter.toISOString() }, 'OCSP responder certificate issued');
  const renewAt = new Date(Math.max(notBefore.getTime(), notAfter.getTime() - ocspPolicy.responderRenewBeforeMs));
  return {
    identity: { certificateDer: der, keyHash: keyIdentifierOf(spki), signer: cryptoKeySigner(keys) },
    serialNumber,
    notBefore,
    notAfter,
    renewAt,
  };
}
