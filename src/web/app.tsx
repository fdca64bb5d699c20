import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { suggestAddress } from '../domain/input/postal-code.js';
import type { Lang, WebDeps, WebEnv } from './env.js';
import { MessagePage } from './layout.js';
import { commonText } from './messages.js';
import { homeRoutes } from './portal/home/routes.js';
import { maintenanceGate } from './maintenance/maintenance-gate.js';
import { maintenanceConfirmationWarning } from './maintenance/maintenance-warning.js';
import { maintenanceRoutes } from './maintenance/routes.js';
import { cancelRoutes } from './portal/cancel/routes.js';
import { helpRoutes } from './portal/help/routes.js';
import { newApplicationRoutes } from './portal/new-application/routes.js';
import { renewalRoutes } from './portal/renewal/routes.js';
import { mailViewerRoutes } from './dev/mail-viewer.js';
import { frameOf } from './request.js';
import { isCsrfTokenValid, sessions } from './session.js';

const staticRoot = path.relative(process.cwd(), path.join(path.dirname(fileURLToPath(import.meta.url)), 'static'));

export function createApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.use(async (c, next) => {
    c.set('requestId', randomUUID());
    const lang = getCookie(c, 'lang');
    c.set('lang', lang === 'en' ? 'en' : 'ja');
    await next();
  });

  // A strict CSP: no inline script or style anywhere, forms post only to us.
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      strictTransportSecurity: deps.isSecureCookie && deps.publicUrl.startsWith('https:') ? 'max-age=63072000; includeSubDomains' : false,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    }),
  );
  app.use('/static/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'public, max-age=3600');
  });
  app.use('/static/*', serveStatic({ root: staticRoot, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));

  app.use(async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/static/')) c.header('Cache-Control', 'no-store');
  });

  // SPEC 1.5: subscriber actions answer 503 during maintenance (time-based transitions go on).
  app.use(maintenanceGate(deps));

  // Origin / Sec-Fetch-Site check first, then the per-form token (STYLE: hono's csrf() alone is not enough).
  app.use(csrf({ origin: new URL(deps.publicUrl).origin }));
  app.use(sessions(deps));
  app.use(async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const form = await c.req.parseBody();
    if (!isCsrfTokenValid(c, form['_csrf'])) {
      const t = commonText[c.get('lang')];
      deps.log.warn({ event: 'csrf.rejected', path: c.req.path, requestId: c.get('requestId') }, 'CSRF token rejected');
      return c.html(<MessagePage frame={frameOf(c, deps, '/')} title={t.expiredTitle} body={t.expiredBody} link={{ href: '/', label: t.startOver }} />, 403);
    }
    return next();
  });

  app.get('/lang/:lang', (c) => {
    const lang: Lang = c.req.param('lang') === 'en' ? 'en' : 'ja';
    setCookie(c, 'lang', lang, { path: '/', sameSite: 'Lax', secure: deps.isSecureCookie, httpOnly: true, maxAge: 365 * 24 * 3600 });
    return c.redirect(ownPath(c.req.query('next'), deps.publicUrl), 303);
  });

  // SPEC 3: an offline suggestion from Japan Post data, never a rule.
  app.get('/api/postal-code/:code', (c) => {
    const suggestion = suggestAddress(c.req.param('code'));
    return suggestion === undefined ? c.json({ error: 'unknown' }, 404) : c.json(suggestion);
  });

  app.route('/', homeRoutes(deps));
  const confirmationWarning = maintenanceConfirmationWarning(deps);
  app.route('/renew', renewalRoutes(deps, { confirmationWarning }));
  app.route('/new', newApplicationRoutes(deps, { confirmationWarning }));
  app.route('/help', helpRoutes(deps));
  app.route('/maintenance', maintenanceRoutes(deps));
  app.route('/cancel', cancelRoutes(deps));
  if (deps.isMailViewerEnabled) app.route('/dev/mail', mailViewerRoutes({ db: deps.db, productName: deps.productName }));

  app.notFound((c) => {
    const t = commonText[c.get('lang') ?? 'ja'];
    return c.html(<MessagePage frame={frameOf(c, deps)} title={t.notFoundTitle} body={t.notFoundBody} link={{ href: '/', label: commonText[c.get('lang') ?? 'ja'].navHome }} />, 404);
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    deps.log.error({ err: error, requestId, path: c.req.path }, 'unhandled error');
    const t = commonText[c.get('lang') ?? 'ja'];
    return c.html(<MessagePage frame={frameOf(c, deps)} title={t.errorTitle} body={t.errorBody} reference={requestId} />, 500);
  });

  return app;
}

/** A path on this site to go back to, or '/': never an open redirect, never a bad header. */
export function ownPath(next: string | undefined, publicUrl: string): string {
  if (next === undefined || !next.startsWith('/') || /[\x00-\x1f\x7f\\]/.test(next)) return '/';
  const base = new URL(publicUrl);
  const url = new URL(next, base);
  return url.origin === base.origin ? `${url.pathname}${url.search}` : '/';
}
