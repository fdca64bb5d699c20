import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BasicOCSPResponse, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { X509Certificate } from '@peculiar/x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOctetString } from '../../src/ca/der.js';
import { cryptoKeySigner } from '../../src/ca/keys/signer.js';
import {
  decodeOcspGetRequest,
  isForIssuer,
  ocspErrorResponse,
  ocspIssuerOf,
  ocspLimits,
  ocspOids,
  parseOcspRequest,
  serialNumberHexOf,
  signOcspResponse,
  type OcspSigningIdentity,
  type ParsedOcspRequest,
} from '../../src/ca/ocsp.js';
import { issueOcspResponderCertificate } from '../../src/ca/ocsp-responder-certificate.js';
import { randomSerialNumber } from '../../src/ca/serial-number.js';
import { keyIdentifierOf } from '../../src/ca/subject-key.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { crlReasonCodes } from '../../src/domain/revocation-reason.js';
import { FakeClock } from '../support/fake-clock.js';
import { fuzzSeedFrom } from '../support/fuzz-seed.js';
import { run } from '../support/interop.js';
import { nonceExtensionDer, ocspExtensionDer, ocspRequestDer } from '../support/ocsp-request.js';
import { hasOpenssl } from './ca-test-kit.js';
import { makePkiTestCa, type PkiTestCa } from './pki-test-kit.js';

/**
 * The OCSP codec against what openssl sends and reads. openssl checks a response's
 * dates and the responder certificate against the real clock, so the round trips sign
 * at the machine's time; the structure checks use fixed instants.
 */

const fixedNow = new Date('2026-11-27T00:00:00Z');
const machineNow = () => new Date();

let kit: PkiTestCa;
let responder: OcspSigningIdentity;

beforeAll(async () => {
  const now = machineNow();
  kit = await makePkiTestCa(new FakeClock(now), new Date(now.getTime() - 86_400_000));
  responder = await makeResponder(kit, now, new Date(now.getTime() + 30 * 86_400_000));
});
afterAll(async () => {
  await kit?.remove();
});

async function makeResponder(pki: PkiTestCa, now: Date, notAfter: Date): Promise<OcspSigningIdentity> {
  const keys = await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const spki = new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey));
  const der = await issueOcspResponderCertificate(pki.ca, { publicKey: spki, serialNumberHex: randomSerialNumber(), notBefore: new Date(now.getTime() - 60_000), notAfter }, now);
  return { certificateDer: der, keyHash: keyIdentifierOf(spki), signer: cryptoKeySigner(keys) };
}

const requestDer = (serials: readonly string[], extensions: readonly Uint8Array[] = []) => ocspRequestDer(kit.ca.issuing.rawData, serials, extensions);
const extensionDer = ocspExtensionDer;
const nonceExtension = nonceExtensionDer;

function parsed(der: Uint8Array): ParsedOcspRequest {
  const result = parseOcspRequest(der);
  if (!result.ok) throw new Error(`expected a request, got ${result.code}`);
  return result.value;
}

const serial = '4abcdef0123456789abcdef0123456789abcdef0';

