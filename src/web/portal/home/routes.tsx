import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../../env.js';
import { Layout } from '../../layout.js';
import { frameOf } from '../../request.js';
import { homeText } from './messages.js';

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

  return app;
}
