import 'reflect-metadata';
import { and, eq } from 'drizzle-orm';
import {
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Pkcs10CertificateRequestGenerator,
  SubjectAlternativeNameExtension,
  X509Certificate,
} from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate, parseCsr } from '../../src/ca/issuer.js';
import { floorToSecond, validityEnd } from '../../src/ca/profile.js';
import { spkiSha256Hex } from '../../src/ca/weak-keys.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { signingDepsOf } from '../../src/ra/ca-signing.js';
import { formatCouponNumber, makeCouponNumber } from '../../src/domain/input/registration.js';
import { deliverDueMail } from '../../src/mail/outbox.js';
import { approveApplication } from '../../src/ra/decide-application.js';
import { pickUpCertificate, PICKUP_CLAIM_STALE_MS, resendMailboxValue, signInForPickup } from '../../src/ra/pickup.js';
import { changeClaim } from '../../src/ra/review-application.js';
import { revokeCertificate } from '../../src/store/certificate-store.js';
import { insertCoupons } from '../../src/store/coupon-store.js';
import { applications, auditLog, certificates, certificateSerials, compromisedKeys, mailboxChallenges, operators, outboxMessages, pickupCredentials } from '../../src/store/schema/tables.js';
import { validForm } from '../domain/input/fixtures.js';
import { generateTestKeys, csrSigningAlgorithm, subscriberSubject, subscriberUrls, type TestKeyKind } from '../ca/ca-test-kit.js';
import { closePrimes, rocaPrimes, rsaKeysFromPrimes } from '../ca/weak-key-kit.js';
import { enrolOperator } from '../support/console.js';
import { isOnPostgresServer } from '../support/db.js';
import { formFields, PortalClient } from '../support/portal-client.js';
import { couponParts, createWorld, demoSubscriber, type World } from '../support/world.js';

let world: World;
let reviewerId: string;

beforeAll(async () => {
  world = await createWorld();
  const reviewer = await enrolOperator(world, 'reviewer@ca.example.jp', 'reviewer');
  const [row] = await world.database.db.select({ id: operators.id }).from(operators).where(eq(operators.email, reviewer.email));
  reviewerId = row!.id;
});
afterAll(async () => {
  await world?.close();
});

const HOUR = 60 * 60 * 1000;
const PASSWORD = 'Applicant-Pass-1';
let couponSeq = 0;
async function freshCoupon(): Promise<string> {
  const number = makeCouponNumber(`7${String(++couponSeq).padStart(14, '0')}`);
  await insertCoupons(world.database.db, [number], 'パートナーA', world.clock.now(), 'test');
  return formatCouponNumber(number);
}

async function approve(applicationId: string): Promise<string> {
  await changeClaim(world.ra, { applicationId, operatorId: reviewerId, action: 'claim' });
  const approved = await approveApplication(world.ra, { applicationId, operatorId: reviewerId, isVettingRedone: true });
  if (!approved.ok) throw new Error(approved.code);
  const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `application.approved:${applicationId}`));
  return /証明書コード: ([0-9A-Z-]{29})/.exec(mail!.text)![1]!;
}

