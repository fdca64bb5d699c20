import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../../env.js';
import { MessagePage } from '../../layout.js';
import { frameOf } from '../../request.js';

const text = {
  ja: {
    title: '証明書の取得',
    body: '証明書の取得ページは準備中です。審査完了のお知らせメールに記載された証明書コードは、取得期限まで大切に保管してください。取得ページの公開は、当サイトでお知らせします。',
  },
  en: {
    title: 'Picking up your certificate',
    body: 'The pick-up page is being prepared. Keep the certificate code from your approval email until its deadline; we will announce the page on this site.',
  },
} as const;

/** /pickup, which the approval mail links to: a placeholder until the pickup flow (issue #8). */
export function pickupRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get('/', (c) => {
    const t = text[c.get('lang')];
    return c.html(<MessagePage frame={frameOf(c, deps)} title={t.title} body={t.body} link={{ href: '/status', label: c.get('lang') === 'ja' ? '申請状況を確認する' : 'Check the application status' }} />);
  });
  return app;
}
