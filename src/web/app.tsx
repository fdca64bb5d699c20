import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { buildClientBundle } from './client-bundle.js';
import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { suggestAddress } from '../domain/input/postal-code.js';
import { consoleApp } from './console/console-app.js';
import { PasswordWorkOverloaded } from '../ra/application-password.js';
import type { Lang, WebDeps, WebEnv } from './env.js';
import { clientErrorPage, formGuard, type ClientErrorStatus } from './form-guard.js';
import { MessagePage } from './layout.js';
import { loggedPath } from './logged-path.js';
import { ownPath } from './own-path.js';
import { commonText } from './messages.js';
import { aboutRoutes } from './portal/about/routes.js';
import { homeRoutes } from './portal/home/routes.js';
import { maintenanceGate } from './maintenance/maintenance-gate.js';
import { maintenanceConfirmationWarning, maintenanceNotice } from './maintenance/maintenance-warning.js';
import { maintenanceRoutes } from './maintenance/routes.js';
import { cancelRoutes } from './portal/cancel/routes.js';
import { helpRoutes } from './portal/help/routes.js';
import { newApplicationRoutes } from './portal/new-application/routes.js';
import { pickupRoutes } from './portal/pickup/routes.js';
import { pkiRoutes } from './pki/routes.js';
import { isNoneMatchSatisfied } from './etag.js';
import { renewalRoutes } from './portal/renewal/routes.js';
import { revokeRoutes } from './portal/revoke/routes.js';
import { limitRoutes } from './portal/limits.js';
import { sessionRoutes } from './portal/session-routes.js';
import { statusRoutes } from './portal/status/routes.js';
import { mailViewerRoutes } from './dev/mail-viewer.js';
import { frameOf } from './request.js';
import { sessions } from './session.js';

const staticRoot = path.relative(process.cwd(), path.join(path.dirname(fileURLToPath(import.meta.url)), 'static'));

