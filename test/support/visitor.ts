import type { Hono } from 'hono';
import { decodeHtml } from './portal-client.js';

/**
 * A visitor for fuzzing the portal in process: a cookie jar and a client address, raw
 * requests when the bytes matter, and every answer checked against the hardening issue's
 * invariants before anything else looks at it. Tabs share the visitor's cookies, as a
 * browser's do, and keep their own page and history.
 */

export const SITE_ORIGIN = 'http://127.0.0.1:3000';
export type Lang = 'ja' | 'en';

/** The form guard's refusals; any other answer to a POST means it reached a handler. */
export const guardRefusals: ReadonlySet<number> = new Set([400, 403, 405, 413, 415]);

/** Internals a visitor must never see: error names, stack frames, our file paths. */
const internalText = [/Error:/, /TypeError/, /\n\s+at\s/, /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/, /\/src\//, /node_modules/];

/** Markup the generators send; shown anywhere unescaped (pages, mails), it would run. */
export const unescapedMarkers = ['<script>fz', '<img src=x onerror'] as const;

/** The value a Cookie header gives `name`, by hono's rules: the first pair with a well-formed value wins. */
export function cookieOf(cookieHeader: string, name: string): string | undefined {
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!/^[ !#-:<-[\]-~]*$/.test(value)) continue;
    try {
      return decodeURIComponent(value);
    } catch {
      // hono keeps an undecodable value as it is.
      return value;
    }
  }
  return undefined;
}

/** The page language the app must choose for this Cookie header. */
export const langOf = (cookieHeader: string): Lang => (cookieOf(cookieHeader, 'lang') === 'en' ? 'en' : 'ja');

const excerpt = (html: string) => (html.length > 600 ? `${html.slice(0, 600)}…` : html);

/**
 * Invariants 1–3 for one answer: no 5xx; no internal text; every HTML page ours (the site
 * header) and in the visitor's language; every 4xx such a page; and, beyond the issue, no
 * markup we sent shown unescaped and no redirect off the site.
 */
export function checkAnswer(sent: { method: string; path: string; cookie: string }, res: Response, html: string): void {
  const problems: string[] = [];
  if (res.status >= 500) problems.push('a server error');
  for (const pattern of internalText) if (pattern.test(html)) problems.push(`internal text ${pattern}`);
  for (const marker of unescapedMarkers) if (html.includes(marker)) problems.push(`markup shown unescaped: ${marker}`);
  const isHtml = (res.headers.get('content-type') ?? '').startsWith('text/html');
  if (res.status >= 400 && sent.method !== 'HEAD' && !isHtml) problems.push(`a ${res.headers.get('content-type')} answer, not our page`);
  if (isHtml && sent.method !== 'HEAD') {
    const lang = langOf(sent.cookie);
    if (!html.includes(`<html lang="${lang}"`)) problems.push(`not a page in ${lang}`);
    if (!html.includes('<span class="brand-line1">certdesk</span>')) problems.push('not our page: no site header');
    // An error page's heading is our text: Japanese on a Japanese page, none on an English one.
    const heading = /<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? '';
    if (res.status >= 400 && /[\u3040-\u30ff\u4e00-\u9fff]/.test(heading) !== (lang === 'ja')) problems.push(`a heading not in ${lang}: ${heading.replace(/<[^>]+>/g, '')}`);
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? '';
    if (!/^\/(?![/\\])/.test(location)) problems.push(`a redirect off the site: ${location}`);
  }
  if (problems.length > 0) throw new Error(`${sent.method} ${sent.path} → ${res.status}: ${problems.join('; ')}\n${excerpt(html)}`);
}

export const hidden = (html: string, name: string): string | undefined => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1] === undefined ? undefined : decodeHtml(match[1]);
};

export interface Answer {
  /** The status of the request itself, before any redirect was followed. */
  firstStatus: number;
  status: number;
  url: string;
  html: string;
}

export interface Outgoing {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  /** Sent instead of the jar (a stale, foreign or broken cookie); '' sends none. */
  cookie?: string;
  isStreamed?: boolean;
}

