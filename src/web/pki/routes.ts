import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { toArrayBuffer } from '../../ca/der.js';
import { decodeOcspGetRequest, ocspErrorResponse, ocspLimits } from '../../ca/ocsp.js';
import type { CaDeps } from '../../ra/ca-signing.js';
import { createOcspResponder, type OcspAnswer, type OcspResponder } from '../../ra/ocsp-responder.js';
import { findServedCrl, type ServedCrl } from '../../ra/publish-crl.js';
import type { WebDeps, WebEnv } from '../env.js';
import { loggedPath } from '../logged-path.js';
import { isNoneMatchSatisfied } from '../etag.js';
import { readBounded } from '../form-guard.js';

/**
 * What relying parties fetch over plain http (S/MIME BR 7.1.2.3), at the URLs every
 * certificate names (ca/issuing-ca.ts subscriberUrlsOf, the issuing CA's root URLs):
 * the CA certificates (DER, RFC 5280 4.2.2.1), their CRLs (DER, RFC 5280 5) and the
 * OCSP responder (RFC 6960 A.1: GET and POST; RFC 5019 caching). Mounted ahead of
 * sessions, form tokens and the maintenance gate: no cookie is read or set, no page is
 * rendered, and a maintenance window closes none of it (relying parties never wait).
 */

const types = {
  certificate: 'application/pkix-cert',
  crl: 'application/pkix-crl',
  ocspRequest: 'application/ocsp-request',
  ocspResponse: 'application/ocsp-response',
} as const;

/** How long an HTTP cache may keep a CRL or an OCSP response: short, so a revocation shows within minutes there too. */
const sharedCacheSeconds = 300;
/** CA certificates change only with a new CA. */
const certificateCacheSeconds = 86_400;

/** The paths below /pki and the methods each answers (anything else: 405 with Allow). */
const allowedMethods: Readonly<Record<string, string>> = {
  '/issuing-ca.crt': 'GET, HEAD',
  '/root-ca.crt': 'GET, HEAD',
  '/issuing-ca.crl': 'GET, HEAD',
  '/root-ca.crl': 'GET, HEAD',
  '/ocsp': 'GET, HEAD, POST',
};

export function pkiRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const caDeps: CaDeps = { db: deps.db, clock: deps.clock, log: deps.log, ca: deps.ca };
  // Made on the first OCSP request: an app whose CA is absent (some tests) never touches it.
  let responder: OcspResponder | undefined;
  const responderOf = () => (responder ??= createOcspResponder(caDeps));

  app.get('/issuing-ca.crt', (c) => caCertificate(c, new Uint8Array(deps.ca.material.issuing.rawData)));
  app.get('/root-ca.crt', (c) => caCertificate(c, new Uint8Array(deps.ca.material.root.rawData)));
  app.get('/issuing-ca.crl', (c) => crl(c, deps, caDeps, 'issuing'));
  app.get('/root-ca.crl', (c) => crl(c, deps, caDeps, 'root'));

  // RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}. The
  // base64 may hold "/", so everything after /ocsp/ is the request, read from the raw URL.
  app.get('/ocsp/*', async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const marker = pathname.indexOf('/ocsp/');
    const requestDer = marker < 0 ? undefined : decodeOcspGetRequest(pathname.slice(marker + '/ocsp/'.length));
    if (requestDer === undefined) return ocspMalformed(c);
    return ocsp(c, deps, responderOf, requestDer, 'get');
  });
  app.get('/ocsp', (c) => ocspMalformed(c));

  const post = async (c: Context<WebEnv>) => {
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== types.ocspRequest) return plain(c, 415, `POST an ${types.ocspRequest}\n`);
    const body = await readBoundedBody(c.req.raw, ocspLimits.maxRequestBytes);
    if (body === 413) return plain(c, 413, `an OCSP request is at most ${ocspLimits.maxRequestBytes} bytes\n`);
    if (body === 400) return ocspMalformed(c);
    return ocsp(c, deps, responderOf, body, 'post');
  };
  app.post('/ocsp', post);
  app.post('/ocsp/', post);

  app.all('*', (c) => {
    const path = new URL(c.req.url).pathname.replace(/^.*?\/pki(?=\/|$)/, '');
    const allow = allowedMethods[path] ?? (path.startsWith('/ocsp/') ? allowedMethods['/ocsp'] : undefined);
    if (allow === undefined) return plain(c, 404, 'not found\n');
    c.header('Allow', allow);
    return plain(c, 405, 'method not allowed\n');
  });
  return app;
}

