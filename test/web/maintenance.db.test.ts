import { and, eq } from 'drizzle-orm';
import { Command, CommanderError } from 'commander';
import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerMaintenanceCommands } from '../../src/cli/maintenance-commands.js';
import { removeMaintenance } from '../../src/ra/remove-maintenance.js';
import { scheduleMaintenance } from '../../src/ra/schedule-maintenance.js';
import { listAllMaintenanceWindows, listMaintenanceWindowsNotEndedBy } from '../../src/store/maintenance-store.js';
import { auditLog, maintenanceWindows } from '../../src/store/schema/tables.js';
import { PasswordHasher } from '../../src/ra/application-password.js';
import { absentCa, testSite } from '../support/site.js';
import type { WebDeps, WebEnv } from '../../src/web/env.js';
import { maintenanceGate } from '../../src/web/maintenance/maintenance-gate.js';
import { maintenanceConfirmationWarning, maintenanceWarningFor, MaintenanceWarning } from '../../src/web/maintenance/maintenance-warning.js';
import { maintenanceRoutes } from '../../src/web/maintenance/routes.js';
import { helpRoutes } from '../../src/web/portal/help/routes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeClock } from '../support/fake-clock.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

let database: TestDatabase;
const clock = new FakeClock('2026-11-30T12:00:00Z'); // 21:00 in Japan
const log = pino({ level: 'silent' });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  clock.set('2026-11-30T12:00:00Z');
  await database.db.delete(maintenanceWindows);
});

const ra = () => ({ db: database.db, clock, log });

function webDeps(): WebDeps {
  return {
    db: database.db,
    ca: absentCa,
    clock,
    log,
    site: testSite({ brandName: 'certdesk', productName: 'テスト', publicUrl: 'http://localhost' }),
    caName: 'certdesk test CA',
    isSecureCookie: false,
    proxyHops: 0,
    ipv6ClientPrefix: 64,
    isMailViewerEnabled: false,
    secrets: { csrfKey: Buffer.alloc(32, 7) },
    passwords: new PasswordHasher(),
    review: { requiredApprovals: 1, pickupCodeTtlDays: 30 },
  };
}

/** The gate in front of stand-ins for the flows, as createApp will mount it; ?lang=en switches language. */
function testApp(): Hono<WebEnv> {
  const deps = webDeps();
  const app = new Hono<WebEnv>();
  app.use(async (c, next) => {
    c.set('requestId', 'test-request');
    c.set('lang', c.req.query('lang') === 'en' ? 'en' : 'ja');
    await next();
  });
  app.use(maintenanceGate(deps));
  app.get('/', (c) => c.text('home'));
  app.get('/renew', (c) => c.text('renew form'));
  app.get('/renew/form', (c) => c.text('renew step'));
  app.post('/renew/submit', (c) => c.text('submitted'));
  app.get('/renewals', (c) => c.text('not a flow'));
  app.get('/new', (c) => c.text('new form'));
  app.get('/cancel', (c) => c.text('cancel form'));
  app.get('/pickup/start', (c) => c.text('pickup'));
  app.get('/static/app.css', (c) => c.text('body {}'));
  const warning = maintenanceConfirmationWarning(deps);
  app.get('/confirm-stand-in', async (c) => c.html(String((await warning(c)) ?? 'no warning')));
  app.route('/help', helpRoutes(deps));
  app.route('/maintenance', maintenanceRoutes(deps));
  return app;
}

/** Schedule through the use case (as operators do), relative to the clock. */
async function schedule(fromMs: number, toMs: number, messageJa = '定期メンテナンスを実施します。', messageEn = 'Scheduled maintenance.') {
  const now = clock.now().getTime();
  const result = await scheduleMaintenance(ra(), { startsAt: new Date(now + fromMs), endsAt: new Date(now + toMs), messageJa, messageEn });
  if (!result.ok) throw new Error(result.code);
  return result.value;
}

/** A window from 3 h to 1 h ago: scheduled while it was still ahead, as only such windows can be. */
async function scheduleEnded(messageJa: string) {
  const now = clock.now();
  clock.set(new Date(now.getTime() - 4 * HOUR_MS));
  const w = await schedule(HOUR_MS, 3 * HOUR_MS, messageJa);
  clock.set(now);
  return w;
}