describe(parseOcspRequest.name, () => {
  it.skipIf(!hasOpenssl)('reads what openssl sends: a SHA-1 CertID for the issuing CA, the serial, a 16-byte nonce', () => {
    const file = join(kit.dir, 'req.der');
    run('openssl', ['ocsp', '-issuer', kit.issuingPem, '-serial', `0x${serial}`, '-reqout', file]);
    const request = parsed(new Uint8Array(readFileSync(file)));
    expect(request.requests).toHaveLength(1);
    const [only] = request.requests;
    expect(only!.hashAlgorithmOid).toBe('1.3.14.3.2.26');
    expect(isForIssuer(only!, ocspIssuerOf(kit.ca.issuing.rawData))).toBe(true);
    expect(isForIssuer(only!, ocspIssuerOf(kit.ca.root.rawData))).toBe(false);
    expect(serialNumberHexOf(only!.serialNumber)).toBe(serial);
    expect(request.nonce).toHaveLength(18);
    expect(request.nonce![0]).toBe(0x04);
  });

  it.skipIf(!hasOpenssl)('recognises SHA-256 CertIDs too', () => {
    const file = join(kit.dir, 'req256.der');
    run('openssl', ['ocsp', '-sha256', '-issuer', kit.issuingPem, '-serial', `0x${serial}`, '-no_nonce', '-reqout', file]);
    const request = parsed(new Uint8Array(readFileSync(file)));
    expect(request.requests[0]!.hashAlgorithmOid).toBe('2.16.840.1.101.3.4.2.1');
    expect(isForIssuer(request.requests[0]!, ocspIssuerOf(kit.ca.issuing.rawData))).toBe(true);
    expect(request.nonce).toBeUndefined();
  });

  it('accepts nonces of 1 to 32 octets and refuses longer or empty ones (RFC 8954 2.1)', () => {
    expect(parsed(requestDer([serial], [nonceExtension(randomBytes(32))])).nonce).toHaveLength(34);
    expect(parsed(requestDer([serial], [nonceExtension(randomBytes(1))])).nonce).toHaveLength(3);
    expect(parseOcspRequest(requestDer([serial], [nonceExtension(randomBytes(33))]))).toEqual({ ok: false, code: 'ocsp.malformedRequest' });
    expect(parseOcspRequest(requestDer([serial], [nonceExtension(new Uint8Array(0))]))).toEqual({ ok: false, code: 'ocsp.malformedRequest' });
    // Older clients put the bare octets into extnValue: held to the same bound.
    expect(parsed(requestDer([serial], [extensionDer(ocspOids.nonce, Uint8Array.of(0xff, 1, 2))])).nonce).toEqual(Uint8Array.of(0xff, 1, 2));
    expect(parseOcspRequest(requestDer([serial], [extensionDer(ocspOids.nonce, new Uint8Array(40).fill(0xff))])).ok).toBe(false);
  });

  it('refuses two nonces, an unknown critical extension, no request and too many; ignores an unknown non-critical one', () => {
    const nonce = nonceExtension(randomBytes(16));
    expect(parseOcspRequest(requestDer([serial], [nonce, nonce])).ok).toBe(false);
    expect(parseOcspRequest(requestDer([serial], [extensionDer('1.2.3.4', Uint8Array.of(5, 0), true)])).ok).toBe(false);
    expect(parseOcspRequest(requestDer([serial], [extensionDer('1.2.3.4', Uint8Array.of(5, 0))])).ok).toBe(true);
    expect(parseOcspRequest(requestDer([])).ok).toBe(false);
    const many = Array.from({ length: ocspLimits.maxRequests + 1 }, (_, i) => `40${String(i).padStart(4, '0')}`);
    expect(parseOcspRequest(requestDer(many)).ok).toBe(false);
    expect(parsed(requestDer(many.slice(1))).requests).toHaveLength(ocspLimits.maxRequests);
  });

  it('answers malformedRequest, never an exception, to empty, oversized, truncated and trailing input', () => {
    const valid = requestDer([serial], [nonceExtension(randomBytes(16))]);
    const malformed = { ok: false, code: 'ocsp.malformedRequest' };
    expect(parseOcspRequest(new Uint8Array(0))).toEqual(malformed);
    expect(parseOcspRequest(new Uint8Array(ocspLimits.maxRequestBytes + 1))).toEqual(malformed);
    for (let length = 1; length < valid.length; length += 1) expect(parseOcspRequest(valid.subarray(0, length))).toEqual(malformed);
    expect(parseOcspRequest(Uint8Array.from([...valid, 0]))).toEqual(malformed);
    // Indefinite and absurd lengths, multi-byte tags, deep nesting.
    expect(parseOcspRequest(Uint8Array.of(0x30, 0x80, 0x00, 0x00))).toEqual(malformed);
    expect(parseOcspRequest(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff))).toEqual(malformed);
    expect(parseOcspRequest(Uint8Array.of(0x1f, 0x81, 0x01, 0x00))).toEqual(malformed);
    const deep = new Uint8Array(4000);
    for (let i = 0; i < deep.length; i += 2) [deep[i], deep[i + 1]] = [0x30, 0x81];
    expect(parseOcspRequest(deep)).toEqual(malformed);
  });

  it('never throws on random bytes or on any one byte of a valid request changed', () => {
    const valid = requestDer([serial, '4001'], [nonceExtension(randomBytes(16))]);
    const seed = fuzzSeedFrom(process.env['FUZZ_SEED']);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(typeof parseOcspRequest(bytes).ok).toBe('boolean');
      }),
      { seed, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 }), (index, value) => {
        const changed = Uint8Array.from(valid);
        changed[index] = value;
        expect(typeof parseOcspRequest(changed).ok).toBe('boolean');
      }),
      { seed, numRuns: 1000 },
    );
  });
});

