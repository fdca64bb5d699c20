import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../env.js';
import { MessagePage } from '../layout.js';
import { commonText } from '../messages.js';
import { frameOf } from '../request.js';

/** 「お手続きを終了する」 (issue #6 defect 7): the session row and its cookie go, then a plain page. */
export function sessionRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.post('/end', (c) => {
    c.get('session').end();
    return c.redirect('/session/ended', 303);
  });
  app.get('/ended', (c) => {
    const t = commonText[c.get('lang')];
    return c.html(<MessagePage frame={frameOf(c, deps, '/')} title={t.sessionEndedTitle} body={t.sessionEndedBody} link={{ href: '/', label: t.navHome }} />);
  });
  return app;
}
