import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { deleteSession, extendSession, loadSession, storeSession } from '../store/session-store.js';
import type { WebDeps, WebEnv } from './env.js';

/**
 * A stored session ends after 30 minutes without a request (issue #6 defect 7: every
 * stored session holds personal data, and shared computers are common at work), and
 * after 8 hours whatever happens. A page view slides the idle time; the form says so.
 */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60 * 1000;

const cookieValuePattern = /^[A-Za-z0-9_-]{43}$/;
const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const newId = () => randomBytes(32).toString('base64url');

/**
 * What a portal visit remembers between pages: one draft per flow, plain JSON in the
 * sessions table. The types live with their flows; this is only the envelope.
 */
export interface PortalSession {
  renewal?: unknown;
  newApplication?: unknown;
  cancel?: unknown;
  status?: unknown;
  /** Values sealed with a key only the visitor's cookie holds (see SessionHandle.seal). */
  sealed?: Record<string, string>;
}

export type FlowName = Exclude<keyof PortalSession, 'sealed'>;

/**
 * One request's view of the visitor's session.
 *
 * Nothing is written for a visitor who has not posted anything (issue #6 defect 2): a
 * form's CSRF token is an HMAC of a random cookie value, which needs no row. The row is
 * created when a request first stores something, always under a fresh id, so an id
 * planted or seen before can never name a session with personal data in it.
 */
export class SessionHandle {
  #isChanged = false;
  #isEnded = false;
  #isCookieNeeded = false;
  #replacesIdHash: string | undefined;

  constructor(
    readonly data: PortalSession,
    /** The cookie value the visitor holds (or will be given), never stored. */
    private cookieValue: string | undefined,
    /** Whether a row for this id exists. */
    private isStored: boolean,
    readonly createdAt: Date | undefined,
    private readonly csrfKey: Buffer,
  ) {}

  get idHash(): string | undefined {
    return this.cookieValue === undefined ? undefined : hashId(this.cookieValue);
  }

  get isChanged(): boolean {
    return this.#isChanged;
  }

  get isEnded(): boolean {
    return this.#isEnded;
  }

  get isCookieNeeded(): boolean {
    return this.#isCookieNeeded;
  }

  get isPersisted(): boolean {
    return this.isStored;
  }

  get replacesIdHash(): string | undefined {
    return this.#replacesIdHash;
  }

  get currentCookieValue(): string | undefined {
    return this.cookieValue;
  }

  /** The CSRF token for a form: bound to this visitor's cookie, stateless (issue #6 defect 2). */
  csrfToken(): string {
    if (this.cookieValue === undefined) {
      this.cookieValue = newId();
      this.#isCookieNeeded = true;
    }
    return csrfTokenFor(this.csrfKey, this.cookieValue);
  }

