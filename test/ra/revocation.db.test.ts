import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { X509Certificate, X509Crl } from '@peculiar/x509';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCrl } from '../../src/ca/crl.js';
import { ocspOids } from '../../src/ca/ocsp.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { crlReasonCodes } from '../../src/domain/revocation-reason.js';
import type { CaDeps } from '../../src/ra/ca-signing.js';
import { createOcspResponder, ocspPolicy } from '../../src/ra/ocsp-responder.js';
import { findServedCrl, isIssuingCrlDue, issuingCrlPolicy, publishDueCrls, publishIssuingCrl } from '../../src/ra/publish-crl.js';
import { revokeCertificate } from '../../src/ra/revoke-certificate.js';
import { findPublishedCrl, storePublishedCrl } from '../../src/store/crl-store.js';
import { auditLog, certificates, certificateSerials, compromisedKeys, ocspResponders } from '../../src/store/schema/tables.js';
import { isOnPostgresServer } from '../support/db.js';
import { nonceExtensionDer, ocspRequestDer } from '../support/ocsp-request.js';
import { issueStoredCertificate } from '../support/stored-certificate.js';
import { createWorld, type World } from '../support/world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let world: World;
let deps: CaDeps;

beforeAll(async () => {
  world = await createWorld();
  deps = { db: world.database.db, clock: world.clock, log: world.log, ca: world.ca };
});
afterAll(async () => {
  await world?.close();
});

/** The demo certificates (demo1…demo5@example.jp; demo5's is revoked for keyCompromise). */
async function demoCertificate(email: string): Promise<{ id: string; serialNumber: string; der: Uint8Array; spkiSha256: string | null }> {
  const [row] = await world.database.db
    .select({ id: certificates.id, serialNumber: certificates.serialNumber, der: certificates.der, spkiSha256: certificates.spkiSha256 })
    .from(certificates)
    .where(eq(certificates.email, email));
  if (row === undefined) throw new Error(`no certificate for ${email}`);
  return row;
}

async function certificateRow(id: string) {
  const [row] = await world.database.db.select({ status: certificates.status, revokedAt: certificates.revokedAt, revocationReason: certificates.revocationReason }).from(certificates).where(eq(certificates.id, id));
  return row;
}

function entriesOf(der: Uint8Array): Map<string, number | undefined> {
  return new Map(new X509Crl(der.slice().buffer).entries.map((entry) => [entry.serialNumber.toLowerCase(), entry.reason]));
}