describe(decodeOcspGetRequest.name, () => {
  it('reads the URL-encoded base64 of RFC 6960 A.1, and what clients send instead', () => {
    const der = requestDer([serial]);
    const base64 = Buffer.from(der).toString('base64');
    expect(decodeOcspGetRequest(encodeURIComponent(base64))).toEqual(der);
    expect(decodeOcspGetRequest(base64)).toEqual(der);
    expect(decodeOcspGetRequest(Buffer.from(der).toString('base64url'))).toEqual(der);
    expect(decodeOcspGetRequest(base64.replace(/=+$/, ''))).toEqual(der);
  });

  it('refuses what is not base64: undefined, never an exception', () => {
    const base64 = Buffer.from(requestDer([serial])).toString('base64');
    for (const bad of ['', '%', '%E0%A4%A', 'not base64!', '====', 'A', `${base64}<script>`, 'A'.repeat(4 * ocspLimits.maxRequestBytes + 4)]) {
      expect(decodeOcspGetRequest(bad)).toBeUndefined();
    }
  });
});

describe(serialNumberHexOf.name, () => {
  it('drops leading zero octets and refuses negative and over-long serials', () => {
    expect(serialNumberHexOf(Uint8Array.of(0x00, 0x80, 0x01))).toBe('8001');
    expect(serialNumberHexOf(Uint8Array.of(0x40))).toBe('40');
    expect(serialNumberHexOf(Uint8Array.of(0x80))).toBeUndefined();
    expect(serialNumberHexOf(new Uint8Array(21).fill(0x40))).toBeUndefined();
  });
});