  isCsrfTokenValid(presented: string | undefined): boolean {
    if (this.cookieValue === undefined || presented === undefined) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(csrfTokenFor(this.csrfKey, this.cookieValue));
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * A new id (and so new CSRF tokens), once the visitor has proved who they are or
   * personal data first enters the session (session fixation). Sealed values move along.
   */
  rotate(): void {
    const sealed = this.unsealAll();
    if (this.isStored && this.#replacesIdHash === undefined) this.#replacesIdHash = this.idHash;
    this.cookieValue = newId();
    this.isStored = false;
    this.#isCookieNeeded = true;
    this.#isChanged = true;
    this.sealAll(sealed);
  }

  update(mutate: (data: PortalSession) => void): void {
    // The first write of a session that has no row yet gets a fresh id (see the class note).
    if (!this.isStored && !this.#isChanged) this.rotate();
    mutate(this.data);
    this.#isChanged = true;
  }

  /** 「終了する」: the row goes, and the cookie with it. */
  end(): void {
    this.#isEnded = true;
  }

  /**
   * Keep `value` (a password between 次へ and 送信) so that the database alone cannot read
   * it: AES-256-GCM under a key derived from the cookie value, which the database never
   * sees (it keeps only the cookie's SHA-256).
   */
  seal(name: string, value: string): void {
    this.update((s) => {
      s.sealed = { ...s.sealed, [name]: sealWith(this.sealKey(), value) };
    });
  }

  unseal(name: string): string | undefined {
    const blob = this.data.sealed?.[name];
    return blob === undefined || this.cookieValue === undefined ? undefined : unsealWith(this.sealKey(), blob);
  }

  hasSealed(name: string): boolean {
    return this.data.sealed?.[name] !== undefined;
  }

  forgetSealed(name: string): void {
    if (this.data.sealed?.[name] === undefined) return;
    this.update((s) => {
      const { [name]: _gone, ...rest } = s.sealed ?? {};
      s.sealed = rest;
    });
  }

  private sealKey(): Buffer {
    if (this.cookieValue === undefined) throw new Error('sealing a value in a session without a cookie');
    return Buffer.from(hkdfSync('sha256', this.cookieValue, 'certdesk', 'session-seal', 32));
  }

  private unsealAll(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(this.data.sealed ?? {})) {
      const value = this.unseal(name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private sealAll(values: Record<string, string>): void {
    if (Object.keys(values).length === 0) return;
    const key = this.sealKey();
    this.data.sealed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, sealWith(key, v)]));
  }
}

function csrfTokenFor(key: Buffer, cookieValue: string): string {
  return createHmac('sha256', key).update(`csrf:${cookieValue}`).digest('base64url');
}

function sealWith(key: Buffer, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unsealWith(key: Buffer, blob: string): string | undefined {
  const raw = Buffer.from(blob, 'base64url');
  if (raw.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    // Sealed under another cookie (a copied row): as good as absent, and the flow asks again.
    return undefined;
  }
}

export function cookieName(isSecure: boolean): string {
  return isSecure ? '__Host-certdesk' : 'certdesk';
}

/**
 * Server-side sessions: the cookie holds 256 random bits, the table holds its hash.
 * HttpOnly, SameSite=Lax, and Secure with the __Host- prefix wherever the site is https
 * or on loopback. A visitor without a stored session costs no database access at all.
 */
export function sessions(deps: WebDeps): MiddlewareHandler<WebEnv> {
  const name = cookieName(deps.isSecureCookie);
  const cookieOptions = { path: '/', httpOnly: true, secure: deps.isSecureCookie, sameSite: 'Lax' } as const;
  return async (c, next) => {
    const now = deps.clock.now();
    const presented = getCookie(c, name);
    const cookieValue = presented !== undefined && cookieValuePattern.test(presented) ? presented : undefined;
    let handle: SessionHandle | undefined;
    let isDueForExtension = false;
    if (cookieValue !== undefined) {
      const loaded = await loadSession(deps.db, hashId(cookieValue), now);
      if (loaded !== undefined && now.getTime() - loaded.createdAt.getTime() < SESSION_ABSOLUTE_MS) {
        handle = new SessionHandle(loaded.data as PortalSession, cookieValue, true, loaded.createdAt, deps.secrets.csrfKey);
        isDueForExtension = loaded.expiresAt.getTime() - now.getTime() < (SESSION_IDLE_MS * 3) / 4;
      }
    }
    // An unknown or expired id keeps its cookie value: the forms it signed stay valid, so
    // a long form posted after the idle time still arrives (WCAG 2.2.1); only the state is gone.
    handle ??= new SessionHandle({}, cookieValue, false, undefined, deps.secrets.csrfKey);
    c.set('session', handle);
    await next();

    if (handle.isEnded) {
      const idHash = handle.idHash;
      if (idHash !== undefined) await deleteSession(deps.db, idHash);
      if (handle.replacesIdHash !== undefined) await deleteSession(deps.db, handle.replacesIdHash);
      deleteCookie(c, name, cookieOptions);
      return;
    }
    const idHash = handle.idHash;
    const value = handle.currentCookieValue;
    if (handle.isChanged && idHash !== undefined && value !== undefined) {
      // A rotated session keeps its first instant: the absolute limit counts from there.
      const createdAt = handle.createdAt ?? now;
      await storeSession(deps.db, {
        idHash,
        replacesIdHash: handle.replacesIdHash,
        data: handle.data as Record<string, unknown>,
        createdAt,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      });
      setCookie(c, name, value, { ...cookieOptions, maxAge: SESSION_IDLE_MS / 1000 });
    } else if (handle.isPersisted && isDueForExtension && idHash !== undefined && value !== undefined) {
      await extendSession(deps.db, idHash, new Date(now.getTime() + SESSION_IDLE_MS));
      setCookie(c, name, value, { ...cookieOptions, maxAge: SESSION_IDLE_MS / 1000 });
    } else if (handle.isCookieNeeded && value !== undefined) {
      // A browser-session cookie for the form's token: no row, no database write.
      setCookie(c, name, value, cookieOptions);
    }
  };
}

/** The session of this request. */
export const sessionOf = (c: Context<WebEnv>): SessionHandle => c.get('session');