/** A new application through the portal, final, approved: its certificate code. */
async function approvedApplication(email: string): Promise<{ code: string; applicationId: string }> {
  const client = new PortalClient(world.app);
  await client.get('/new');
  await client.post('/new/confirm', { ...validForm, email, ...couponParts(await freshCoupon()), applicationPassword: PASSWORD, applicationPasswordConfirm: PASSWORD });
  await client.post('/new/submit', { submissionKey: client.hidden('submissionKey') });
  const acceptanceNumber = /N\d{6}-\d{6}/.exec(client.lastHtml)![0];
  const [row] = await world.database.db.select({ id: applications.id }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
  world.clock.advance(HOUR);
  return { code: await approve(row!.id), applicationId: row!.id };
}

async function csrFor(kind: TestKeyKind, keys?: CryptoKeyPair): Promise<{ pem: string; keys: CryptoKeyPair }> {
  const pair = keys ?? (await generateTestKeys(kind));
  const csr = await Pkcs10CertificateRequestGenerator.create({ name: 'CN=ignored', keys: pair, signingAlgorithm: csrSigningAlgorithm(pair) }, webCrypto);
  return { pem: csr.toString('pem'), keys: pair };
}

async function signedIn(code: string, password = PASSWORD): Promise<PortalClient> {
  const client = new PortalClient(world.app);
  await client.get('/pickup');
  await client.post('/pickup/sign-in', { certificateCode: code, password });
  return client;
}

/** An approved application signed in for pickup, mailbox proven: what pickUpCertificate takes. */
async function readyCredential(email: string) {
  const { code, applicationId } = await approvedApplication(email);
  await signedIn(code);
  const [credential] = await world.database.db.select().from(pickupCredentials).where(eq(pickupCredentials.applicationId, applicationId));
  return { applicationId, credentialId: credential!.id };
}
const deps = () => ({ ...world.ra, ca: world.ca });

describe('pickup with a CSR of ones own (works without JavaScript)', () => {
  it('signs in, proves the mailbox with the code of a fresh mail, issues, and offers the certificate', async () => {
    const { code, applicationId } = await approvedApplication('pickup-upload@example.jp');
    const client = await signedIn(code.toLowerCase().replace(/-/g, ' '));
    expect(client.lastRedirects).toEqual(['/pickup/issue']);
    expect(client.lastHtml).toContain('CSR(PEM形式)');
    expect(client.lastHtml).toMatch(/<script src="\/static\/pickup.js" defer/);
    const [challenge] = await world.database.db.select().from(mailboxChallenges).where(eq(mailboxChallenges.applicationId, applicationId));
    expect(challenge).toMatchObject({ method: 'certificateCode', email: 'pickup-upload@example.jp', verifiedAt: world.clock.now() });

    const { pem, keys } = await csrFor('RSA-2048');
    await client.post('/pickup/issue', { csr: pem });
    expect(client.lastRedirects).toEqual(['/pickup/done']);
    expect(client.lastHtml).toContain('この証明書コードの証明書は発行済みです');

    const download = await client.get('/pickup/certificate.pem');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="certificate-[0-9A-F]{16}\.pem"$/);
    const certificate = new X509Certificate(await download.text());
    expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey)));
    expect(certificate.subject).toBe(`C=JP, O=${validForm.orgNameEn.replace(/,/g, '\\,')}, G=${validForm.firstNameEn}, SN=${validForm.lastNameEn}, CN=${validForm.firstNameEn} ${validForm.lastNameEn}`);
    expect(certificate.getExtension(SubjectAlternativeNameExtension)?.names.items.map((n) => n.value)).toEqual(['pickup-upload@example.jp']);
    expect(certificate.getExtension(KeyUsagesExtension)?.usages).toBe(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment);
    expect(certificate.getExtension(ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.2']);
    expect(await certificate.verify({ publicKey: world.ca.material.issuing, date: world.clock.now(), signatureOnly: true }, webCrypto)).toBe(true);
    const der = await client.get('/pickup/certificate.cer');
    expect(new Uint8Array(await der.arrayBuffer())).toEqual(new Uint8Array(certificate.rawData));
    const chain = await (await client.get('/pickup/chain.pem')).text();
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    // The books: the application is issued, the serial reserved, the signature audited, the mail queued.
    const [application] = await world.database.db.select({ state: applications.state }).from(applications).where(eq(applications.id, applicationId));
    expect(application?.state).toBe('issued');
    const serial = certificate.serialNumber.toLowerCase();
    expect(await world.database.db.select().from(certificateSerials).where(eq(certificateSerials.serialNumber, serial))).toHaveLength(1);
    const audit = await world.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, serial));
    expect(audit.map((a) => a.action)).toEqual(['certificate.signing', 'certificate.signed']);
    const [issuedMail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `certificate.issued:${applicationId}`));
    expect(issuedMail?.text).toContain(serial);
  });

  it('picks up once: the code then downloads the certificate alone, and a second CSR issues nothing', async () => {
    const { code, applicationId } = await approvedApplication('pickup-once@example.jp');
    const first = await signedIn(code);
    await first.post('/pickup/issue', { csr: (await csrFor('P-256')).pem });
    expect(first.lastRedirects).toEqual(['/pickup/done']);

    const again = await signedIn(code);
    expect(again.lastRedirects).toEqual(['/pickup/done']);
    expect(again.lastHtml).toContain('秘密鍵を含まない証明書のファイルをダウンロードできます');
    await again.post('/pickup/issue', { csr: (await csrFor('P-256')).pem });
    expect(again.lastRedirects).toEqual(['/pickup/done']);
    expect(await world.database.db.select().from(certificates).where(eq(certificates.applicationId, applicationId))).toHaveLength(1);

    // A wrong password says nothing of the code, used or not.
    const stranger = await signedIn(code, 'wrong-password-9');
    expect(stranger.lastRedirects).toEqual(['/pickup/not-found']);
    expect(stranger.lastHtml).toContain('証明書コードまたは申請パスワードに誤りがあります');
  });

  it('reads a CSR file, and answers a bad CSR with the reason, keeping the code usable', async () => {
    const { code } = await approvedApplication('pickup-bad-csr@example.jp');
    const client = await signedIn(code);
    await client.post('/pickup/issue', { csr: '' });
    expect(client.lastHtml).toContain('CSRを貼り付けるか、CSRファイルを選択してください');
    await client.post('/pickup/issue', { csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' });
    expect(client.lastHtml).toContain('CSRを読み取れませんでした');
    await client.post('/pickup/issue', { csr: (await csrFor('RSA-1024')).pem });
    expect(client.lastHtml).toContain('この種類の鍵には証明書を発行できません');
    const { pem } = await csrFor('P-256');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der.writeUInt8(der.readUInt8(der.length - 5) ^ 0x01, der.length - 5);
    await client.post('/pickup/issue', { csr: `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----` });
    expect(client.lastHtml).toContain('CSRの署名を検証できませんでした');
    // Reload after a refusal shows the plain page (the notice was said once).
    await client.get('/pickup/issue');
    expect(client.lastHtml).not.toContain('CSRの署名を検証できませんでした');

    // A private key pasted along with the request is named, and nothing is issued.
    await client.post('/pickup/issue', { csr: `${(await csrFor('P-256')).pem}\n-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n` });
    expect(client.lastHtml).toContain('秘密鍵が含まれていたため');
    await client.post('/pickup/issue', {}, { files: { csrFile: { name: 'request.csr', content: (await csrFor('P-384')).pem } } });
    expect(client.lastRedirects).toEqual(['/pickup/done']);
  });

  it('reads a DER CSR file (.p10, .req) byte for byte', async () => {
    const { code } = await approvedApplication('pickup-der-csr@example.jp');
    const client = await signedIn(code);
    const { pem, keys } = await csrFor('P-256');
    const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
    await client.post('/pickup/issue', {}, { files: { csrFile: { name: 'request.p10', content: der } } });
    expect(client.lastRedirects).toEqual(['/pickup/done']);
    const certificate = new X509Certificate(await (await client.get('/pickup/certificate.pem')).text());
    expect(new Uint8Array(certificate.publicKey.rawData)).toEqual(new Uint8Array(await webCrypto.subtle.exportKey('spki', keys.publicKey)));
  });
});

