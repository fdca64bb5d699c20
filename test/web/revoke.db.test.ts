import 'reflect-metadata';
import { and, eq } from 'drizzle-orm';
import { X509Certificate, X509Crl } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalCertificateCode } from '../../src/domain/certificate-code.js';
import { hashCertificateCode } from '../../src/ra/find-renewable-certificates.js';
import { spkiSha256Hex } from '../../src/ca/weak-keys.js';
import { auditLog, certificates, compromisedKeys } from '../../src/store/schema/tables.js';
import { PortalClient } from '../support/portal-client.js';
import { createWorld, demoSubscriber, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

async function lookedUp(situation: string, password?: string): Promise<PortalClient> {
  const s = demoSubscriber(world, situation);
  const client = new PortalClient(world.app);
  await client.get('/revoke');
  await client.post('/revoke/search', { certificateCode: s.certificateCode, password: password ?? s.password });
  return client;
}

describe('revocation by the subscriber (certificate code + password)', () => {
  it('answers a wrong password and an unknown code alike', async () => {
    const wrong = await lookedUp('too-early', 'not-the-password-1');
    expect(wrong.lastRedirects).toEqual(['/revoke/not-found']);
    const client = new PortalClient(world.app);
    await client.get('/revoke');
    await client.post('/revoke/search', { certificateCode: 'ABCD-EFGH-JKMN-PQRS-TVWX', password: demoSubscriber(world, 'too-early').password });
    expect(client.lastRedirects).toEqual(['/revoke/not-found']);
    expect(client.lastHtml).toBe(wrong.lastHtml.replace(wrong.csrf(), client.csrf()));
  });

  it('asks for a reason and the acknowledgement, keeps the choice, then revokes: CRL, compromised key, audit', async () => {
    const s = demoSubscriber(world, 'too-early');
    const client = await lookedUp('too-early');
    expect(client.lastRedirects).toEqual(['/revoke/confirm']);
    const [row] = await world.database.db.select().from(certificates).where(eq(certificates.certificateCodeHash, hashCertificateCode(canonicalCertificateCode(s.certificateCode)!)));
    expect(client.lastHtml).toContain(row!.serialNumber.toUpperCase());

    await client.post('/revoke/confirm', { acknowledge: 'yes' });
    expect(client.lastHtml).toContain('失効の理由を選んでください');
    // A reason a subscriber may not give (a hold, the CA's own) counts as none.
    for (const reason of ['certificateHold', 'privilegeWithdrawn', 'cACompromise']) {
      await client.post('/revoke/confirm', { reason, acknowledge: 'yes' });
      expect(client.lastHtml).toContain('失効の理由を選んでください');
    }
    await client.post('/revoke/confirm', { reason: 'keyCompromise' });
    expect(client.lastHtml).toContain('「失効は取り消せないことを理解しました」にチェックを入れてください');
    expect(client.lastHtml).toMatch(/value="keyCompromise" checked/);
    await client.get('/revoke/confirm');
    expect(client.lastHtml).not.toContain('チェックを入れてください');

    await client.post('/revoke/confirm', { reason: 'keyCompromise', acknowledge: 'yes' });
    expect(client.lastRedirects).toEqual(['/revoke/done']);
    expect(client.lastHtml).toContain('証明書を失効させました');
    const [revoked] = await world.database.db.select().from(certificates).where(eq(certificates.id, row!.id));
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
    const keyHash = spkiSha256Hex(new Uint8Array(certificateSpki(revoked!.der)));
    expect(await world.database.db.select().from(compromisedKeys).where(eq(compromisedKeys.spkiSha256, keyHash))).toHaveLength(1);
    const [audit] = await world.database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, row!.id), eq(auditLog.action, 'certificate.revoked')));
    expect(audit?.actor).toBe(`subscriber:${row!.subscriberId}`);
    const crl = new X509Crl(new Uint8Array(await (await world.app.request('/pki/issuing-ca.crl')).arrayBuffer()));
    expect(crl.entries.map((e) => e.serialNumber.toLowerCase())).toContain(row!.serialNumber.toLowerCase());

    // Reload shows the done page; the same certificate named again says it is revoked, with no form.
    await client.get('/revoke/done');
    expect(client.lastHtml).toContain('証明書を失効させました');
    const later = await lookedUp('too-early');
    expect(later.lastHtml).toContain('失効済みです');
    expect(later.lastHtml).not.toContain('name="reason"');
  });

  it('shows an expired certificate as expired, a current one as valid (the console says the same)', async () => {
    const expired = await lookedUp('renewable-expired');
    expect(expired.lastHtml).toContain('<dd class="control">有効期限切れ</dd>');
    const current = await lookedUp('renewable-expiring');
    expect(current.lastHtml).toContain('<dd class="control">有効</dd>');
  });

  it('sends a visitor without a named certificate back to the start', async () => {
    const client = new PortalClient(world.app);
    for (const path of ['/revoke/confirm', '/revoke/done']) {
      await client.get(path);
      expect(client.lastRedirects).toEqual(['/revoke']);
    }
  });
});

function certificateSpki(der: Uint8Array): ArrayBuffer {
  return new X509Certificate(new Uint8Array(der)).publicKey.rawData;
}