function caCertificate(c: Context<WebEnv>, der: Uint8Array): Response {
  const etag = `"${createHash('sha256').update(der).digest('hex').slice(0, 32)}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', `public, max-age=${certificateCacheSeconds}`);
  if (isNoneMatchSatisfied(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return c.body(toArrayBuffer(der), 200, { 'Content-Type': types.certificate });
}

async function crl(c: Context<WebEnv>, deps: WebDeps, caDeps: CaDeps, role: 'root' | 'issuing'): Promise<Response> {
  let served: ServedCrl | undefined;
  try {
    served = await findServedCrl(caDeps, role);
  } catch (error) {
    deps.log.error({ err: error, event: 'pki.crlFailed', role, requestId: c.get('requestId') }, 'no CRL to serve');
    return plain(c, 503, 'the CRL is being published; try again shortly\n', { 'Retry-After': '5' });
  }
  if (served === undefined) {
    deps.log.error({ event: 'pki.crlMissing', role, requestId: c.get('requestId') }, 'no CRL published for this CA');
    return plain(c, 503, 'no CRL is published yet; try again later\n', { 'Retry-After': '60' });
  }
  const now = deps.clock.now();
  const etag = `"${role}-${served.crlNumber}"`;
  const lastModified = served.thisUpdate.toUTCString();
  c.header('ETag', etag);
  c.header('Last-Modified', lastModified);
  c.header('Cache-Control', `public, no-transform, max-age=${cacheSecondsUntil(served.nextUpdate, now)}`);
  if (isNotModified(c, etag, served.thisUpdate)) return c.body(null, 304);
  return c.body(toArrayBuffer(served.der), 200, { 'Content-Type': types.crl });
}

async function ocsp(c: Context<WebEnv>, deps: WebDeps, responderOf: () => OcspResponder, requestDer: Uint8Array, method: 'get' | 'post'): Promise<Response> {
  let answer: OcspAnswer;
  try {
    answer = await responderOf().answer(requestDer);
  } catch (error) {
    // Infrastructure (database, signer): RFC 6960 internalError, and the log has the cause.
    deps.log.error({ err: error, event: 'pki.ocspFailed', requestId: c.get('requestId'), path: loggedPath(c.req.path) }, 'OCSP responder failed');
    c.header('Cache-Control', 'no-store');
    return c.body(toArrayBuffer(ocspErrorResponse('internalError')), 500, { 'Content-Type': types.ocspResponse });
  }
  if (answer.status !== 'successful') deps.log.debug({ event: 'pki.ocspRefused', status: answer.status, requestId: c.get('requestId') }, 'OCSP request refused');
  // RFC 5019 6.2: a GET answer without a nonce may be cached, until shortly before its nextUpdate.
  if (method === 'get' && answer.isCacheable && answer.producedAt !== undefined && answer.nextUpdate !== undefined) {
    const etag = `"${createHash('sha256').update(answer.der).digest('hex').slice(0, 32)}"`;
    c.header('ETag', etag);
    c.header('Last-Modified', answer.producedAt.toUTCString());
    c.header('Cache-Control', `public, no-transform, max-age=${cacheSecondsUntil(answer.nextUpdate, deps.clock.now())}`);
    if (isNoneMatchSatisfied(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  } else {
    c.header('Cache-Control', 'no-store');
  }
  return c.body(toArrayBuffer(answer.der), 200, { 'Content-Type': types.ocspResponse });
}

/** RFC 6960 2.3: a request we cannot read is answered malformedRequest, as an OCSP response. */
function ocspMalformed(c: Context<WebEnv>): Response {
  c.header('Cache-Control', 'no-store');
  return c.body(toArrayBuffer(ocspErrorResponse('malformedRequest')), 200, { 'Content-Type': types.ocspResponse });
}

function plain(c: Context<WebEnv>, status: 404 | 405 | 413 | 415 | 503, text: string, headers: Record<string, string> = {}): Response {
  c.header('Cache-Control', 'no-store');
  return c.body(text, status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

function cacheSecondsUntil(nextUpdate: Date, now: Date): number {
  return Math.max(0, Math.min(sharedCacheSeconds, Math.floor((nextUpdate.getTime() - now.getTime()) / 1000)));
}

function isNotModified(c: Context<WebEnv>, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch !== undefined) return isNoneMatchSatisfied(ifNoneMatch, etag);
  const ifModifiedSince = c.req.header('if-modified-since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** The body, refused past `limit` bytes: up front when Content-Length says so, else as it arrives (form-guard.ts). */
async function readBoundedBody(request: Request, limit: number): Promise<Uint8Array | 413 | 400> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) return 413;
  return readBounded(request, limit);
}