describe(maintenanceGate.name, () => {
  it('lets every request through when no window is scheduled', async () => {
    const res = await testApp().request('/renew');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('renew form');
  });

  it('lets requests through before a window starts', async () => {
    await schedule(HOUR_MS, 3 * HOUR_MS);
    const res = await testApp().request('/renew');
    expect(res.status).toBe(200);
  });

  it('answers 503 with Retry-After and the maintenance page during a window', async () => {
    await schedule(-HOUR_MS, 2 * HOUR_MS, '証明書発行システムの定期保守のため。');
    const res = await testApp().request('/renew');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('7200');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('ただいまシステムメンテナンス中です');
    expect(html).toContain('証明書発行システムの定期保守のため。');
    // 20:00–23:00 on 30 November, Japan time.
    expect(html).toContain('2026年11月30日(月) 20:00〜23:00(日本時間)');
    expect(html).toContain('システムメンテナンスの途中で本受付となります');
    expect(html).toContain('href="/maintenance"');
  });

  it('closes every subscriber flow and its sub-paths, whatever the method', async () => {
    await schedule(-HOUR_MS, HOUR_MS);
    const app = testApp();
    for (const path of ['/renew', '/renew/form', '/new', '/cancel', '/pickup/start']) {
      expect((await app.request(path)).status, path).toBe(503);
    }
    expect((await app.request('/renew/submit', { method: 'POST' })).status).toBe(503);
  });

  it('keeps home, help, static files, the notice page and look-alike paths open', async () => {
    await schedule(-HOUR_MS, HOUR_MS);
    const app = testApp();
    for (const path of ['/', '/help', '/help/renew', '/static/app.css', '/maintenance', '/renewals']) {
      expect((await app.request(path)).status, path).toBe(200);
    }
  });

  it('opens again exactly when the window ends', async () => {
    const w = await schedule(-HOUR_MS, HOUR_MS);
    clock.set(new Date(w.endsAt.getTime() - 1));
    const last = await testApp().request('/renew');
    expect(last.status).toBe(503);
    expect(last.headers.get('Retry-After')).toBe('1');
    clock.set(w.endsAt);
    const res = await testApp().request('/renew');
    expect(res.status).toBe(200);
  });

  it('closes exactly when the window starts', async () => {
    const w = await schedule(HOUR_MS, 2 * HOUR_MS);
    clock.set(new Date(w.startsAt.getTime() - 1));
    expect((await testApp().request('/renew')).status).toBe(200);
    clock.set(w.startsAt);
    const res = await testApp().request('/renew');
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('3600');
  });

  it('waits for the overlapping window that ends last', async () => {
    await schedule(-HOUR_MS, HOUR_MS);
    await schedule(-30 * MINUTE_MS, 3 * HOUR_MS);
    const res = await testApp().request('/renew');
    expect(res.headers.get('Retry-After')).toBe(String(3 * 3600));
  });

  it('speaks English, with the Japanese notice when no English one was given', async () => {
    await schedule(-HOUR_MS, HOUR_MS, '日本語のみのお知らせ', '');
    const html = await (await testApp().request('/renew?lang=en')).text();
    expect(html).toContain('The system is under maintenance');
    expect(html).toContain('<span lang="ja">日本語のみのお知らせ</span>');
    expect(html).toContain('(Japan time)');
  });

  it('escapes the operator message', async () => {
    await schedule(-HOUR_MS, HOUR_MS, '<script>alert(1)</script>');
    const html = await (await testApp().request('/renew')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe(maintenanceRoutes.name, () => {
  it('says so when nothing is scheduled', async () => {
    await scheduleEnded('終了したメンテナンス');
    const res = await testApp().request('/maintenance');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('システムメンテナンスのお知らせ');
    expect(html).toContain('現在予定されているメンテナンスはありません。');
  });

  it('lists the current and upcoming windows by start, in Japan time, with their messages', async () => {
    await scheduleEnded('終了したメンテナンス');
    await schedule(48 * HOUR_MS, 50 * HOUR_MS, '二つ目のメンテナンス');
    await schedule(-HOUR_MS, HOUR_MS, '実施中のメンテナンス');
    await schedule(24 * HOUR_MS, 26 * HOUR_MS, '一つ目のメンテナンス');
    const html = await (await testApp().request('/maintenance')).text();
    expect(html).not.toContain('終了したメンテナンス');
    expect(html).not.toContain('現在予定されているメンテナンスはありません。');
    const order = ['実施中のメンテナンス', '一つ目のメンテナンス', '二つ目のメンテナンス'].map((m) => html.indexOf(m));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('実施中');
    expect(html).toContain('2026年12月1日(火) 21:00〜23:00(日本時間)');
    expect(html).toContain('2026年12月2日(水) 21:00〜23:00(日本時間)');
  });

  it('shows a window across midnight with both dates', async () => {
    await schedule(2 * HOUR_MS, 6 * HOUR_MS); // 23:00 → 03:00 Japan time
    const html = await (await testApp().request('/maintenance')).text();
    expect(html).toContain('2026年11月30日(月) 23:00〜2026年12月1日(火) 03:00(日本時間)');
  });

  it('renders in English', async () => {
    await schedule(HOUR_MS, 2 * HOUR_MS);
    const html = await (await testApp().request('/maintenance?lang=en')).text();
    expect(html).toContain('Maintenance notices');
    expect(html).toContain('Scheduled maintenance.');
    expect(html).toContain('Mon, 30 Nov 2026, 22:00 – 23:00 (Japan time)');
  });
});

describe(maintenanceWarningFor.name, () => {
  it('finds nothing when no window is scheduled', async () => {
    expect(await maintenanceWarningFor(database.db, clock.now())).toBeUndefined();
  });
  it('finds a window starting in 59 minutes', async () => {
    const w = await schedule(59 * MINUTE_MS, 3 * HOUR_MS);
    expect((await maintenanceWarningFor(database.db, clock.now()))?.id).toBe(w.id);
  });
  it('finds a window starting in exactly one hour', async () => {
    const w = await schedule(HOUR_MS, 3 * HOUR_MS);
    expect((await maintenanceWarningFor(database.db, clock.now()))?.id).toBe(w.id);
  });
  it('does not find a window starting in 61 minutes', async () => {
    await schedule(61 * MINUTE_MS, 3 * HOUR_MS);
    expect(await maintenanceWarningFor(database.db, clock.now())).toBeUndefined();
  });
  it('renders the caution with the period', async () => {
    const w = await schedule(30 * MINUTE_MS, 4 * HOUR_MS);
    const html = String(jsx(MaintenanceWarning, { lang: 'ja', window: w }));
    expect(html).toContain('送信後1時間以内にシステムメンテナンスが開始されるため、メンテナンス開始後は申請の取り消しができない場合があります。');
    expect(html).toContain('2026年11月30日(月) 21:30〜2026年12月1日(火) 01:00(日本時間)');
    expect(String(jsx(MaintenanceWarning, { lang: 'en', window: w }))).toContain('starts within one hour after you submit');
  });
});

describe(maintenanceConfirmationWarning.name, () => {
  it('gives nothing to show when no window is near', async () => {
    await schedule(2 * HOUR_MS, 3 * HOUR_MS);
    expect(await (await testApp().request('/confirm-stand-in')).text()).toBe('no warning');
  });
  it('gives the warning in the page language when a window starts within the hour', async () => {
    await schedule(45 * MINUTE_MS, 3 * HOUR_MS);
    expect(await (await testApp().request('/confirm-stand-in')).text()).toContain('システムメンテナンスに関するご注意');
    expect(await (await testApp().request('/confirm-stand-in?lang=en')).text()).toContain('starts within one hour after you submit');
  });
});

describe(scheduleMaintenance.name, () => {
  it('stores the window and writes an audit record', async () => {
    const w = await schedule(HOUR_MS, 2 * HOUR_MS, ' 定期メンテナンス ', '');
    expect(w).toMatchObject({ messageJa: '定期メンテナンス', messageEn: '', createdBy: 'operator:cli', createdAt: clock.now() });
    const [stored] = await listMaintenanceWindowsNotEndedBy(database.db, clock.now());
    expect(stored).toEqual(w);
    const audit = await database.db
      .select({ actor: auditLog.actor, at: auditLog.at, after: auditLog.after, before: auditLog.before })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'maintenance.scheduled'), eq(auditLog.subjectId, w.id)));
    expect(audit).toEqual([
      {
        actor: 'operator:cli',
        at: clock.now(),
        before: null,
        after: { startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), messageJa: '定期メンテナンス', messageEn: '', createdBy: 'operator:cli' },
      },
    ]);
  });

  it('refuses an invalid window and stores nothing', async () => {
    const now = clock.now().getTime();
    const cases = [
      { startsAt: new Date(now + 2 * HOUR_MS), endsAt: new Date(now + HOUR_MS), code: 'maintenance.endBeforeStart' },
      { startsAt: new Date(now - 2 * HOUR_MS), endsAt: new Date(now), code: 'maintenance.inThePast' },
      { startsAt: new Date(now), endsAt: new Date(now + 8 * 24 * HOUR_MS), code: 'maintenance.tooLong' },
    ];
    for (const { code, ...period } of cases) {
      expect(await scheduleMaintenance(ra(), { ...period, messageJa: 'x' })).toEqual({ ok: false, code });
    }
    expect(await scheduleMaintenance(ra(), { startsAt: new Date(now + HOUR_MS), endsAt: new Date(now + 2 * HOUR_MS), messageJa: ' ' })).toEqual({
      ok: false,
      code: 'maintenance.messageRequired',
    });
    expect(await listAllMaintenanceWindows(database.db)).toEqual([]);
  });
});

describe(removeMaintenance.name, () => {
  it('deletes the window and writes an audit record with what was deleted', async () => {
    const w = await schedule(HOUR_MS, 2 * HOUR_MS);
    clock.advance(MINUTE_MS);
    expect(await removeMaintenance(ra(), { windowId: w.id })).toEqual({ ok: true, value: w });
    expect(await listAllMaintenanceWindows(database.db)).toEqual([]);
    const audit = await database.db
      .select({ actor: auditLog.actor, at: auditLog.at, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'maintenance.removed'), eq(auditLog.subjectId, w.id)));
    expect(audit).toEqual([{ actor: 'operator:cli', at: clock.now(), after: null, before: expect.objectContaining({ startsAt: w.startsAt.toISOString() }) }]);
  });

  it('answers notFound for an unknown id, a second removal, or something that is not an id', async () => {
    const w = await schedule(HOUR_MS, 2 * HOUR_MS);
    expect((await removeMaintenance(ra(), { windowId: w.id })).ok).toBe(true);
    expect(await removeMaintenance(ra(), { windowId: w.id })).toEqual({ ok: false, code: 'maintenance.notFound' });
    expect(await removeMaintenance(ra(), { windowId: '00000000-0000-4000-8000-000000000000' })).toEqual({ ok: false, code: 'maintenance.notFound' });
    expect(await removeMaintenance(ra(), { windowId: 'not-a-uuid' })).toEqual({ ok: false, code: 'maintenance.notFound' });
    const removals = await database.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, 'maintenance.removed'), eq(auditLog.subjectId, w.id)));
    expect(removals).toHaveLength(1);
  });
});

