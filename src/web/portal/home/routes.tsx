import { Hono } from 'hono';
import { titleRomajiSymbols } from '../../../domain/input/registration.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { Layout } from '../../layout.js';
import { frameOf } from '../../request.js';
import { homeText } from './messages.js';

const symbolNames: Record<string, { ja: string; en: string }> = {
  ',': { ja: 'カンマ', en: 'comma' },
  '.': { ja: 'ピリオド', en: 'full stop' },
  '-': { ja: 'ハイフン', en: 'hyphen' },
  '&': { ja: 'アンパサンド', en: 'ampersand' },
  "'": { ja: 'アポストロフィ', en: 'apostrophe' },
  '(': { ja: '左丸括弧', en: 'left parenthesis' },
  ')': { ja: '右丸括弧', en: 'right parenthesis' },
  '/': { ja: 'スラッシュ', en: 'slash' },
};

export function homeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', (c) => {
    const t = homeText[c.get('lang')];
    const cards = [
      { href: '/renew', title: t.renewTitle, body: t.renewBody },
      { href: '/new', title: t.newTitle, body: t.newBody },
      { href: '/cancel', title: t.cancelTitle, body: t.cancelBody },
      { href: '/help', title: t.helpTitle, body: t.helpBody },
    ];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.title}>
        <h1>{deps.productName}</h1>
        <p class="lead">{t.lead}</p>
        <ul class="cards">
          {cards.map((card) => (
            <li>
              <a href={card.href}>
                <span class="card-title">{card.title}</span>
                <span class="card-body">{card.body}</span>
              </a>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get('/help', (c) => {
    const t = homeText[c.get('lang')];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.helpTitle}>
        <h1>{t.helpTitle}</h1>
        <p class="lead">{t.helpLead}</p>
        <section aria-labelledby="env">
          <h2 id="env">{t.environmentTitle}</h2>
          <p>{t.environmentBody}</p>
        </section>
        <section aria-labelledby="romaji">
          <h2 id="romaji">
            <a href="/help/romaji-characters">{t.romajiTitle}</a>
          </h2>
        </section>
      </Layout>,
    );
  });

  app.get('/help/romaji-characters', (c) => {
    const lang = c.get('lang');
    const t = homeText[lang];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.romajiTitle}>
        <h1>{t.romajiTitle}</h1>
        <p>{t.romajiBody}</p>
        <table class="results narrow">
          <thead>
            <tr>
              <th scope="col">{t.symbolColumn}</th>
              <th scope="col">{t.symbolNameColumn}</th>
            </tr>
          </thead>
          <tbody>
            {titleRomajiSymbols.map((s) => (
              <tr>
                <td class="mono">{s}</td>
                <td>{symbolNames[s]?.[lang] ?? s}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  return app;
}
