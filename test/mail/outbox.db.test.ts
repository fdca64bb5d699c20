import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverMailJob } from '../../src/jobs/deliver-mail.js';
import {
  MAX_DELIVERY_ATTEMPTS,
  OUTBOX_ID_HEADER,
  OUTBOX_LEASE_MS,
  RETRY_MAX_DELAY_MS,
  deliverDueMail,
  enqueueMail,
  retryDelayMs,
  type DeliverMailDeps,
  type MailTransport,
} from '../../src/mail/outbox.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import { renderMail, type MailContext, type MailMessage } from '../../src/mail/templates/render-mail.js';
import { claimDueMessages, findOutboxMessage, insertOutboxMessage, listOutbox } from '../../src/store/outbox-store.js';
import { outboxMessages } from '../../src/store/schema/tables.js';
import { mailViewerRoutes } from '../../src/web/dev/mail-viewer.js';
import type { Lang, WebEnv } from '../../src/web/env.js';
import { createTestDatabase, isOnPostgresServer, type TestDatabase } from '../support/db.js';
import { FakeClock } from '../support/fake-clock.js';
import { testSite } from '../support/site.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';

const START = '2026-11-27T08:06:00Z';
const FROM = 'certdesk <no-reply@certdesk.test>';
const context: MailContext = { site: testSite(), lang: 'ja' };

let database: TestDatabase;
const receiver = new SmtpReceiver();
const clock = new FakeClock(START);
const logLines: string[] = [];
const log = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  }),
);

/** A sender as a freshly started process builds it: its own transport. */
const sender = (transport: MailTransport = smtpTransport(receiver.url)): DeliverMailDeps => ({ db: database.db, clock, log, transport, from: FROM });

const provisional = (acceptanceNumber: string, name = '試験 太郎'): MailMessage => ({
  template: 'application.provisional',
  kind: 'renewal',
  recipient: { organisation: '株式会社試験', department: '総務部', name },
  acceptanceNumber,
  provisionalAt: clock.now(),
  finalAt: new Date(clock.now().getTime() + 3_600_000),
  cancelUrl: 'https://portal.example.jp/cancel/link/token',
});

async function enqueue(n: number, to = 'taro@example.jp'): Promise<void> {
  const acceptanceNumber = `U261127-${String(n).padStart(6, '0')}`;
  await enqueueMail(database.db, { dedupeKey: `application.provisional:${acceptanceNumber}`, to, message: provisional(acceptanceNumber), context, now: clock.now() });
}

async function outboxRow(dedupeKey: string) {
  const [row] = await database.db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(eq(outboxMessages.dedupeKey, dedupeKey));
  if (row === undefined) throw new Error(`no outbox row ${dedupeKey}`);
  const full = await findOutboxMessage(database.db, row.id);
  if (full === undefined) throw new Error('row vanished');
  return full;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(outboxMessages);
  await receiver.start();
  receiver.clear();
  logLines.length = 0;
  clock.set(START);
});
afterEach(async () => {
  await receiver.start();
});

describe(retryDelayMs.name, () => {
  it('doubles from one minute and stops at one hour', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([1, 2, 4, 8, 16, 32].map((m) => m * 60_000));
    expect(retryDelayMs(7)).toBe(RETRY_MAX_DELAY_MS);
    expect(retryDelayMs(MAX_DELIVERY_ATTEMPTS)).toBe(60 * 60_000);
    expect(retryDelayMs(1_000)).toBe(60 * 60_000);
    expect(MAX_DELIVERY_ATTEMPTS).toBe(10);
  });
});