describe(revokeCertificate.name, () => {
  it('revokes in one go: status, time and reason, the audit entry, and a CRL that lists it', async () => {
    const target = await demoCertificate('demo1@example.jp');
    const before = await publishIssuingCrl(deps);
    const at = new Date(world.clock.now().getTime() - 1500);
    const result = await revokeCertificate(deps, { certificateId: target.id, reason: 'superseded', actor: 'operator:alice', at });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const revokedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
    expect(result.value).toEqual({ certificateId: target.id, serialNumber: target.serialNumber, revokedAt, reason: 'superseded', crlNumber: before.crlNumber + 1, sameKeyRevoked: [] });
    expect(await certificateRow(target.id)).toEqual({ status: 'revoked', revokedAt, revocationReason: 'superseded' });

    const [audit] = await world.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.revoked'), eq(auditLog.subjectId, target.id)));
    expect(audit).toMatchObject({ actor: 'operator:alice', subjectType: 'certificate', before: { status: 'valid' }, after: { status: 'revoked', serialNumber: target.serialNumber, reason: 'superseded', revokedAt: revokedAt.toISOString() } });
    // superseded is no key compromise: the key may be certified again.
    expect(await world.database.db.select().from(compromisedKeys).where(eq(compromisedKeys.source, `revocation:${target.id}`))).toHaveLength(0);

    const served = await findServedCrl(deps, 'issuing');
    expect(served?.crlNumber).toBe(before.crlNumber + 1);
    expect(entriesOf(served!.der).get(target.serialNumber)).toBe(crlReasonCodes.superseded);
    expect(new X509Crl(served!.der.slice().buffer).entries.find((e) => e.serialNumber.toLowerCase() === target.serialNumber)?.revocationDate).toEqual(revokedAt);
  });

  it('records the key of a certificate revoked for keyCompromise (S/MIME BR 6.1.1.3)', async () => {
    const target = await demoCertificate('demo2@example.jp');
    const result = await revokeCertificate(deps, { certificateId: target.id, reason: 'keyCompromise', actor: 'operator:alice', at: world.clock.now() });
    expect(result.ok).toBe(true);
    const [key] = await world.database.db.select().from(compromisedKeys).where(eq(compromisedKeys.source, `revocation:${target.id}`));
    expect(key).toMatchObject({ spkiSha256: target.spkiSha256, reason: 'keyCompromise', recordedAt: world.clock.now() });
    const served = await findServedCrl(deps, 'issuing');
    expect(entriesOf(served!.der).get(target.serialNumber)).toBe(crlReasonCodes.keyCompromise);
  });

  it('takes down every valid certificate for a compromised key, each audited, and no other (S/MIME BR 4.9.1.1)', async () => {
    const { publicKey } = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const [reported, renewed, alreadyGone] = [
      await issueStoredCertificate(deps, 'same-key-1@example.jp', publicKey),
      await issueStoredCertificate(deps, 'same-key-2@example.jp', publicKey),
      await issueStoredCertificate(deps, 'same-key-3@example.jp', publicKey),
    ];
    const unrelated = await issueStoredCertificate(deps, 'other-key@example.jp');
    expect((await revokeCertificate(deps, { certificateId: alreadyGone.id, reason: 'superseded', actor: 'cli', at: world.clock.now() })).ok).toBe(true);
    // superseded is no compromise: the others stay valid.
    expect(await certificateRow(reported.id)).toMatchObject({ status: 'valid' });

    const result = await revokeCertificate(deps, { certificateId: reported.id, reason: 'keyCompromise', actor: 'subscriber:s1', at: world.clock.now() });
    expect(result.ok && result.value.sameKeyRevoked).toEqual([renewed.serialNumber]);
    expect(await certificateRow(renewed.id)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
    expect(await certificateRow(alreadyGone.id)).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect(await certificateRow(unrelated.id)).toMatchObject({ status: 'valid' });
    const [entry] = await world.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.revoked'), eq(auditLog.subjectId, renewed.id)));
    expect(entry).toMatchObject({ actor: 'subscriber:s1', after: { reason: 'keyCompromise', serialNumber: renewed.serialNumber, revokedWith: reported.id } });
    const served = await findServedCrl(deps, 'issuing');
    expect(entriesOf(served!.der).get(renewed.serialNumber)).toBe(crlReasonCodes.keyCompromise);
    expect(entriesOf(served!.der).has(unrelated.serialNumber)).toBe(false);
  });

  it(`lets two keyCompromise revocations of one key's certificates run at once: one takes both, the other finds it done (${isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised'})`, async () => {
    const { publicKey } = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const pair = [await issueStoredCertificate(deps, 'same-key-race-1@example.jp', publicKey), await issueStoredCertificate(deps, 'same-key-race-2@example.jp', publicKey)];
    const outcomes = await Promise.all(pair.map((certificate) => revokeCertificate(deps, { certificateId: certificate.id, reason: 'keyCompromise', actor: 'cli', at: world.clock.now() })));
    const codes = outcomes.map((outcome) => (outcome.ok ? `revoked with ${outcome.value.sameKeyRevoked.length} more` : outcome.code));
    expect(codes.sort()).toEqual(['revocation.alreadyRevoked', 'revoked with 1 more']);
    for (const certificate of pair) expect(await certificateRow(certificate.id)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
  });

  it('writes unspecified as a CRL entry without reasonCode (S/MIME BR 7.2.2)', async () => {
    const target = await demoCertificate('demo3@example.jp');
    expect((await revokeCertificate(deps, { certificateId: target.id, reason: 'unspecified', actor: 'cli', at: world.clock.now() })).ok).toBe(true);
    const served = await findServedCrl(deps, 'issuing');
    const entries = entriesOf(served!.der);
    expect(entries.has(target.serialNumber)).toBe(true);
    expect(entries.get(target.serialNumber)).toBeUndefined();
  });

  it('refuses the reasons no subscriber certificate is revoked for, and changes nothing', async () => {
    const target = await demoCertificate('demo4@example.jp');
    for (const reason of ['certificateHold', 'cACompromise', 'aACompromise', 'removeFromCRL', 'bogus', '']) {
      expect(await revokeCertificate(deps, { certificateId: target.id, reason, actor: 'cli', at: world.clock.now() }), reason).toEqual({ ok: false, code: 'revocation.reasonNotAllowed' });
    }
    expect((await certificateRow(target.id))?.status).toBe('valid');
    expect(await world.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.revoked'), eq(auditLog.subjectId, target.id)))).toHaveLength(0);
  });

  it('refuses a revocation time after now, accepts now itself', async () => {
    const target = await demoCertificate('demo4@example.jp');
    const now = world.clock.now();
    expect(await revokeCertificate(deps, { certificateId: target.id, reason: 'cessationOfOperation', actor: 'cli', at: new Date(now.getTime() + 1) })).toEqual({ ok: false, code: 'revocation.timeInFuture' });
    expect((await revokeCertificate(deps, { certificateId: target.id, reason: 'cessationOfOperation', actor: 'cli', at: now })).ok).toBe(true);
  });

  it('says alreadyRevoked for a revoked certificate and certificateNotFound for an unknown or malformed id', async () => {
    const revoked = await demoCertificate('demo5@example.jp');
    expect(await revokeCertificate(deps, { certificateId: revoked.id, reason: 'superseded', actor: 'cli', at: world.clock.now() })).toEqual({ ok: false, code: 'revocation.alreadyRevoked' });
    expect(await revokeCertificate(deps, { certificateId: randomUUID(), reason: 'superseded', actor: 'cli', at: world.clock.now() })).toEqual({ ok: false, code: 'revocation.certificateNotFound' });
    expect(await revokeCertificate(deps, { certificateId: "x' or 1=1 --", reason: 'superseded', actor: 'cli', at: world.clock.now() })).toEqual({ ok: false, code: 'revocation.certificateNotFound' });
  });
});

describe('revokeCertificate in parallel', () => {
  it.skipIf(!isOnPostgresServer())('revokes a certificate once when asked eight times at once: one ok, one audit entry', async () => {
    const target = await issueStoredCertificate(deps, 'revoke-race@example.jp');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => revokeCertificate(deps, { certificateId: target.id, reason: i % 2 === 0 ? 'keyCompromise' : 'superseded', actor: `operator:${i}`, at: world.clock.now() })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).toEqual(Array(7).fill('revocation.alreadyRevoked'));
    expect(await world.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'certificate.revoked'), eq(auditLog.subjectId, target.id)))).toHaveLength(1);
    expect(entriesOf((await findServedCrl(deps, 'issuing'))!.der).has(target.serialNumber)).toBe(true);
  });
});