/** The methods this site answers; anything else is 405 with Allow (issue #6 defect 13). */
const allowedMethods = ['GET', 'HEAD', 'POST'];

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
      strictTransportSecurity: deps.isSecureCookie && deps.site.publicUrl.startsWith('https:') ? 'max-age=63072000; includeSubDomains' : false,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    }),
  );

  // Relying parties' URLs (CA certificates, CRLs, OCSP): before the method check, the caches,
  // the maintenance gate, sessions and form tokens, none of which applies to them.
  app.route('/pki', pkiRoutes(deps));

  app.use(async (c, next) => {
    if (allowedMethods.includes(c.req.method)) return next();
    c.header('Allow', allowedMethods.join(', '));
    return clientErrorPage(c, deps, 405);
  });

  app.use('/static/*', async (c, next) => {
    await next();
    // Only what exists is cached: a 404 today may be a file tomorrow (issue #6 defect 13).
    c.header('Cache-Control', c.res.status === 200 || c.res.status === 304 ? 'public, max-age=3600' : 'no-store');
  });
  // The pickup page's script, bundled from web/client at run time (client-bundle.ts).
  app.get('/static/pickup.js', async (c) => {
    const bundle = await buildClientBundle();
    c.header('ETag', bundle.etag);
    if (isNoneMatchSatisfied(c.req.header('if-none-match'), bundle.etag)) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(bundle.code);
  });
  app.use('/static/*', serveStatic({ root: staticRoot, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));

  app.use(async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/static/')) c.header('Cache-Control', 'no-store');
  });

  // SPEC 1.5: subscriber actions answer 503 during maintenance (time-based transitions go on).
  app.use(maintenanceGate(deps));
  // The console has its own session and form token (web/console): nothing of the portal's runs there.
  const portalOnly = (middleware: MiddlewareHandler<WebEnv>): MiddlewareHandler<WebEnv> => (c, next) => (isConsolePath(c.req.path) ? next() : middleware(c, next));
  app.use(portalOnly(sessions(deps)));
  // Every POST: bounded body, same origin, parsed once, this visitor's form token (STYLE: hono's csrf() alone is not enough).
  app.use(portalOnly(formGuard(deps)));
  app.route('/console', consoleApp(deps));

  app.get('/lang/:lang', (c) => {
    const lang: Lang = c.req.param('lang') === 'en' ? 'en' : 'ja';
    setCookie(c, 'lang', lang, { path: '/', sameSite: 'Lax', secure: deps.isSecureCookie, httpOnly: true, maxAge: 365 * 24 * 3600 });
    return c.redirect(ownPath(c.req.query('next')), 303);
  });

  // SPEC 3: an offline suggestion from Japan Post data, never a rule.
  app.get('/api/postal-code/:code', (c) => {
    const suggestion = suggestAddress(c.req.param('code'));
    return suggestion === undefined ? c.json({ error: 'unknown' }, 404) : c.json(suggestion);
  });

  const notice = maintenanceNotice(deps);
  const confirmationWarning = maintenanceConfirmationWarning(deps);
  app.route('/', homeRoutes(deps, { maintenanceNotice: notice }));
  app.route('/renew', renewalRoutes(deps, { confirmationWarning, maintenanceNotice: notice }));
  app.route('/new', newApplicationRoutes(deps, { confirmationWarning, maintenanceNotice: notice }));
  app.route('/cancel', cancelRoutes(deps, { maintenanceNotice: notice }));
  app.route('/status', statusRoutes(deps));
  app.route('/pickup', pickupRoutes(deps, { maintenanceNotice: notice }));
  app.route('/revoke', revokeRoutes(deps));
  app.route('/session', sessionRoutes(deps));
  app.route('/', limitRoutes(deps));
  app.route('/help', helpRoutes(deps));
  app.route('/help', aboutRoutes(deps));
  app.route('/maintenance', maintenanceRoutes(deps));
  if (deps.isMailViewerEnabled) {
    // The viewer shows everyone's mail: only to a request addressed to this site by its own
    // name, so a page that rebinds its DNS to 127.0.0.1 cannot read it (issue #6 review).
    const ownHost = new URL(deps.site.publicUrl).host;
    const isOwnHost = (url: string) => new URL(url).host === ownHost;
    app.use('/dev/mail/*', async (c, next) => (isOwnHost(c.req.url) ? next() : c.notFound()));
    app.use('/dev/mail', async (c, next) => (isOwnHost(c.req.url) ? next() : c.notFound()));
    app.route('/dev/mail', mailViewerRoutes({ db: deps.db, site: deps.site }));
  }

  app.notFound((c) => {
    const t = commonText[c.get('lang') ?? 'ja'];
    return c.html(<MessagePage frame={frameOf(c, deps, '/')} title={t.notFoundTitle} body={t.notFoundBody} link={{ href: '/', label: t.navHome }} />, 404);
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    const t = commonText[c.get('lang') ?? 'ja'];
    // A client's mistake keeps its status and gets our page, logged as a warning (issue #6 defect 3).
    if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
      deps.log.warn({ event: 'request.clientError', status: error.status, requestId, path: loggedPath(c.req.path) }, 'client error');
      const status = ([400, 403, 405, 413, 415] as const).find((s) => s === error.status) ?? 400;
      return clientErrorPage(c, deps, status as ClientErrorStatus);
    }
    if (error instanceof PasswordWorkOverloaded) {
      deps.log.warn({ event: 'request.overloaded', requestId, path: loggedPath(c.req.path) }, 'password work queue full');
      c.header('Retry-After', '5');
      return c.html(<MessagePage frame={frameOf(c, deps, '/')} title={t.busyTitle} body={t.busyBody} reference={requestId} />, 503);
    }
    deps.log.error({ err: error, requestId, path: loggedPath(c.req.path) }, 'unhandled error');
    return c.html(<MessagePage frame={frameOf(c, deps, '/')} title={t.errorTitle} body={t.errorBody} reference={requestId} />, 500);
  });

  return app;
}

const isConsolePath = (path: string) => path === '/console' || path.startsWith('/console/');