describe('pickup from the page script (JSON)', () => {
  it('answers the CSR with the certificate and the chain, and later attempts with "picked up"', async () => {
    const { code } = await approvedApplication('pickup-json@example.jp');
    const client = await signedIn(code);
    const json = { accept: 'application/json' };
    const csrf = client.csrf();
    const { pem, keys } = await csrFor('P-256');
    const res = await client.post('/pickup/issue', { csr: pem }, { headers: json, files: {}, csrf });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { certificate: string; chain: string[]; serialNumber: string; fileName: string };
    const certificate = new X509Certificate(Buffer.from(body.certificate, 'base64'));
    expect(certificate.serialNumber.toLowerCase()).toBe(body.serialNumber);
    expect(body.chain.map((c) => new X509Certificate(Buffer.from(c, 'base64')).subject)).toEqual([world.ca.material.issuing.subject, world.ca.material.root.subject]);
    expect(body.fileName).toBe(`certificate-${body.serialNumber.slice(0, 16).toUpperCase()}`);

    const retry = await client.post('/pickup/issue', { csr: (await csrFor('P-256')).pem }, { headers: json, files: {}, csrf });
    expect(retry.status).toBe(409);
    expect(await retry.json()).toMatchObject({ code: 'pickedUp' });
    // The script lost its answer and asks again with the same key: the same certificate comes back, nothing new is signed.
    const again = await client.post('/pickup/issue', { csr: (await csrFor('P-256', keys)).pem }, { headers: json, files: {}, csrf });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
  });

  it('answers a refusal in JSON, in the page language', async () => {
    const { code } = await approvedApplication('pickup-json-bad@example.jp');
    const client = await signedIn(code);
    client.cookies.set('lang', 'en');
    const res = await client.post('/pickup/issue', { csr: 'not a csr' }, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ code: 'csrMalformed', error: expect.stringContaining('The CSR could not be read') });
  });
});