describe(deliverDueMail.name, () => {
  it('sends an enqueued mail exactly once, with its subject, the outbox id header and a stable Message-ID', async () => {
    await enqueue(1);
    const row = await outboxRow('application.provisional:U261127-000001');
    expect(await deliverDueMail(sender())).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });

    expect(receiver.messages).toHaveLength(1);
    const [mail] = receiver.messages;
    expect(mail?.subject).toBe(renderMail(provisional('U261127-000001'), context).subject);
    expect(mail?.subject).toContain('【certdesk】更新申請 仮受付完了のお知らせ(受付番号: U261127-000001)');
    expect(mail?.header(OUTBOX_ID_HEADER)).toBe(row.id);
    expect(mail?.header('Message-ID')).toBe(`<${row.id}@certdesk.test>`);
    expect(mail?.envelopeFrom).toBe('no-reply@certdesk.test');
    expect(mail?.recipients).toEqual(['taro@example.jp']);
    expect(mail?.header('Content-Type')).toMatch(/^multipart\/alternative/);

    const sent = await findOutboxMessage(database.db, row.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: clock.now(), messageId: `<${row.id}@certdesk.test>`, lastError: null });
  });

  it('keeps a mail pending while the mail server is down, and sends it after the backoff', async () => {
    await receiver.stop();
    await enqueue(2);
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    const failed = await outboxRow('application.provisional:U261127-000002');
    expect(failed.status).toBe('pending');
    expect(failed.attempts).toBe(1);
    expect(failed.nextAttemptAt).toEqual(new Date(clock.now().getTime() + retryDelayMs(1)));
    expect(failed.lastError).toContain('ECONNREFUSED');

    await receiver.start();
    clock.advance(retryDelayMs(1) - 1);
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    clock.advance(1);
    expect(await deliverDueMail(sender())).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(receiver.messages).toHaveLength(1);
    expect((await outboxRow('application.provisional:U261127-000002')).attempts).toBe(2);
  });

  it('sends a mail committed with its state change, though the process that wrote it died before sending', async () => {
    // The state change and its mail commit together; then the writer "crashes": nothing of it is reused.
    await database.db.transaction(async (tx) => {
      await enqueueMail(tx, { dedupeKey: 'application.provisional:crash', to: 'taro@example.jp', message: provisional('U261127-000003'), context, now: clock.now() });
    });
    const restarted = sender(smtpTransport(receiver.url));
    expect(await deliverDueMail(restarted)).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(receiver.messages.map((m) => m.subject)).toEqual([renderMail(provisional('U261127-000003'), context).subject]);
  });

  it('sends nothing for a state change that rolled back', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await enqueueMail(tx, { dedupeKey: 'application.provisional:rolled-back', to: 'taro@example.jp', message: provisional('U261127-000004'), context, now: clock.now() });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    expect(await listOutbox(database.db, 10)).toEqual([]);
  });

  it('sends a mail whose sender crashed after claiming it once the lease has expired, and not before', async () => {
    await enqueue(5);
    // A sender claims the mail and dies before sending or recording anything.
    expect(await claimDueMessages(database.db, clock.now(), 10, OUTBOX_LEASE_MS)).toHaveLength(1);

    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    clock.advance(OUTBOX_LEASE_MS - 1);
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    clock.advance(1);
    expect(await deliverDueMail(sender())).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(receiver.messages).toHaveLength(1);
    expect(await outboxRow('application.provisional:U261127-000005')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends one mail for a cause enqueued twice (same dedupe key)', async () => {
    await enqueue(6);
    await enqueue(6);
    const again = renderMail(provisional('U261127-000006'), context);
    const isInserted = await insertOutboxMessage(database.db, {
      dedupeKey: 'application.provisional:U261127-000006',
      template: 'application.provisional',
      toAddress: 'someone-else@example.jp',
      subject: again.subject,
      textBody: again.text,
      htmlBody: again.html,
      now: clock.now(),
    });
    expect(isInserted).toBe(false);
    expect(await listOutbox(database.db, 10)).toHaveLength(1);
    expect(await deliverDueMail(sender())).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(receiver.messages.map((m) => m.recipients)).toEqual([['taro@example.jp']]);
  });

  it(`never sends a mail twice when two senders run at once (${isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised'})`, async () => {
    for (let i = 0; i < 20; i++) await enqueue(100 + i);
    const ids = (await listOutbox(database.db, 100)).map((row) => row.id).sort();
    expect(ids).toHaveLength(20);

    await Promise.all([deliverMailJob(sender(), { batchSize: 3 })(), deliverMailJob(sender(), { batchSize: 3 })()]);

    const received = receiver.messages.map((m) => m.header(OUTBOX_ID_HEADER) ?? '').sort();
    expect(received).toEqual(ids);
    expect((await listOutbox(database.db, 100)).every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it(`hands each due mail to exactly one of many concurrent claims (${isOnPostgresServer() ? 'PostgreSQL server' : 'PGlite, serialised'})`, async () => {
    for (let i = 0; i < 20; i++) await enqueue(200 + i);
    const claims = await Promise.all(Array.from({ length: 10 }, () => claimDueMessages(database.db, clock.now(), 5, OUTBOX_LEASE_MS)));
    const claimed = claims.flat().map((row) => row.id);
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
  });

  it('gives a mail up after 10 failed attempts', async () => {
    await receiver.stop();
    await enqueue(7);
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
      expect(await outboxRow('application.provisional:U261127-000007')).toMatchObject({ status: 'pending', attempts: attempt });
      clock.advance(retryDelayMs(attempt));
    }
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 1 });
    expect(await outboxRow('application.provisional:U261127-000007')).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS });

    await receiver.start();
    clock.advance(24 * 3_600_000);
    expect(await deliverDueMail(sender())).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    expect(receiver.messages).toHaveLength(0);
  });

  it('logs the outbox id and the recipient domain, never the address or the body', async () => {
    await enqueueMail(database.db, { dedupeKey: 'log:1', to: 'hanako.secret@example.jp', message: provisional('U261127-000008', '秘密 花子'), context, now: clock.now() });
    const row = await outboxRow('log:1');
    await receiver.stop();
    await deliverDueMail(sender());
    await receiver.start();
    clock.advance(retryDelayMs(1));
    await deliverDueMail(sender());

    const logged = logLines.join('');
    expect(logged).toContain(row.id);
    expect(logged).toContain('"toDomain":"example.jp"');
    expect(logged).toContain('mail.attemptFailed');
    expect(logged).toContain('mail.sent');
    expect(logged).not.toContain('hanako.secret');
    expect(logged).not.toContain('秘密');
    expect(logged).not.toContain('U261127-000008');
  });

  it('refuses to enqueue anything but one plain address', async () => {
    for (const to of ['a@example.jp, b@example.jp', 'Taro <a@example.jp>', 'a@example.jp\r\nBcc: b@example.jp', 'no-at-sign']) {
      await expect(enqueueMail(database.db, { dedupeKey: `bad:${to}`, to, message: provisional('U261127-000009'), context, now: clock.now() })).rejects.toThrow(
        'not a single plain address',
      );
    }
    expect(await listOutbox(database.db, 10)).toEqual([]);
  });
});

