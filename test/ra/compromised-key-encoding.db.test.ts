import 'reflect-metadata';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeBitString, encodeDer, encodeSequence, encodeObjectIdentifier, readDerElement, readDerElements } from '../../src/ca/der.js';
import { issueCertificate, parseCsr } from '../../src/ca/issuer.js';
import { subscriberUrlsOf } from '../../src/ca/issuing-ca.js';
import { signingDepsOf, type CaDeps } from '../../src/ra/ca-signing.js';
import { revokeCertificate } from '../../src/ra/revoke-certificate.js';
import { insertCertificate } from '../../src/store/certificate-store.js';
import { subscribers } from '../../src/store/schema/tables.js';
import { createWorld, type World } from '../support/world.js';

let world: World;
let caDeps: CaDeps;
beforeAll(async () => {
  world = await createWorld({ now: new Date().toISOString() });
  caDeps = { db: world.database.db, clock: world.clock, log: world.log, ca: world.ca };
});
afterAll(async () => world?.close());

const name = encodeSequence([]); // empty subject is fine for the CSR (pickup ignores it)

/** SPKI of a P-256 key with the point compressed (02/03 || X) instead of 04 || X || Y. */
function compressedSpki(uncompressedSpki: Buffer): Uint8Array {
  const top = readDerElement(uncompressedSpki);
  const [alg, bits] = readDerElements(top.content);
  const point = bits!.content.subarray(1); // skip unused-bits octet
  const x = point.subarray(1, 33);
  const y = point.subarray(33, 65);
  const prefix = (y[31]! & 1) === 1 ? 0x03 : 0x02;
  return encodeSequence([alg!.raw, encodeBitString(Uint8Array.of(prefix, ...x))]);
}

function csrFor(spki: Uint8Array, privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']): Uint8Array {
  const info = encodeSequence([encodeDer(0x02, Uint8Array.of(0)), name, spki, encodeDer(0xa0, new Uint8Array(0))]);
  const sig = sign('sha256', info, { key: privateKey, dsaEncoding: 'der' });
  return encodeSequence([info, encodeSequence([encodeObjectIdentifier('1.2.840.10045.4.3.2')]), encodeBitString(new Uint8Array(sig))]);
}

it('refuses a key revoked for keyCompromise in every encoding of its point', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = world.clock.now();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + 365 * 86_400_000);
  const request = (pk: ArrayBuffer) => ({
    publicKey: pk,
    subject: { givenName: 'Taro', surname: 'Yamada', organizationName: 'Minato Seiki Co., Ltd.' },
    email: 'victim@example.jp',
    notBefore,
    notAfter,
    urls: subscriberUrlsOf(caDeps.ca.pkiBaseUrl),
  });

  // 1. certified normally, stored, revoked for keyCompromise.
  const first = await issueCertificate(signingDepsOf(caDeps, 'test:first'), request(new Uint8Array(spki).buffer));
  expect(first.ok).toBe(true);
  if (!first.ok) return;
  const [subscriber] = await caDeps.db.select({ id: subscribers.id }).from(subscribers).limit(1);
  const id = await insertCertificate(caDeps.db, {
    subscriberId: subscriber!.id, applicationId: null, renewsCertificateId: null, serialNumber: first.serialNumber,
    subjectDn: first.certificate.subject, email: 'victim@example.jp', notBefore, notAfter,
    certificateCodeHash: `attack-${first.serialNumber}`, der: new Uint8Array(first.der), createdAt: now,
  });
  const revoked = await revokeCertificate(caDeps, { certificateId: id, reason: 'keyCompromise', actor: 'cli', at: now });
  expect(revoked.ok).toBe(true);

  // 2. the same key, uncompressed: refused (control).
  const again = await issueCertificate(signingDepsOf(caDeps, 'test:again'), request(new Uint8Array(spki).buffer));
  expect(again.ok ? [] : again.problems.map((p) => p.code)).toEqual(['issuance.keyCompromised']);

  // 3. the same key, point compressed: the CSR is refused, and so is a direct request to the CA.
  const cspki = compressedSpki(spki);
  expect(createPublicKey({ key: Buffer.from(cspki), format: 'der', type: 'spki' }).export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
  expect(await parseCsr(csrFor(cspki, privateKey))).toEqual({ ok: false, code: 'csr.keyNotAllowed' });
  const bypass = await issueCertificate(signingDepsOf(caDeps, 'test:bypass'), request(new Uint8Array(cspki).buffer));
  expect(bypass.ok, 'compromised key certified again through an alternative SPKI encoding').toBe(false);
  // The profile refuses the compressed form (RFC 5480) before the key history is asked.
  expect(bypass.ok ? [] : bypass.problems.map((p) => p.code)).toEqual(['issuance.keyNotAllowed']);
});