describe('mailbox control (S/MIME BR 3.2.2.1)', () => {
  /** The value of the nth one-time value mailed for the application, as the mail says it. */
  async function mailboxValueOf(applicationId: string, nth = 0): Promise<string> {
    const sent = await world.database.db
      .select({ id: mailboxChallenges.id })
      .from(mailboxChallenges)
      .where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.method, 'oneTimeValue')))
      .orderBy(mailboxChallenges.seq);
    const [mail] = await world.database.db.select({ text: outboxMessages.textBody }).from(outboxMessages).where(eq(outboxMessages.dedupeKey, `pickup.mailboxValue:${sent[nth]!.id}`));
    return /確認コード: ([0-9A-Z-]{29})/.exec(mail!.text)![1]!;
  }

  it('mails a fresh value when the code comes back more than 24 hours after its mail', async () => {
    const { code, applicationId } = await approvedApplication('pickup-late@example.jp');
    world.clock.advance(24 * HOUR + 1000);
    const client = await signedIn(code);
    expect(client.lastRedirects).toEqual(['/pickup/mailbox']);
    expect(client.lastHtml).toContain('pi***@example.jp 宛に「メールアドレス確認コードのお知らせ」メールをお送りしました');
    const value = await mailboxValueOf(applicationId);
    expect(value).not.toBe(code);

    // The certificate code is not the value; a wrong value counts.
    await client.post('/pickup/mailbox', { mailboxValue: code });
    expect(client.lastHtml).toContain('確認コードが違います');
    await client.get('/pickup/issue');
    expect(client.lastRedirects).toEqual(['/pickup/mailbox']);

    await client.post('/pickup/mailbox', { mailboxValue: value.toLowerCase() });
    expect(client.lastRedirects).toEqual(['/pickup/issue']);
    const [verified] = await world.database.db.select().from(mailboxChallenges).where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.method, 'oneTimeValue')));
    expect(verified?.verifiedAt).toEqual(world.clock.now());
    expect(verified?.valueHash).not.toContain(value.replace(/-/g, ''));

    // Within 30 days the verification stands: signing in again goes straight to the key.
    world.clock.advance(27 * 24 * HOUR);
    const later = await signedIn(code);
    expect(later.lastRedirects).toEqual(['/pickup/issue']);
  });

  it('lets a value expire after 24 hours, voids it after five wrong tries, and sends at most five a day', async () => {
    const { code, applicationId } = await approvedApplication('pickup-values@example.jp');
    world.clock.advance(25 * HOUR);
    await signedIn(code);
    // A day later the first value has expired: signing in again mails a new one, and only that one counts.
    world.clock.advance(24 * HOUR + 60_000);
    const client = await signedIn(code);
    expect(client.lastHtml).toContain('メールをお送りしました');
    await client.post('/pickup/mailbox', { mailboxValue: await mailboxValueOf(applicationId, 0) });
    expect(client.lastHtml).toContain('確認コードが違います');

    for (let i = 0; i < 3; i++) await client.post('/pickup/mailbox', { mailboxValue: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' });
    expect(client.lastHtml).toContain('確認コードが違います');
    await client.post('/pickup/mailbox', { mailboxValue: 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA' });
    expect(client.lastHtml).toContain('この確認コードは使えなくなりました');
    await client.post('/pickup/mailbox', { mailboxValue: await mailboxValueOf(applicationId, 1) });
    expect(client.lastHtml).toContain('この確認コードは使えなくなりました');

    // One a minute: a second resend right away sends nothing.
    await client.post('/pickup/mailbox/resend', {});
    expect(client.lastHtml).toContain('確認コードは1分以内にお送りしたばかりです');
    // Values 2–5 of this day (value 0 was yesterday's), then the limit.
    for (let i = 0; i < 4; i++) {
      world.clock.advance(61_000);
      await client.post('/pickup/mailbox/resend', {});
      expect(client.lastHtml).toContain('新しい確認コードをお送りしました');
    }
    world.clock.advance(61_000);
    await client.post('/pickup/mailbox/resend', {});
    expect(client.lastHtml).toContain('本日お送りできる確認コードの上限に達しました');
    // The newest value works; an older one does not.
    await client.post('/pickup/mailbox', { mailboxValue: await mailboxValueOf(applicationId, 4) });
    expect(client.lastHtml).toContain('確認コードが違います');
    await client.post('/pickup/mailbox', { mailboxValue: await mailboxValueOf(applicationId, 5) });
    expect(client.lastRedirects).toEqual(['/pickup/issue']);
  });

  it('keeps no value in the clear: only a hash in the table, and the mail redacted once it is sent', async () => {
    const { code, applicationId } = await approvedApplication('pickup-redacted@example.jp');
    world.clock.advance(25 * HOUR);
    await signedIn(code);
    const value = await mailboxValueOf(applicationId);
    expect(JSON.stringify(await world.database.db.select().from(mailboxChallenges))).not.toContain(value.replace(/-/g, ''));
    const sentTo: string[] = [];
    const sender = { db: world.database.db, clock: world.clock, log: world.log, from: 'certdesk <no-reply@example.jp>', transport: { send: (mail: { text: string }) => Promise.resolve({ messageId: `<${sentTo.push(mail.text)}@test>` }) } };
    while ((await deliverDueMail(sender)).sent > 0);
    expect(sentTo.some((text) => text.includes(value))).toBe(true);
    const stored = JSON.stringify(await world.database.db.select({ text: outboxMessages.textBody, html: outboxMessages.htmlBody }).from(outboxMessages));
    expect(stored).not.toContain(value);
    expect(stored).not.toContain(code);
    expect(stored).toContain('確認コード: ****-****-****-****-****-****');
  });
});

describe(`limits under a burst (${isOnPostgresServer() ? 'PostgreSQL server, truly parallel' : 'PGlite, serialised'})`, () => {
  const BURST = 40;

  it('records at most five wrong passwords for a code, however many arrive at once', async () => {
    const { code, applicationId } = await approvedApplication('pickup-burst@example.jp');
    // Each guess from its own network, so only the code's own limit stands in the way.
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) => signInForPickup(world.ra, { certificateCode: code, password: `wrong-password-${i}`, clientKey: `198.51.100.${i}`, networkKey: `198.51.100.${i}` })),
    );
    expect(answers.every((a) => !a.ok)).toBe(true);
    const [credential] = await world.database.db.select().from(pickupCredentials).where(eq(pickupCredentials.applicationId, applicationId));
    expect(credential?.failedAttempts).toBe(5);
    const wrong = await world.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, applicationId), eq(auditLog.action, 'pickup.wrongPassword')));
    expect(wrong).toHaveLength(5);
    expect((await signInForPickup(world.ra, { certificateCode: code, password: PASSWORD, clientKey: '192.0.2.1', networkKey: '192.0.2.1' })).ok ? '' : 'refused').toBe('refused');
  });

  it('lets at most five failures of one network through the lookup limit at once, and a right password costs nothing', async () => {
    const { code, applicationId } = await approvedApplication('pickup-burst-network@example.jp');
    const network = '2001:db8:40::';
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) => signInForPickup(world.ra, { certificateCode: `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`, password: PASSWORD, clientKey: `${network}${i}`, networkKey: network })),
    );
    expect(answers.filter((a) => !a.ok && a.code === 'pickup.notFound')).toHaveLength(5);
    expect(answers.filter((a) => !a.ok && a.code === 'pickup.rateLimited')).toHaveLength(BURST - 5);
    // The owner, from a network of their own, signs in; repeatedly, since success is no failure.
    for (let i = 0; i < 6; i++) expect((await signInForPickup(world.ra, { certificateCode: code, password: PASSWORD, clientKey: '203.0.113.9', networkKey: '203.0.113.9' })).ok).toBe(true);
    const [credential] = await world.database.db.select().from(pickupCredentials).where(eq(pickupCredentials.applicationId, applicationId));
    expect(credential?.failedAttempts).toBe(0);
  });

  it('mails one value for a burst of resends', async () => {
    const { code, applicationId } = await approvedApplication('pickup-burst-resend@example.jp');
    world.clock.advance(25 * HOUR);
    await signedIn(code);
    world.clock.advance(61_000);
    const answers = await Promise.all(Array.from({ length: BURST }, () => resendMailboxValue(world.ra, applicationId)));
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    const values = await world.database.db.select().from(mailboxChallenges).where(and(eq(mailboxChallenges.applicationId, applicationId), eq(mailboxChallenges.method, 'oneTimeValue')));
    expect(values).toHaveLength(2);
    const mails = await world.database.db.select().from(outboxMessages).where(eq(outboxMessages.template, 'pickup.mailboxValue'));
    expect(mails.filter((m) => values.some((v) => m.dedupeKey === `pickup.mailboxValue:${v.id}`))).toHaveLength(2);
  });
});