describe(publishIssuingCrl.name, () => {
  it('numbers each CRL one higher, seven days long, audited before and after its signature', async () => {
    const first = await publishIssuingCrl(deps);
    const second = await publishIssuingCrl(deps);
    expect(second.crlNumber).toBe(first.crlNumber + 1);
    expect(second.nextUpdate.getTime() - second.thisUpdate.getTime()).toBe(issuingCrlPolicy.validityMs);
    expect(describeCrl(second.der)).toMatchObject({ crlNumber: second.crlNumber, thisUpdate: second.thisUpdate, nextUpdate: second.nextUpdate });
    expect(await new X509Crl(second.der.slice().buffer).verify({ publicKey: world.ca.material.issuing }, webCrypto)).toBe(true);
    const audit = await world.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, `issuing:${second.crlNumber}`)).orderBy(asc(auditLog.seq));
    expect(audit.map((a) => a.action)).toEqual(['crl.signing', 'crl.signed']);
  });

  it('never lets a CRL with a lower number replace the one served', async () => {
    const latest = await publishIssuingCrl(deps);
    const stale = { role: 'issuing' as const, number: latest.crlNumber - 1, thisUpdate: latest.thisUpdate, nextUpdate: latest.nextUpdate, der: new Uint8Array([1]), entryCount: 0 };
    expect(await storePublishedCrl(world.database.db, stale, world.clock.now())).toBe(false);
    expect((await findPublishedCrl(world.database.db, 'issuing'))?.number).toBe(latest.crlNumber);
  });

  it.skipIf(!isOnPostgresServer())('gives parallel publications distinct numbers, and serves the highest', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => publishIssuingCrl(deps)));
    const numbers = results.map((r) => r.crlNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect((await findPublishedCrl(world.database.db, 'issuing'))?.number).toBe(Math.max(...numbers));
  });
});

describe(isIssuingCrlDue.name, () => {
  const thisUpdate = new Date('2026-11-27T00:00:00Z');
  const crl = { thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + 7 * DAY), entryCount: 2 };
  it('is due when missing, a day old (exactly), past nextUpdate, or listing another number of certificates', () => {
    expect(isIssuingCrlDue(undefined, 0, thisUpdate)).toBe(true);
    expect(isIssuingCrlDue(crl, 2, new Date(thisUpdate.getTime() + DAY - 1))).toBe(false);
    expect(isIssuingCrlDue(crl, 2, new Date(thisUpdate.getTime() + DAY))).toBe(true);
    expect(isIssuingCrlDue(crl, 3, thisUpdate)).toBe(true);
    expect(isIssuingCrlDue({ ...crl, nextUpdate: thisUpdate }, 2, thisUpdate)).toBe(true);
  });
});

