import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { can, type ConsoleAction } from '../../domain/operator.js';
import type { WebDeps, WebEnv } from '../env.js';
import { formGuard } from '../form-guard.js';
import { consoleSessions, type SignedInOperator } from './console-session.js';
import { ConsoleLayout, type ConsoleFrame } from './layout.js';
import { consoleText } from './messages.js';
import { auditPages } from './pages/audit.js';
import { applicationPages } from './pages/application.js';
import { certificatePages } from './pages/certificates.js';
import { couponPages } from './pages/coupons.js';
import { mailPages } from './pages/mail.js';
import { maintenancePages } from './pages/maintenance.js';
import { queuePages } from './pages/queue.js';
import { signInPages } from './pages/sign-in.js';

/** The frame of a console page, with the one-line result of the last action when its key is in ?done=. */
export function consoleFrameOf(c: Context<WebEnv>, deps: WebDeps, section: string | undefined, flashes: Record<string, { kind: 'ok' | 'error'; text: string }> = {}): ConsoleFrame {
  const done = c.req.query('done');
  return {
    lang: c.get('lang'),
    brandName: deps.site.brandName,
    operator: c.get('consoleSession').operator,
    csrf: c.get('consoleSession').csrfToken(),
    ...(section === undefined ? {} : { section }),
    flash: done === undefined ? undefined : flashes[done],
  };
}

/** The signed-in operator of a route behind `requireSignIn`. */
export function operatorOf(c: Context<WebEnv>): SignedInOperator {
  const operator = c.get('consoleSession').operator;
  if (operator === undefined) throw new Error('a console route reached without a signed-in operator');
  return operator;
}

/** Every route past sign-in: signed out → the sign-in page (GET) or 403 (POST); the role decides, server-side. */
export function requireAction(deps: WebDeps, action: ConsoleAction): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const operator = c.get('consoleSession').operator;
    if (operator === undefined) {
      return c.req.method === 'GET' ? c.redirect(`/console/sign-in?next=${encodeURIComponent(c.req.path)}`, 303) : c.redirect('/console/sign-in', 303);
    }
    if (!can(operator.role, action)) {
      deps.log.warn({ event: 'console.forbidden', operatorId: operator.operatorId, action, path: c.req.path }, 'console action refused by role');
      const t = consoleText[c.get('lang')];
      return c.html(<ConsoleLayout frame={consoleFrameOf(c, deps, undefined)} title={t.forbidden} />, 403);
    }
    return next();
  };
}

/**
 * The RA console under /console (SPEC 2, issue #7): its own session cookie, the same POST
 * guard as the portal (with the console's own form token), and a role check on every
 * route. Mounted by app.tsx; the portal's session middleware does not run here.
 */
export function consoleApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use(consoleSessions(deps));
  app.use(async (c, next) => {
    await next();
    c.header('X-Robots-Tag', 'noindex, nofollow');
  });
  app.use(formGuard(deps, (c, token) => c.get('consoleSession').isCsrfTokenValid(token)));
  app.get('/', (c) => c.redirect(c.get('consoleSession').operator === undefined ? '/console/sign-in' : '/console/queue', 303));
  app.route('/', signInPages(deps));
  app.route('/queue', queuePages(deps));
  app.route('/applications', applicationPages(deps));
  app.route('/certificates', certificatePages(deps));
  app.route('/coupons', couponPages(deps));
  app.route('/audit', auditPages(deps));
  app.route('/mail', mailPages(deps));
  app.route('/maintenance', maintenancePages(deps));
  return app;
}
