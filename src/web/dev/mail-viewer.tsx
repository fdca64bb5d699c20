import { Hono } from 'hono';
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import type { Site } from '../../domain/site.js';
import type { Db } from '../../store/db.js';
import { findOutboxMessage, listOutbox } from '../../store/outbox-store.js';
import type { WebEnv } from '../env.js';
import { formatInstant } from '../format.js';
import { Layout, MessagePage, type PageFrame } from '../layout.js';
import { mailViewerText } from './messages.js';

/** The list shows this many of the newest mails. */
export const MAIL_VIEWER_LIST_LIMIT = 200;

export interface MailViewerDeps {
  db: Db;
  site: Site;
}

const frameOf = (c: Context<WebEnv>, deps: MailViewerDeps): PageFrame => ({ lang: c.get('lang'), site: deps.site, path: c.req.path });

const Banner: FC<{ lang: PageFrame['lang'] }> = ({ lang }) => (
  <div class="important" role="note">
    <p class="strong">{mailViewerText[lang].banner}</p>
    <p>{mailViewerText[lang].bannerBody}</p>
  </div>
);

/**
 * The development mail viewer: what the outbox holds, for working without a mail server.
 * Mounted by app.tsx only when config.isMailViewerEnabled. Mail HTML is shown as escaped
 * source in a <pre>, never rendered into our page (our CSP forbids its inline styles, and
 * a mail's markup has no business running in our origin).
 */
export function mailViewerRoutes(deps: MailViewerDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.use(async (c, next) => {
    await next();
    c.header('X-Robots-Tag', 'noindex, nofollow');
  });

  app.get('/', async (c) => {
    const lang = c.get('lang');
    const t = mailViewerText[lang];
    const base = c.req.path.replace(/\/+$/, '');
    const mails = await listOutbox(deps.db, MAIL_VIEWER_LIST_LIMIT);
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.title}>
        <h1>{t.title}</h1>
        <Banner lang={lang} />
        {mails.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          <table class="results">
            <thead>
              <tr>
                <th scope="col">{t.colCreatedAt}</th>
                <th scope="col">{t.colTo}</th>
                <th scope="col">{t.colSubject}</th>
                <th scope="col">{t.colStatus}</th>
                <th scope="col">{t.colAttempts}</th>
              </tr>
            </thead>
            <tbody>
              {mails.map((mail) => (
                <tr>
                  <td>{formatInstant(mail.createdAt, lang)}</td>
                  <td class="mono">{mail.toAddress}</td>
                  <td>
                    <a href={`${base}/${mail.id}`}>{mail.subject}</a>
                  </td>
                  <td>{t.status[mail.status]}</td>
                  <td>{mail.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.get('/:id', async (c) => {
    const lang = c.get('lang');
    const t = mailViewerText[lang];
    const listHref = c.req.path.replace(/\/[^/]*\/?$/, '') || '/';
    const mail = await findOutboxMessage(deps.db, c.req.param('id'));
    if (mail === undefined) {
      return c.html(<MessagePage frame={frameOf(c, deps)} title={t.notFoundTitle} body={t.notFoundBody} link={{ href: listHref, label: t.backToList }} />, 404);
    }
    const rows: [string, string][] = [
      [t.colTo, mail.toAddress],
      [t.colSubject, mail.subject],
      [t.template, mail.template],
      [t.dedupeKey, mail.dedupeKey],
      [t.colStatus, t.status[mail.status]],
      [t.colAttempts, String(mail.attempts)],
      [t.colCreatedAt, formatInstant(mail.createdAt, lang)],
      ...(mail.status === 'pending' ? [[t.nextAttemptAt, formatInstant(mail.nextAttemptAt, lang)] as [string, string]] : []),
      ...(mail.sentAt === null ? [] : [[t.sentAt, formatInstant(mail.sentAt, lang)] as [string, string]]),
      ...(mail.messageId === null ? [] : [[t.messageId, mail.messageId] as [string, string]]),
      ...(mail.lastError === null ? [] : [[t.lastError, mail.lastError] as [string, string]]),
    ];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.detailTitle}>
        <h1>{t.detailTitle}</h1>
        <Banner lang={lang} />
        <dl class="readback">
          {rows.map(([label, value]) => (
            <div class="row">
              <dt class="label">{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <h2>{t.textBody}</h2>
        <pre class="mono">{mail.textBody}</pre>
        <h2>{t.htmlBody}</h2>
        <p class="note">{t.htmlNote}</p>
        <pre class="mono">{mail.htmlBody}</pre>
        <p>
          <a href={listHref}>{t.backToList}</a>
        </p>
      </Layout>,
    );
  });

  return app;
}