describe(mailViewerRoutes.name, () => {
  const viewer = (lang: Lang) => {
    const app = new Hono<WebEnv>();
    app.use(async (c, next) => {
      c.set('lang', lang);
      await next();
    });
    app.route('/dev/mail', mailViewerRoutes({ db: database.db, site: context.site }));
    return app;
  };

  it('lists the outbox, newest first, in Japan time, under a development-only banner', async () => {
    await enqueue(10);
    clock.advance(60_000);
    await enqueue(11);
    const row = await outboxRow('application.provisional:U261127-000011');
    const response = await viewer('ja').request('/dev/mail');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('開発用: この画面は本番環境では無効です');
    expect(page).toContain('2026年11月27日 17:07(日本時間)');
    expect(page).toContain(`href="/dev/mail/${row.id}"`);
    expect(page).toContain('taro@example.jp');
    expect(page).toContain('送信待ち');
    expect(page.indexOf('U261127-000011')).toBeLessThan(page.indexOf('U261127-000010'));
    expect(await (await viewer('en').request('/dev/mail')).text()).toContain('Development only');
  });

  it('shows a mail as text and as HTML source, never rendering the mail HTML', async () => {
    await enqueueMail(database.db, { dedupeKey: 'viewer:1', to: 'taro@example.jp', message: provisional('U261127-000012', '<script>alert(1)</script>'), context, now: clock.now() });
    const row = await outboxRow('viewer:1');
    const response = await viewer('ja').request(`/dev/mail/${row.id}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('開発用: この画面は本番環境では無効です');
    expect(page).not.toContain('<script');
    expect(page).not.toMatch(/<body style=/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 様'); // the text body
    expect(page).toContain('&amp;lt;script&amp;gt;'); // the HTML body's own escaping, shown as source
    expect(page).toContain('&lt;!DOCTYPE html&gt;');
    expect(page).toContain('href="/dev/mail"');
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await viewer('ja').request(`/dev/mail/${randomUUID()}`)).status).toBe(404);
    expect((await viewer('ja').request('/dev/mail/not-a-uuid')).status).toBe(404);
  });
});

describe('what a sent mail leaves behind', () => {
  it('keeps no one-time link or certificate code in the stored copy once the mail has left', async () => {
    await database.db.delete(outboxMessages);
    const message = { ...provisional('U261127-777777'), cancelUrl: `https://portal.example.jp/cancel/link/${'Q'.repeat(43)}` };
    await enqueueMail(database.db, { dedupeKey: 'secret-mail', to: 'taro@example.jp', message, context, now: clock.now() });
    const before = await outboxRow('secret-mail');
    expect(before.textBody).toContain('Q'.repeat(43));
    await deliverDueMail(sender());
    const sent = receiver.messages.at(-1)!;
    expect(sent.text).toContain('Q'.repeat(43));
    const after = await outboxRow('secret-mail');
    expect(after.status).toBe('sent');
    expect(after.textBody).not.toContain('Q'.repeat(43));
    expect(after.htmlBody).not.toContain('Q'.repeat(43));
    expect(after.textBody).toContain('/cancel/link/…');
  });
});
