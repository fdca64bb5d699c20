import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { fullProductName } from '../../../domain/site.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { Layout } from '../../layout.js';
import { frameOf } from '../../request.js';
import { homeText } from './messages.js';

export function homeRoutes(deps: WebDeps, extras: { maintenanceNotice: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const t = homeText[c.get('lang')];
    const cards = [
      { href: '/renew', title: t.renewTitle, body: t.renewBody },
      { href: '/new', title: t.newTitle, body: t.newBody },
      { href: '/pickup', title: t.pickupTitle, body: t.pickupBody },
      { href: '/cancel', title: t.cancelTitle, body: t.cancelBody },
      { href: '/status', title: t.statusTitle, body: t.statusBody },
      { href: '/help', title: t.helpTitle, body: t.helpBody },
    ];
    return c.html(
      <Layout frame={frameOf(c, deps)} title={t.title}>
        <h1>{fullProductName(deps.site)}</h1>
        {/* During or before maintenance, say so before the cards lead into 503 pages. */}
        {await extras.maintenanceNotice(c)}
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
        <p class="operator-note">{t.operatedBy(deps.site.operator.name)}</p>
      </Layout>,
    );
  });

  return app;
}