describe(publishDueCrls.name, () => {
  it('publishes nothing when the CRL is fresh, again after a day, and at once when a revocation is missing from it', async () => {
    await publishIssuingCrl(deps);
    expect((await publishDueCrls(deps)).issuingCrlNumber).toBeUndefined();
    world.clock.advance(DAY);
    const daily = await publishDueCrls(deps);
    expect(daily.issuingCrlNumber).toBeDefined();
    expect(daily.isRootCrlDue).toBe(false);
    // A revocation whose own publication never happened (a crash right after the commit).
    const valid = await issueStoredCertificate(deps, 'crl-catch-up@example.jp');
    await world.database.db.update(certificates).set({ status: 'revoked', revokedAt: world.clock.now(), revocationReason: 'superseded' }).where(eq(certificates.id, valid.id));
    const caughtUp = await publishDueCrls(deps);
    expect(caughtUp.issuingCrlNumber).toBe(daily.issuingCrlNumber! + 1);
    expect(entriesOf((await findServedCrl(deps, 'issuing'))!.der).has(valid.serialNumber)).toBe(true);
  });
});

describe(findServedCrl.name, () => {
  it('signs one CRL for a burst of requests that find it due, not one each', async () => {
    await publishIssuingCrl(deps);
    world.clock.advance(DAY + 1000);
    const signedBefore = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'crl.signed'));
    const served = await Promise.all(Array.from({ length: 25 }, () => findServedCrl(deps, 'issuing')));
    const signedAfter = await world.database.db.select().from(auditLog).where(eq(auditLog.action, 'crl.signed'));
    expect(signedAfter.length - signedBefore.length).toBe(1);
    expect(new Set(served.map((crl) => crl?.crlNumber)).size).toBe(1);
  });

  it('serves the root CRL the root signed into CA_DIR when the CA was opened', async () => {
    const root = await findServedCrl(deps, 'root');
    expect(root).toBeDefined();
    const crl = new X509Crl(root!.der.slice().buffer);
    expect(crl.issuer).toBe(world.ca.material.root.subject);
    expect(await crl.verify({ publicKey: world.ca.material.root }, webCrypto)).toBe(true);
  });
});

