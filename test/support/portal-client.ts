import type { Hono } from 'hono';

/**
 * A browser stand-in for in-process tests (STYLE §7: routes through app.request()):
 * keeps cookies, sends Origin like a browser, fills in the page's CSRF token, and follows
 * 303 redirects with a GET as a browser does (Post/Redirect/Get), unless told not to.
 */
/** Clients made so far in this test file: each gets an address no other has (a random one met another one in CI). */
let clientsMade = 0;
const nextClientAddress = () => {
  const n = ++clientsMade;
  return `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`;
};

export class PortalClient {
  readonly cookies = new Map<string, string>();
  /** Each client looks like its own visitor to the per-client rate limit (the app trusts the proxy header in tests). */
  address = nextClientAddress();
  lastHtml = '';
  /** Where the last request was redirected, in order. */
  lastRedirects: string[] = [];
  constructor(
    private readonly app: Hono<never> | { request: Hono['request'] },
    readonly origin = 'http://127.0.0.1:3000',
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      // An expired or emptied cookie is gone, as a browser would drop it.
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async follow(res: Response, follow: boolean): Promise<Response> {
    let current = res;
    for (let hops = 0; follow && hops < 5 && [301, 302, 303].includes(current.status); hops++) {
      const location = current.headers.get('location')!;
      this.lastRedirects.push(location);
      current = await this.app.request(new URL(location, this.origin).toString(), { headers: { cookie: this.cookieHeader(), 'x-forwarded-for': this.address } });
      this.remember(current);
    }
    this.lastHtml = await current.clone().text();
    return current;
  }

  async get(path: string, options: { follow?: boolean } = {}): Promise<Response> {
    this.lastRedirects = [];
    const res = await this.app.request(`${this.origin}${path}`, { headers: { cookie: this.cookieHeader(), 'x-forwarded-for': this.address } });
    this.remember(res);
    return this.follow(res, options.follow ?? true);
  }

  /** The CSRF token of the last page shown. */
  csrf(): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!match) throw new Error('no CSRF token on the last page');
    return match[1]!;
  }

  hidden(name: string): string {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(this.lastHtml);
    if (!match) throw new Error(`no hidden field ${name} on the last page`);
    return match[1]!;
  }

  /**
   * Posts the fields URL-encoded, or as multipart/form-data when `files` are given (a file
   * input's name → the file's content), as a browser submits a form with a file.
   */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | false; follow?: boolean; headers?: Record<string, string>; files?: Record<string, { name: string; content: string | Uint8Array<ArrayBuffer> }> } = {},
  ): Promise<Response> {
    this.lastRedirects = [];
    const csrf = options.csrf === false ? undefined : (options.csrf ?? this.csrf());
    let body: URLSearchParams | FormData;
    const headers: Record<string, string> = { cookie: this.cookieHeader(), 'x-forwarded-for': this.address, origin: this.origin, ...options.headers };
    if (options.files === undefined) {
      body = new URLSearchParams(fields);
      if (csrf !== undefined) body.set('_csrf', csrf);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.set(name, value);
      if (csrf !== undefined) body.set('_csrf', csrf);
      for (const [name, file] of Object.entries(options.files)) body.set(name, new Blob([file.content]), file.name);
    }
    const res = await this.app.request(`${this.origin}${path}`, { method: 'POST', body, headers });
    this.remember(res);
    return this.follow(res, options.follow ?? true);
  }
}

/** The form as the browser would send it back: every input's current value. */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    const type = /type="([^"]+)"/.exec(attrs)?.[1];
    if (type === 'radio') {
      if (/checked/.test(attrs)) fields[name] = /value="([^"]*)"/.exec(attrs)![1]!;
      continue;
    }
    fields[name] = decodeHtml(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
  }
  const pref = /<option value="([^"]*)" selected/.exec(html);
  if (pref) fields['prefecture'] = pref[1]!;
  return fields;
}

export const decodeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