describe(signOcspResponse.name, () => {
  it('writes a successful BasicOCSPResponse: responder by key, each CertID echoed, statuses, dates, nonce, the responder certificate', async () => {
    const nonce = encodeOctetString(randomBytes(16));
    const request = parsed(requestDer([serial, '4001', '4002'], [extensionDer(ocspOids.nonce, nonce)]));
    const revokedAt = new Date('2026-11-20T10:00:00Z');
    const nextUpdate = new Date('2026-12-01T00:00:00Z');
    const der = await signOcspResponse({
      responder,
      producedAt: fixedNow,
      answers: [
        { certIdDer: request.requests[0]!.certIdDer, status: { kind: 'good' }, thisUpdate: fixedNow, nextUpdate },
        { certIdDer: request.requests[1]!.certIdDer, status: { kind: 'revoked', revokedAt, reasonCode: crlReasonCodes.keyCompromise }, thisUpdate: fixedNow, nextUpdate },
        { certIdDer: request.requests[2]!.certIdDer, status: { kind: 'unknown' }, thisUpdate: fixedNow, nextUpdate },
      ],
      nonce: request.nonce,
    });
    const response = AsnConvert.parse(der, OCSPResponse);
    expect(response.responseStatus).toBe(OCSPResponseStatus.successful);
    expect(response.responseBytes?.responseType).toBe(ocspOids.basicResponse);
    const basic = AsnConvert.parse(response.responseBytes!.response, BasicOCSPResponse);
    const data = basic.tbsResponseData;
    expect(new Uint8Array(data.responderID.byKey!.buffer)).toEqual(responder.keyHash);
    expect(data.producedAt).toEqual(fixedNow);
    expect(data.responses.map((r) => new Uint8Array(AsnConvert.serialize(r.certID)))).toEqual(request.requests.map((r) => r.certIdDer));
    expect(data.responses[0]!.certStatus.good).toBeNull();
    expect(data.responses[1]!.certStatus.revoked?.revocationTime).toEqual(revokedAt);
    expect(data.responses[1]!.certStatus.revoked?.revocationReason?.reason).toBe(crlReasonCodes.keyCompromise);
    expect(data.responses[2]!.certStatus.unknown).toBeNull();
    expect(data.responses.every((r) => r.thisUpdate.getTime() === fixedNow.getTime() && r.nextUpdate?.getTime() === nextUpdate.getTime())).toBe(true);
    // RFC 8954: the nonce comes back exactly; S/MIME BR 7.3.2: no reasonCode among singleExtensions.
    expect(data.responseExtensions?.map((e) => [e.extnID, new Uint8Array(e.extnValue.buffer)])).toEqual([[ocspOids.nonce, nonce]]);
    expect(data.responses.every((r) => r.singleExtensions === undefined)).toBe(true);
    expect(basic.certs?.map((c) => new Uint8Array(AsnConvert.serialize(c)))).toEqual([responder.certificateDer]);
    // The signature over the exact tbsResponseData bytes verifies with the responder's key.
    const responderCertificate = new X509Certificate(responder.certificateDer.slice().buffer);
    const key = await responderCertificate.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], webCrypto);
    const rawSignature = ecdsaRawSignature(new Uint8Array(basic.signature));
    expect(await webCrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, rawSignature, new Uint8Array(AsnConvert.serialize(basic.tbsResponseData)))).toBe(true);
  });

  it('leaves the reason out for unspecified, and the extensions out without a nonce', async () => {
    const request = parsed(requestDer([serial]));
    const der = await signOcspResponse({
      responder,
      producedAt: fixedNow,
      answers: [{ certIdDer: request.requests[0]!.certIdDer, status: { kind: 'revoked', revokedAt: fixedNow, reasonCode: undefined }, thisUpdate: fixedNow, nextUpdate: new Date('2026-12-01T00:00:00Z') }],
      nonce: undefined,
    });
    const basic = AsnConvert.parse(AsnConvert.parse(der, OCSPResponse).responseBytes!.response, BasicOCSPResponse);
    expect(basic.tbsResponseData.responses[0]!.certStatus.revoked?.revocationReason).toBeUndefined();
    expect(basic.tbsResponseData.responseExtensions).toBeUndefined();
  });

  it.skipIf(!hasOpenssl)('is accepted by openssl ocsp: signature, delegated responder chain to the root, nonce, status and reason', async () => {
    const now = machineNow();
    const reqFile = join(kit.dir, 'rt-req.der');
    run('openssl', ['ocsp', '-issuer', kit.issuingPem, '-serial', `0x${serial}`, '-reqout', reqFile]);
    const request = parsed(new Uint8Array(readFileSync(reqFile)));
    const respFile = join(kit.dir, 'rt-resp.der');
    writeFileSync(
      respFile,
      await signOcspResponse({
        responder,
        producedAt: now,
        answers: [{ certIdDer: request.requests[0]!.certIdDer, status: { kind: 'revoked', revokedAt: new Date(now.getTime() - 3_600_000), reasonCode: crlReasonCodes.superseded }, thisUpdate: now, nextUpdate: new Date(now.getTime() + 4 * 86_400_000) }],
        nonce: request.nonce,
      }),
    );
    // With the request read back, openssl checks that its nonce came back…
    const verified = run('openssl', ['ocsp', '-reqin', reqFile, '-respin', respFile, '-verify_other', kit.issuingPem, '-CAfile', kit.rootPem]);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/Response verify OK/);
    expect(verified.stderr).not.toMatch(/nonce/i);
    // …and given the serial (a request of its own, without a nonce), it prints the status.
    const status = run('openssl', ['ocsp', '-respin', respFile, '-issuer', kit.issuingPem, '-serial', `0x${serial}`, '-no_nonce', '-CAfile', kit.rootPem]);
    expect(`${status.stdout}${status.stderr}`).toMatch(/Response verify OK/);
    expect(status.stdout).toMatch(new RegExp(`0x${serial}: revoked\\n[\\s\\S]*Reason: superseded`, 'i'));
  });
});

describe(ocspErrorResponse.name, () => {
  it('is the status alone (RFC 6960 4.2.1)', () => {
    expect(ocspErrorResponse('malformedRequest')).toEqual(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x01));
    expect(ocspErrorResponse('internalError')).toEqual(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x02));
    expect(ocspErrorResponse('unauthorized')).toEqual(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x06));
  });
});

/** Ecdsa-Sig-Value DER → the r‖s WebCrypto verifies (P-256: 32 octets each). */
function ecdsaRawSignature(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(64);
  let offset = 2;
  for (const half of [0, 1]) {
    const length = der[offset + 1]!;
    const value = der.subarray(offset + 2, offset + 2 + length);
    const trimmed = value.length > 32 ? value.subarray(value.length - 32) : value;
    out.set(trimmed, half * 32 + (32 - trimmed.length));
    offset += 2 + length;
  }
  return out;
}

