import type { Context, MiddlewareHandler } from 'hono';
import type { WebDeps, WebEnv } from './env.js';
import { MessagePage } from './layout.js';
import { commonText } from './messages.js';
import { loggedPath } from './logged-path.js';
import { frameOf } from './request.js';

/**
 * Every form of the site posts less than this (the longest, the application form, is
 * about 3 KiB in Japanese). Bigger bodies are refused with 413 before a byte is parsed
 * (issue #6 defect 2).
 */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;
/** No form has more fields than this; a body with more is not one of ours. */
export const FORM_FIELD_LIMIT = 100;
/** No field of ours is longer than this many UTF-16 units (the CSR upload has its own route). */
export const FORM_VALUE_LIMIT = 4096;

const fieldNamePattern = /^[A-Za-z0-9_]{1,64}$/;

/** File inputs whose content is ours to read, as bytes: the CSR of the pickup upload (PEM or DER). */
const fileFields: ReadonlySet<string> = new Set(['csrFile']);
/** No file of ours is larger (a CSR is well under 8 KiB). */
export const FORM_FILE_LIMIT_BYTES = 16 * 1024;

/**
 * What PostgreSQL cannot store, as U+FFFD: NUL (text and jsonb refuse it) and lone
 * surrogates (jsonb refuses their escapes). Validation refuses U+FFFD in every field, so
 * the subscriber gets a field error, and nothing we keep can fail to save (defect 4).
 */
export function storableText(value: string): string {
  return value.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export type FormFields = Readonly<Record<string, string>>;
export type FormFiles = Readonly<Record<string, Uint8Array>>;

type Parsed = { ok: true; fields: Record<string, string>; files: Record<string, Uint8Array> } | { ok: false; status: 400 | 413 };

/**
 * The fields of a form body, our way: URL-encoded or multipart, first value of a repeated
 * field, strings only (files are no field of ours, but for the CSR file, kept as bytes),
 * storable text, bounded in number and length. Any other content type carries no fields, so its CSRF token is missing.
 */
export async function readFormFields(request: Request): Promise<Parsed> {
  const contentType = request.headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const bytes = await readBounded(request, FORM_BODY_LIMIT_BYTES);
  if (typeof bytes === 'number') return { ok: false, status: bytes };
  let entries: Iterable<[string, FormDataEntryValue]>;
  if (mediaType === 'application/x-www-form-urlencoded') {
    // The WHATWG decoders never throw: bad percent-escapes stay as typed, bad UTF-8 becomes U+FFFD.
    entries = new URLSearchParams(new TextDecoder().decode(bytes)).entries();
  } else if (mediaType === 'multipart/form-data') {
    try {
      const formData = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const collected: [string, FormDataEntryValue][] = [];
      formData.forEach((value, name) => collected.push([name, value]));
      entries = collected;
    } catch {
      return { ok: false, status: 400 };
    }
  } else {
    entries = [];
  }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const files: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  let count = 0;
  for (const [name, value] of entries) {
    count += 1;
    if (count > FORM_FIELD_LIMIT) return { ok: false, status: 413 };
    if (!fieldNamePattern.test(name) || name in fields || name in files) continue;
    if (typeof value !== 'string') {
      if (!fileFields.has(name)) continue;
      if (value.size > FORM_FILE_LIMIT_BYTES) return { ok: false, status: 413 };
      // An empty file input sends an empty part: no file chosen.
      if (value.size > 0) files[name] = new Uint8Array(await value.arrayBuffer());
      continue;
    }
    if (value.length > FORM_VALUE_LIMIT) return { ok: false, status: 413 };
    fields[name] = storableText(value);
  }
  return { ok: true, fields, files };
}

/**
 * The body, read as it arrives and abandoned as soon as it passes `limit` (a chunked body
 * has no Content-Length to refuse up front): 413 then, 400 when the client went away or
 * sent a broken encoding.
 */
export async function readBounded(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | 413 | 400> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined); // the client's problem now; we have answered
        return 413;
      }
      chunks.push(value);
    }
  } catch {
    return 400;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The statuses the site answers a client's mistake with, each with its own page. */
export type ClientErrorStatus = 400 | 403 | 405 | 413 | 415;

export function clientErrorPage(c: Context<WebEnv>, deps: WebDeps, status: ClientErrorStatus, startAgain = '/') {
  const t = commonText[c.get('lang') ?? 'ja'];
  const page = {
    400: { title: t.badRequestTitle, body: t.badRequestBody },
    403: { title: t.forbiddenTitle, body: t.forbiddenBody },
    405: { title: t.methodTitle, body: t.methodBody },
    413: { title: t.tooLargeTitle, body: t.tooLargeBody },
    415: { title: t.badRequestTitle, body: t.badRequestBody },
  }[status];
  // The way back is the site's own address, also for a visitor who came in by another name of this host.
  const home = `${deps.site.publicUrl}${startAgain}`;
  return c.html(<MessagePage frame={frameOf(c, deps, startAgain)} title={page.title} body={page.body} link={{ href: home, label: t.startOver }} />, status);
}

/**
 * Every POST, before any handler: a bounded body (413), from a page of this site (403:
 * Origin or Sec-Fetch-Site), parsed once into plain fields (400 when it cannot be), and
 * carrying this visitor's form token (403, "please start again"). Handlers read
 * `c.get('form')`.
 */
export function formGuard(
  deps: WebDeps,
  isTokenValid: (c: Context<WebEnv>, token: string | undefined) => boolean = (c, token) => c.get('session').isCsrfTokenValid(token),
): MiddlewareHandler<WebEnv> {
  const origin = new URL(deps.site.publicUrl).origin;
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !(Number(declared) <= FORM_BODY_LIMIT_BYTES)) {
      deps.log.warn({ event: 'form.tooLarge', path: loggedPath(c.req.path), requestId: c.get('requestId') }, 'form body over the limit');
      return clientErrorPage(c, deps, 413);
    }
    const fetchSite = c.req.header('sec-fetch-site');
    // Browsers say "same-origin" in Sec-Fetch-Site; under our Referrer-Policy: no-referrer
    // Chromium sends Origin: null, so Origin alone would refuse our own forms.
    const isSameOrigin = fetchSite === 'same-origin' || (fetchSite === undefined && c.req.header('origin') === origin);
    if (!isSameOrigin) {
      deps.log.warn({ event: 'form.crossOrigin', path: loggedPath(c.req.path), origin: c.req.header('origin')?.slice(0, 100), fetchSite, requestId: c.get('requestId') }, 'form from another origin');
      return clientErrorPage(c, deps, 403);
    }
    const parsed = await readFormFields(c.req.raw);
    if (!parsed.ok) {
      deps.log.warn({ event: 'form.unreadable', status: parsed.status, path: loggedPath(c.req.path), requestId: c.get('requestId') }, 'form body refused');
      return clientErrorPage(c, deps, parsed.status);
    }
    if (!isTokenValid(c, parsed.fields['_csrf'])) {
      deps.log.warn({ event: 'csrf.rejected', path: loggedPath(c.req.path), requestId: c.get('requestId') }, 'CSRF token rejected');
      return clientErrorPage(c, deps, 403);
    }
    c.set('form', parsed.fields);
    c.set('formFiles', parsed.files);
    return next();
  };
}