describe(registerMaintenanceCommands.name, () => {
  /** Run `certdesk <args>` against the test database; commander's exit becomes a thrown CommanderError. */
  async function cli(...args: string[]): Promise<{ out: string; err: string; exitCode: number; opened: number }> {
    let out = '';
    let err = '';
    let opened = 0;
    const program = new Command()
      .name('certdesk')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    registerMaintenanceCommands(program, () => {
      opened += 1;
      return Promise.resolve({ db: database.db, clock, log, close: () => Promise.resolve() });
    });
    try {
      await program.parseAsync(args, { from: 'user' });
      return { out, err, exitCode: 0, opened };
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      return { out, err, exitCode: error.exitCode, opened };
    }
  }

  it('adds a window given in Japan time, lists it, and removes it', async () => {
    const added = await cli('maintenance', 'add', '--from', '2026-12-01 02:00', '--to', '2026-12-01T06:00+09:00', '--message', '定期メンテナンス', '--message-en', 'Scheduled maintenance');
    expect(added.exitCode).toBe(0);
    expect(added.out).toMatch(/^scheduled maintenance [0-9a-f-]{36}: 2026-12-01T02:00:00\+09:00 → 2026-12-01T06:00:00\+09:00\n$/);
    const [w] = await listAllMaintenanceWindows(database.db);
    expect(w).toMatchObject({ startsAt: new Date('2026-11-30T17:00:00Z'), endsAt: new Date('2026-11-30T21:00:00Z'), messageEn: 'Scheduled maintenance' });

    const listed = await cli('maintenance', 'list');
    expect(listed.out).toBe(`${w!.id}  upcoming  2026-12-01T02:00:00+09:00 → 2026-12-01T06:00:00+09:00  定期メンテナンス\n`);
    const json = JSON.parse((await cli('maintenance', 'list', '--json')).out) as unknown;
    expect(json).toEqual([
      {
        id: w!.id,
        status: 'upcoming',
        startsAt: '2026-12-01T02:00:00+09:00',
        endsAt: '2026-12-01T06:00:00+09:00',
        messageJa: '定期メンテナンス',
        messageEn: 'Scheduled maintenance',
        createdAt: '2026-11-30T21:00:00+09:00',
        createdBy: 'operator:cli',
      },
    ]);

    const removed = await cli('maintenance', 'remove', w!.id);
    expect(removed).toMatchObject({ exitCode: 0, out: `removed maintenance ${w!.id}\n` });
    expect((await cli('maintenance', 'list')).out).toBe('no current or upcoming maintenance windows\n');
  });

  it('lists ended windows only with --all', async () => {
    await scheduleEnded('終了済み');
    expect((await cli('maintenance', 'list')).out).toBe('no current or upcoming maintenance windows\n');
    const all = await cli('maintenance', 'list', '--all', '--json');
    expect(JSON.parse(all.out)).toMatchObject([{ status: 'ended', messageJa: '終了済み' }]);
  });

  it('refuses a time it cannot read, before opening the database', async () => {
    const result = await cli('maintenance', 'add', '--from', '2026-11-31 02:00', '--to', '2026-12-01 06:00', '--message', 'x');
    expect(result.exitCode).toBe(1);
    expect(result.opened).toBe(0);
    expect(result.err).toContain('--from: cannot read "2026-11-31 02:00" as a time');
  });

  it('reports a validation code with exit code 1', async () => {
    const result = await cli('maintenance', 'add', '--from', '2026-12-01 06:00', '--to', '2026-12-01 02:00', '--message', 'x');
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('maintenance.endBeforeStart');
    expect(await listAllMaintenanceWindows(database.db)).toEqual([]);
  });

  it('reports an unknown id with exit code 1', async () => {
    const result = await cli('maintenance', 'remove', '00000000-0000-4000-8000-000000000000');
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('maintenance.notFound');
  });
});