describe('issuance, as the RA sees it', () => {

  it(`signs once for two pickups racing with one code (${isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised'})`, async () => {
    const ids = await readyCredential('pickup-race@example.jp');
    const [a, b] = await Promise.all([pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem }), pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem })]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const loser = a.ok ? b : a;
    expect(loser.ok ? '' : loser.code).toMatch(/^pickup\.(busy|used)$/);
    expect(await world.database.db.select().from(certificates).where(eq(certificates.applicationId, ids.applicationId))).toHaveLength(1);
  });

  it('takes over a claim left by a pickup that died mid-signature, once it is stale', async () => {
    const ids = await readyCredential('pickup-stale@example.jp');
    await world.database.db.update(pickupCredentials).set({ issuingSince: world.clock.now() }).where(eq(pickupCredentials.id, ids.credentialId));
    expect(await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem })).toMatchObject({ ok: false, code: 'pickup.busy' });
    world.clock.advance(PICKUP_CLAIM_STALE_MS + 1000);
    expect((await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem })).ok).toBe(true);
  });

  it('releases the claim when the CA refuses, so the subscriber can try again', async () => {
    const ids = await readyCredential('pickup-refused@example.jp');
    const issuing = world.ca.material.issuing;
    // An issuing CA that ends in a month cannot hold a one-year certificate.
    const endsSoon = new Date(world.clock.now().getTime() + 30 * 24 * HOUR);
    const ending = new Proxy(issuing, { get: (target, property) => (property === 'notAfter' ? endsSoon : Reflect.get(target, property, target)) });
    const refused = await pickUpCertificate({ ...world.ra, ca: { ...world.ca, material: { ...world.ca.material, issuing: ending } } }, { ...ids, csr: (await csrFor('P-256')).pem });
    expect(refused).toMatchObject({ ok: false, code: 'pickup.refusedByCa', problems: [{ code: 'issuance.outsideIssuerValidity' }] });
    const [credential] = await world.database.db.select().from(pickupCredentials).where(eq(pickupCredentials.id, ids.credentialId));
    expect(credential).toMatchObject({ issuingSince: null, usedAt: null });
    expect((await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem })).ok).toBe(true);
  });
});