describe(createOcspResponder.name, () => {
  const issuerDer = () => world.ca.material.issuing.rawData;

  function singleResponses(der: Uint8Array) {
    const response = AsnConvert.parse(der, OCSPResponse);
    expect(response.responseStatus).toBe(OCSPResponseStatus.successful);
    return AsnConvert.parse(response.responseBytes!.response, BasicOCSPResponse);
  }

  it('answers good, revoked with time and reason, and unknown, from the database', async () => {
    const responder = createOcspResponder(deps);
    const good = await issueStoredCertificate(deps, 'ocsp-good@example.jp');
    const revoked = await demoCertificate('demo5@example.jp');
    const answer = await responder.answer(ocspRequestDer(issuerDer(), [good.serialNumber, revoked.serialNumber, '4999999999999999999999999999999999999999']));
    expect(answer).toMatchObject({ status: 'successful', isCacheable: true });
    const basic = singleResponses(answer.der);
    const [first, second, third] = basic.tbsResponseData.responses;
    expect(first!.certStatus.good).toBeNull();
    expect(second!.certStatus.revoked?.revocationReason?.reason).toBe(crlReasonCodes.keyCompromise);
    expect(third!.certStatus.unknown).toBeNull();
    expect(first!.nextUpdate!.getTime() - first!.thisUpdate.getTime()).toBe(ocspPolicy.responseValidityMs);
  });

  it('says good for a serial the CA signed a certificate with but never stored (S/MIME BR 4.9.10: assigned)', async () => {
    const serial = '4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await world.database.db.insert(certificateSerials).values({ serialNumber: serial, reservedAt: world.clock.now(), reservedFor: 'test', signedAt: world.clock.now() });
    const reserved = '4bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    await world.database.db.insert(certificateSerials).values({ serialNumber: reserved, reservedAt: world.clock.now(), reservedFor: 'test' });
    const basic = singleResponses((await createOcspResponder(deps).answer(ocspRequestDer(issuerDer(), [serial, reserved]))).der);
    expect(basic.tbsResponseData.responses[0]!.certStatus.good).toBeNull();
    expect(basic.tbsResponseData.responses[1]!.certStatus.unknown).toBeNull();
  });

  it('reuses a signature for the same question until a status changes or an hour passes', async () => {
    const responder = createOcspResponder(deps);
    const target = await demoCertificate('demo4@example.jp');
    await world.database.db.update(certificates).set({ status: 'valid', revokedAt: null, revocationReason: null }).where(eq(certificates.id, target.id));
    const request = ocspRequestDer(issuerDer(), [target.serialNumber]);
    const first = await responder.answer(request);
    world.clock.advance(HOUR - 1000);
    expect((await responder.answer(request)).der).toEqual(first.der);
    expect((await revokeCertificate(deps, { certificateId: target.id, reason: 'affiliationChanged', actor: 'cli', at: world.clock.now() })).ok).toBe(true);
    const afterRevocation = await responder.answer(request);
    expect(singleResponses(afterRevocation.der).tbsResponseData.responses[0]!.certStatus.revoked?.revocationReason?.reason).toBe(crlReasonCodes.affiliationChanged);
    world.clock.advance(HOUR);
    const later = await responder.answer(request);
    expect(later.der).not.toEqual(afterRevocation.der);
    expect(later.producedAt!.getTime()).toBeGreaterThan(afterRevocation.producedAt!.getTime());
  });

  it('echoes a nonce, and signs each such answer anew', async () => {
    const responder = createOcspResponder(deps);
    const target = await demoCertificate('demo1@example.jp');
    const nonce = randomBytes(16);
    const request = ocspRequestDer(issuerDer(), [target.serialNumber], [nonceExtensionDer(nonce)]);
    const answer = await responder.answer(request);
    expect(answer.isCacheable).toBe(false);
    const extensions = singleResponses(answer.der).tbsResponseData.responseExtensions;
    expect(extensions?.map((e) => [e.extnID, Buffer.from(e.extnValue.buffer).subarray(2).toString('hex')])).toEqual([[ocspOids.nonce, nonce.toString('hex')]]);
    expect((await responder.answer(request)).der).not.toEqual(answer.der);
  });

  it('answers unauthorized for another CA and malformedRequest for what it cannot read', async () => {
    const responder = createOcspResponder(deps);
    const target = await demoCertificate('demo1@example.jp');
    const forRoot = await responder.answer(ocspRequestDer(world.ca.material.root.rawData, [target.serialNumber]));
    expect([forRoot.status, Array.from(forRoot.der)]).toEqual(['unauthorized', [0x30, 0x03, 0x0a, 0x01, 0x06]]);
    const mixed = await responder.answer(ocspRequestDer(world.ca.material.root.rawData, [target.serialNumber]).subarray(0, 10));
    expect(mixed.status).toBe('malformedRequest');
  });

  it('certifies a key of its own, records and audits it, and renews it ten days before it ends', async () => {
    const responder = createOcspResponder(deps);
    const target = await demoCertificate('demo1@example.jp');
    const request = ocspRequestDer(issuerDer(), [target.serialNumber]);
    const responderSerialOf = (der: Uint8Array) => new X509Certificate(AsnConvert.serialize(singleResponses(der).certs![0]!)).serialNumber.toLowerCase();
    const first = responderSerialOf((await responder.answer(request)).der);
    // Its own serial is assigned, so good (never asked in practice: id-pkix-ocsp-nocheck).
    expect(singleResponses((await responder.answer(ocspRequestDer(issuerDer(), [first]))).der).tbsResponseData.responses[0]!.certStatus.good).toBeNull();
    const [recorded] = await world.database.db.select().from(ocspResponders).where(eq(ocspResponders.serialNumber, first));
    expect(recorded!.notAfter.getTime() - recorded!.notBefore.getTime()).toBe(ocspPolicy.responderValidityMs);
    expect(await world.database.db.select({ reservedFor: certificateSerials.reservedFor }).from(certificateSerials).where(eq(certificateSerials.serialNumber, first))).toEqual([{ reservedFor: 'ocsp-responder' }]);
    const audit = await world.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, first)).orderBy(asc(auditLog.seq));
    expect(audit.map((a) => a.action)).toEqual(['certificate.signing', 'certificate.signed']);

    world.clock.set(new Date(recorded!.notAfter.getTime() - ocspPolicy.responderRenewBeforeMs - 1000));
    expect(responderSerialOf((await responder.answer(request)).der)).toBe(first);
    world.clock.advance(1000);
    const renewed = responderSerialOf((await responder.answer(request)).der);
    expect(renewed).not.toBe(first);
    const certificate = new X509Certificate(AsnConvert.serialize(singleResponses((await responder.answer(request)).der).certs![0]!));
    expect(await certificate.verify({ publicKey: world.ca.material.issuing, date: world.clock.now(), signatureOnly: true }, webCrypto)).toBe(true);
  });
});
