import type { Hono } from 'hono';

/**
 * A browser stand-in for in-process tests (STYLE §7: routes through app.request()):
 * keeps cookies, sends Origin like a browser, and fills in the page's CSRF token.
 */
export class PortalClient {
  readonly cookies = new Map<string, string>();
  /** Each client looks like its own visitor to the per-client rate limit (the app trusts the proxy header in tests). */
  readonly address = `192.0.2.${Math.floor(Math.random() * 254) + 1}`;
  lastHtml = '';
  constructor(
    private readonly app: Hono<never> | { request: Hono['request'] },
    readonly origin = 'http://127.0.0.1:3000',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  async get(path: string): Promise<Response> {
    const res = await this.app.request(`${this.origin}${path}`, { headers: { cookie: this.cookieHeader(), 'x-forwarded-for': this.address } });
    this.remember(res);
    this.lastHtml = await res.clone().text();
    return res;
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

  async post(path: string, fields: Record<string, string>, options: { csrf?: string | false } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (options.csrf !== false) body.set('_csrf', options.csrf ?? this.csrf());
    const res = await this.app.request(`${this.origin}${path}`, {
      method: 'POST',
      body,
      headers: {
        cookie: this.cookieHeader(),
        'x-forwarded-for': this.address,
        origin: this.origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    this.remember(res);
    this.lastHtml = await res.clone().text();
    return res;
  }
}