describe('keys the CA refuses, and answers that must not be lost', () => {
  const spkiHashOf = async (keys: CryptoKeyPair) => spkiSha256Hex(await webCrypto.subtle.exportKey('spki', keys.publicKey));
  const serialsFor = (applicationId: string) => world.database.db.select().from(certificateSerials).where(eq(certificateSerials.reservedFor, `application:${applicationId}`));

  it('refuses weak keys (ROCA, close primes) and a key reported compromised, and lets the subscriber try another', async () => {
    const ids = await readyCredential('pickup-weak@example.jp');
    const roca = await rsaKeysFromPrimes(...rocaPrimes(2048));
    const close = await rsaKeysFromPrimes(...closePrimes(1024));
    const compromised = await generateTestKeys('P-256');
    await world.database.db.insert(compromisedKeys).values({ spkiSha256: await spkiHashOf(compromised), reason: 'keyCompromise', recordedAt: world.clock.now(), source: 'test' });
    for (const [keys, code] of [[roca, 'issuance.keyWeak'], [close, 'issuance.keyWeak'], [compromised, 'issuance.keyCompromised']] as const) {
      const refused = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256', keys)).pem });
      expect(refused).toMatchObject({ ok: false, code: 'pickup.keyRefused', problems: [{ code }] });
    }
    expect(await serialsFor(ids.applicationId)).toHaveLength(0);
    const issued = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem });
    expect(issued.ok).toBe(true);
    const [stored] = await world.database.db.select().from(certificates).where(eq(certificates.applicationId, ids.applicationId));
    expect(stored?.spkiSha256).toBe(spkiSha256Hex(new X509Certificate(new Uint8Array(stored!.der)).publicKey.rawData));
  });

  it('says why on the upload page when the key is refused', async () => {
    const { code } = await approvedApplication('pickup-weak-page@example.jp');
    const client = await signedIn(code);
    await client.post('/pickup/issue', { csr: (await csrFor('P-256', await rsaKeysFromPrimes(...closePrimes(1024)))).pem });
    expect(client.lastRedirects).toEqual(['/pickup/issue']);
    expect(client.lastHtml).toContain('安全でないことが知られている鍵');
  });

  it('answers a used code again with its certificate when the CSR carries the same key (the first answer was lost)', async () => {
    const ids = await readyCredential('pickup-again@example.jp');
    const { pem, keys } = await csrFor('P-256');
    const first = await pickUpCertificate(deps(), { ...ids, csr: pem });
    const again = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256', keys)).pem });
    expect(again.ok && first.ok && again.value.certificateId === first.value.certificateId).toBe(true);
    expect(await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem })).toMatchObject({ ok: false, code: 'pickup.used' });
    expect(await serialsFor(ids.applicationId)).toHaveLength(1);
  });

  it('keeps the claim when the CA fails after its signature, so no second certificate is signed meanwhile', async () => {
    const ids = await readyCredential('pickup-after-signature@example.jp');
    const signer = world.ca.material.issuingSigner;
    // A signature that does not verify: the CA stops after signing (and after recording what it signed).
    const spoiled = { ...signer, sign: async (data: ArrayBuffer) => new Uint8Array(await signer.sign(data)).map((b, i) => (i === 0 ? b ^ 1 : b)).buffer };
    const { pem, keys } = await csrFor('P-256');
    await expect(pickUpCertificate({ ...world.ra, ca: { ...world.ca, material: { ...world.ca.material, issuingSigner: spoiled } } }, { ...ids, csr: pem })).rejects.toThrow(/does not verify/);
    expect(await pickUpCertificate(deps(), { ...ids, csr: pem })).toMatchObject({ ok: false, code: 'pickup.busy' });
    const [signed] = await serialsFor(ids.applicationId);
    expect(signed?.der).not.toBeNull();
    // Once the claim is stale the next pickup signs anew: the spoiled certificate is never delivered, but recorded as superseded.
    world.clock.advance(PICKUP_CLAIM_STALE_MS + 1000);
    const issued = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256', keys)).pem });
    expect(issued.ok && issued.value.certificate.serialNumber).not.toBe(signed?.serialNumber);
    const [superseded] = await world.database.db.select().from(certificates).where(eq(certificates.serialNumber, signed!.serialNumber));
    expect(superseded).toMatchObject({ status: 'revoked', revocationReason: 'superseded', applicationId: null });
  });

  /** What a pickup that died between the signature and its storing transaction leaves: its claim, and the signed certificate. */
  async function deadPickup(email: string) {
    const ids = await readyCredential(email);
    const { pem, keys } = await csrFor('P-256');
    await world.database.db.update(pickupCredentials).set({ issuingSince: world.clock.now() }).where(eq(pickupCredentials.id, ids.credentialId));
    const parsed = await parseCsr(pem);
    if (!parsed.ok) throw new Error(parsed.code);
    const orphan = await issueCertificate(signingDepsOf(deps(), `application:${ids.applicationId}`), {
      publicKey: parsed.value.publicKey,
      subject: subscriberSubject,
      email,
      notBefore: floorToSecond(world.clock.now()),
      notAfter: validityEnd(floorToSecond(world.clock.now()), 365),
      urls: subscriberUrls,
    });
    if (!orphan.ok) throw new Error('refused');
    return { ids, keys, orphan, publicKey: parsed.value.publicKey };
  }

  it('delivers the certificate a pickup that died after signing left behind, to the same key; another key gets a new one and the old is superseded', async () => {
    for (const sameKey of [true, false]) {
      const { ids, keys, orphan } = await deadPickup(`pickup-orphan-${String(sameKey)}@example.jp`);
      world.clock.advance(PICKUP_CLAIM_STALE_MS + 1000);
      const retry = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256', sameKey ? keys : undefined)).pem });
      if (!retry.ok) throw new Error(retry.code);
      expect(retry.value.certificate.serialNumber === orphan.serialNumber).toBe(sameKey);
      expect(await serialsFor(ids.applicationId)).toHaveLength(sameKey ? 1 : 2);
      const [old] = await world.database.db.select().from(certificates).where(eq(certificates.serialNumber, orphan.serialNumber));
      expect(old?.status).toBe(sameKey ? 'valid' : 'revoked');
    }
  });

  it('does not deliver what a dead pickup left behind once its key was reported compromised', async () => {
    const { ids, keys, orphan, publicKey } = await deadPickup('pickup-orphan-compromised@example.jp');
    await world.database.db.insert(compromisedKeys).values({ spkiSha256: spkiSha256Hex(publicKey), reason: 'keyCompromise', recordedAt: world.clock.now(), source: 'test' });
    world.clock.advance(PICKUP_CLAIM_STALE_MS + 1000);
    const retry = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256', keys)).pem });
    expect(retry.ok ? 'delivered' : retry.code).toBe('pickup.keyRefused');
    // On record as revoked, so the CRL and OCSP say so; never delivered.
    const [row] = await world.database.db.select().from(certificates).where(eq(certificates.serialNumber, orphan.serialNumber));
    expect(row).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise', applicationId: null });
  });

  it('records as revoked, and does not deliver, a certificate whose key was reported compromised while it was signed', async () => {
    const ids = await readyCredential('pickup-compromised-meanwhile@example.jp');
    const { pem } = await csrFor('P-256');
    const parsed = await parseCsr(pem);
    if (!parsed.ok) throw new Error(parsed.code);
    // The revocation commits while the CA signs: after the reservation looked, before the pickup stores.
    const signer = world.ca.material.issuingSigner;
    const reporting = {
      ...world.ca,
      material: {
        ...world.ca.material,
        issuingSigner: {
          ...signer,
          sign: async (data: ArrayBuffer) => {
            await world.database.db.insert(compromisedKeys).values({ spkiSha256: spkiSha256Hex(parsed.value.publicKey), reason: 'keyCompromise', recordedAt: world.clock.now(), source: 'test' });
            return signer.sign(data);
          },
        },
      },
    };
    const outcome = await pickUpCertificate({ ...world.ra, ca: reporting }, { ...ids, csr: pem });
    expect(outcome.ok ? 'delivered' : outcome.code).toBe('pickup.keyRefused');
    const rows = await world.database.db.select().from(certificates).where(eq(certificates.email, 'pickup-compromised-meanwhile@example.jp'));
    expect(rows.map((row) => [row.status, row.revocationReason, row.applicationId])).toEqual([['revoked', 'keyCompromise', null]]);
    // The claim is given back: another key may be picked up with the same code.
    const again = await pickUpCertificate(deps(), { ...ids, csr: (await csrFor('P-256')).pem });
    expect(again.ok).toBe(true);
  });
});