/**
 * 'browser' keeps every cookie it is given; 'first' keeps its first session cookie and
 * ignores later ones (a script, or a replay of a captured request); 'none' keeps nothing.
 */
export type CookiePolicy = 'browser' | 'first' | 'none';

let addresses = 0;

export class Visitor {
  readonly jar = new Map<string, string>();
  /** Its own client address (the app trusts X-Forwarded-For in tests): per-client limits count it alone. */
  readonly address: string;
  /** Whether a POST of this visitor got past the form guard: only such a visitor may own a session row. */
  hasPassedGuard = false;
  /** The submission key of the last confirmation page any tab of this visitor showed. */
  latestKey: string | undefined;
  /** Every form this visitor's tabs posted, for replays. */
  readonly posts: { path: string; body: string }[] = [];

  constructor(
    private readonly app: { request: Hono['request'] },
    readonly policy: CookiePolicy = 'browser',
    lang?: Lang,
  ) {
    addresses += 1;
    this.address = `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
    if (lang !== undefined) this.jar.set('lang', lang);
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, and the GETs of its 303s as a browser follows them; every answer checked. */
  async send(out: Outgoing, follow = true): Promise<Answer> {
    let { res, html } = await this.once(out);
    const firstStatus = res.status;
    let url = out.path;
    for (let hops = 0; follow && res.status === 303 && hops < 5; hops++) {
      url = res.headers.get('location') ?? '/';
      ({ res, html } = await this.once({ method: 'GET', path: url }));
    }
    return { firstStatus, status: res.status, url, html };
  }

  private async once(out: Outgoing): Promise<{ res: Response; html: string }> {
    const cookie = out.cookie ?? this.cookieHeader();
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...out.headers };
    if (cookie !== '') headers['cookie'] = cookie;
    const init: RequestInit & { duplex?: 'half' } = { method: out.method, headers };
    if (out.body !== undefined) init.body = out.body;
    if (out.isStreamed === true) init.duplex = 'half';
    const res = await this.app.request(`${SITE_ORIGIN}${out.path}`, init);
    const html = out.method === 'HEAD' ? '' : await res.text();
    checkAnswer({ method: out.method, path: out.path, cookie }, res, html);
    if (out.method === 'POST' && !guardRefusals.has(res.status)) this.hasPassedGuard = true;
    this.remember(res);
    return { res, html };
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const isKept = name === 'lang' || this.policy === 'browser' || (this.policy === 'first' && !this.jar.has(name));
      if (!isKept) continue;
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

/** One browser tab: its own page and history, the visitor's cookies. */
export class Tab {
  page: Answer | undefined;
  readonly history: string[] = [];
  /** The submission key of the last confirmation page this tab showed. */
  lastKey: string | undefined;

  constructor(readonly visitor: Visitor) {}

  get html(): string {
    return this.page?.html ?? '';
  }

  csrf(): string | undefined {
    return hidden(this.html, '_csrf');
  }

  async go(path: string): Promise<Answer> {
    return this.see(await this.visitor.send({ method: 'GET', path }));
  }

  /** The browser's reload: this page's address again (a POST's answer is fetched by GET, as after a new tab). */
  async reload(fallback: string): Promise<Answer> {
    return this.go(this.page?.url ?? fallback);
  }

  /** Posts `fields` with this page's form token, as the page's own form would. */
  async post(path: string, fields: Record<string, string>): Promise<Answer> {
    const body = new URLSearchParams(fields);
    const csrf = this.csrf();
    if (csrf !== undefined) body.set('_csrf', csrf);
    return this.postRaw(path, body.toString());
  }

  async postRaw(path: string, body: string): Promise<Answer> {
    this.visitor.posts.push({ path, body });
    return this.see(await this.visitor.send({ method: 'POST', path, headers: { origin: SITE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body }));
  }

  private see(answer: Answer): Answer {
    this.page = answer;
    this.history.push(answer.url);
    const key = hidden(answer.html, 'submissionKey');
    if (key !== undefined) {
      this.lastKey = key;
      this.visitor.latestKey = key;
    }
    return answer;
  }
}