describe(helpRoutes.name, () => {
  const pages = [
    { path: '/help', ja: 'ヘルプ', en: 'Help', links: ['/help/environment', '/help/renew', '/help/cancel', '/help/maintenance', '/help/romaji-characters'] },
    { path: '/help/environment', ja: 'ご利用いただける環境', en: 'Supported environments', links: ['/pickup'] },
    { path: '/help/renew', ja: '更新申請の手順', en: 'How to renew', links: ['/renew', '/new', '/maintenance'] },
    { path: '/help/cancel', ja: '申請の取り消し方法', en: 'How to cancel an application', links: ['/cancel', '/maintenance'] },
    { path: '/help/maintenance', ja: 'システムメンテナンスについて', en: 'About system maintenance', links: ['/maintenance'] },
    { path: '/help/romaji-characters', ja: '「役職/部署(ローマ字)」に使用可能な文字', en: 'Characters allowed in “Title/department (romaji)”', links: ['/new'] },
  ];
  for (const page of pages) {
    it(`renders ${page.path} with its title and links, in Japanese and English`, async () => {
      const app = testApp();
      const ja = await app.request(page.path);
      expect(ja.status).toBe(200);
      const jaHtml = await ja.text();
      expect(jaHtml).toMatch(new RegExp(`<title>[^<]*${escapeRegExp(page.ja)}[^<]*</title>`));
      expect(jaHtml).toContain('<html lang="ja">');
      for (const href of page.links) expect(jaHtml).toContain(`href="${href}"`);
      const en = await app.request(`${page.path}?lang=en`);
      expect(en.status).toBe(200);
      expect(await en.text()).toContain(page.en);
    });
  }

  it('explains the "wrong password" message on import and the compatible file', async () => {
    const html = await (await testApp().request('/help/environment')).text();
    expect(html).toContain('「パスワードが違います」');
    expect(html).toContain('「互換」のファイル');
    for (const browser of ['Google Chrome', 'Microsoft Edge', 'Mozilla Firefox', 'Safari']) expect(html).toContain(browser);
  });

  it('names the product in the renewal notice subject', async () => {
    const html = await (await testApp().request('/help/renew')).text();
    expect(html).toContain('「【certdesk】テスト 証明書有効期限切れに関するご案内」');
  });

  it('lists every allowed romaji symbol', async () => {
    const html = await (await testApp().request('/help/romaji-characters')).text();
    for (const name of ['カンマ', 'ピリオド', 'ハイフン', 'アンパサンド', 'アポストロフィ', '左丸括弧', '右丸括弧', 'スラッシュ']) expect(html).toContain(name);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