describe('renewal pickup', () => {
  async function approvedRenewal(situation: string): Promise<{ code: string; applicationId: string; renews: string; password: string }> {
    const s = demoSubscriber(world, situation);
    const client = new PortalClient(world.app);
    await client.get('/renew');
    await client.post('/renew/search', { email: s.email, password: s.password, certificateCode: s.certificateCode });
    await client.post('/renew/select', { certificateId: client.hidden('certificateId') });
    await client.post('/renew/confirm', { ...formFields(client.lastHtml), ...couponParts(await freshCoupon()) });
    await client.post('/renew/submit', { submissionKey: client.hidden('submissionKey') });
    const acceptanceNumber = /U\d{6}-\d{6}/.exec(client.lastHtml)![0];
    const [row] = await world.database.db.select({ id: applications.id, renews: applications.renewsCertificateId }).from(applications).where(eq(applications.acceptanceNumber, acceptanceNumber));
    world.clock.advance(HOUR);
    return { code: await approve(row!.id), applicationId: row!.id, renews: row!.renews!, password: s.password };
  }

  it('links the new certificate to the one it renews, which stays valid', async () => {
    const { code, applicationId, renews, password } = await approvedRenewal('renewable-expiring');
    const client = await signedIn(code, password);
    await client.post('/pickup/issue', { csr: (await csrFor('P-256')).pem });
    expect(client.lastRedirects).toEqual(['/pickup/done']);
    const [issued] = await world.database.db.select().from(certificates).where(eq(certificates.applicationId, applicationId));
    expect(issued?.renewsCertificateId).toBe(renews);
    const [old] = await world.database.db.select().from(certificates).where(eq(certificates.id, renews));
    // The old certificate is not touched: it stays valid until its own notAfter.
    expect(old).toMatchObject({ status: 'valid', revokedAt: null });
  });

  it('checks the window again at issuance: a certificate revoked since approval is not renewed', async () => {
    const { code, renews, password } = await approvedRenewal('renewable-expired');
    await revokeCertificate(world.database.db, renews, world.clock.now(), 'keyCompromise');
    const client = await signedIn(code, password);
    await client.post('/pickup/issue', { csr: (await csrFor('P-256')).pem });
    expect(client.lastHtml).toContain('更新元の証明書が失効しているか');
  });
});

describe('pickup pages without a pickup', () => {
  it('send a visitor without a signed-in pickup back to the start', async () => {
    const client = new PortalClient(world.app);
    for (const path of ['/pickup/issue', '/pickup/mailbox', '/pickup/done', '/pickup/certificate.pem']) {
      await client.get(path);
      expect(client.lastRedirects).toEqual(['/pickup']);
    }
  });

  it('say "expired" and "locked" only to the code and password holder', async () => {
    const { code } = await approvedApplication('pickup-expired@example.jp');
    world.clock.advance(30 * 24 * HOUR);
    expect((await signedIn(code, 'wrong-password-1')).lastRedirects).toEqual(['/pickup/not-found']);
    expect((await signedIn(code)).lastRedirects).toEqual(['/pickup/expired']);
    const locked = await approvedApplication('pickup-locked@example.jp');
    for (let i = 0; i < 4; i++) expect((await signedIn(locked.code, `wrong-password-${i}`)).lastRedirects).toEqual(['/pickup/not-found']);
    expect((await signedIn(locked.code, 'wrong-password-5')).lastRedirects).toEqual(['/pickup/locked']);
    expect((await signedIn(locked.code)).lastHtml).toContain('この証明書コードはロックされました');
  });
});
