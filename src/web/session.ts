import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { countAttempt } from '../store/rate-limit-store.js';
import { deleteSession, extendSession, loadSession, storeSession } from '../store/session-store.js';
import type { WebDeps, WebEnv } from './env.js';
import { clientKeyOf } from './request.js';

/**
 * A stored session ends after 30 minutes without a request (issue #6 defect 7: every
 * stored session holds personal data, and shared computers are common at work), and
 * after 8 hours whatever happens. A page view slides the idle time; the form says so.
 */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60 * 1000;
/** New session rows one client may start in an hour: each holds a draft of ~3 KB (issue #6 review). */
export const NEW_SESSIONS_PER_CLIENT_HOUR = { max: 60, windowMs: 60 * 60 * 1000 };

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
  pickup?: unknown;
  revoke?: unknown;
  /** Values sealed with a key only the visitor's cookie holds (see SessionHandle.seal). */
  sealed?: Record<string, string>;
}

export type FlowName = Exclude<keyof PortalSession, 'sealed'>;

/**
 * One request's view of the visitor's session.
 *
 * Two cookies. The form cookie is a random value that never changes while the browser
 * runs and is never stored: a form's CSRF token is its HMAC, so a visitor who has not
 * posted anything costs no database write (issue #6 defect 2), and rotating the session
 * id does not invalidate the forms open in other tabs. The session cookie names a row,
 * created when a request first stores something, always under a fresh id, and given a
 * fresh id again whenever identity is proved or personal data is written, so an id
 * planted or seen before never names a session with someone's data in it.
 */
export class SessionHandle {
  #isChanged = false;
  #isEnded = false;
  #isFormCookieNeeded = false;
  #replacesIdHash: string | undefined;

  constructor(
    readonly data: PortalSession,
    /** The session cookie value the visitor holds (or will be given), never stored. */
    private cookieValue: string | undefined,
    /** Whether a row for this id exists. */
    private isStored: boolean,
    readonly createdAt: Date | undefined,
    /** The form cookie's value, which signs the forms (see the class note). */
    private formCookieValue: string | undefined,
    private readonly csrfKey: Buffer,
  ) {}

  get formCookie(): { value: string | undefined; isNeeded: boolean } {
    return { value: this.formCookieValue, isNeeded: this.#isFormCookieNeeded };
  }

  get idHash(): string | undefined {
    return this.cookieValue === undefined ? undefined : hashId(this.cookieValue);
  }

  get isChanged(): boolean {
    return this.#isChanged;
  }

  get isEnded(): boolean {
    return this.#isEnded;
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

  /** The CSRF token for a form: bound to this browser's form cookie, stateless (issue #6 defect 2). */
  csrfToken(): string {
    if (this.formCookieValue === undefined) {
      this.formCookieValue = newId();
      this.#isFormCookieNeeded = true;
    }
    return csrfTokenFor(this.csrfKey, this.formCookieValue);
  }

  isCsrfTokenValid(presented: string | undefined): boolean {
    if (this.formCookieValue === undefined || presented === undefined) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(csrfTokenFor(this.csrfKey, this.formCookieValue));
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

export function formCookieName(isSecure: boolean): string {
  return isSecure ? '__Host-certdesk-form' : 'certdesk-form';
}

/**
 * Server-side sessions: the cookie holds 256 random bits, the table holds its hash.
 * HttpOnly, SameSite=Lax, and Secure with the __Host- prefix wherever the site is https
 * or on loopback. A visitor without a stored session costs no database access at all.
 */
export function sessions(deps: WebDeps): MiddlewareHandler<WebEnv> {
  const name = cookieName(deps.isSecureCookie);
  const formName = formCookieName(deps.isSecureCookie);
  const cookieOptions = { path: '/', httpOnly: true, secure: deps.isSecureCookie, sameSite: 'Lax' } as const;
  const valid = (value: string | undefined) => (value !== undefined && cookieValuePattern.test(value) ? value : undefined);
  return async (c, next) => {
    const now = deps.clock.now();
    const cookieValue = valid(getCookie(c, name));
    const formCookieValue = valid(getCookie(c, formName));
    let handle: SessionHandle | undefined;
    let isDueForExtension = false;
    if (cookieValue !== undefined) {
      const loaded = await loadSession(deps.db, hashId(cookieValue), now);
      if (loaded !== undefined && now.getTime() - loaded.createdAt.getTime() < SESSION_ABSOLUTE_MS) {
        handle = new SessionHandle(loaded.data as PortalSession, cookieValue, true, loaded.createdAt, formCookieValue, deps.secrets.csrfKey);
        isDueForExtension = loaded.expiresAt.getTime() - now.getTime() < (SESSION_IDLE_MS * 3) / 4;
      }
    }
    // An unknown or expired session: the form cookie still signs the forms, so a long form
    // posted after the idle time still arrives (WCAG 2.2.1); only the stored state is gone.
    handle ??= new SessionHandle({}, undefined, false, undefined, formCookieValue, deps.secrets.csrfKey);
    c.set('session', handle);
    await next();
    const formCookie = handle.formCookie;
    // A browser-session cookie: no row, no database write, gone when the browser closes.
    if (formCookie.isNeeded && formCookie.value !== undefined) setCookie(c, formName, formCookie.value, cookieOptions);

    if (handle.isEnded) {
      const idHash = handle.idHash;
      if (idHash !== undefined) await deleteSession(deps.db, idHash);
      if (handle.replacesIdHash !== undefined) await deleteSession(deps.db, handle.replacesIdHash);
      deleteCookie(c, name, cookieOptions);
      return;
    }
    const idHash = handle.idHash;
    const value = handle.currentCookieValue;
    if (handle.isChanged && !handle.isPersisted && handle.replacesIdHash === undefined) {
      // A new row: bounded per client, so a flood of drafts cannot fill the database.
      const count = await countAttempt(deps.db, `session-new:client:${clientKeyOf(c, deps)}`, now, NEW_SESSIONS_PER_CLIENT_HOUR.windowMs);
      if (count > NEW_SESSIONS_PER_CLIENT_HOUR.max) {
        deps.log.warn({ event: 'session.rateLimited', count }, 'too many new sessions from one client');
        c.res = c.redirect('/limited/sessions', 303);
        return;
      }
    }
    if (handle.isChanged && idHash !== undefined && value !== undefined) {
      // A rotated session keeps its first instant: the absolute limit counts from there.
      const createdAt = handle.createdAt ?? now;
      await storeSession(deps.db, {
        idHash,
        replacesIdHash: handle.replacesIdHash,
        formCookieHash: formCookie.value === undefined ? undefined : hashId(`form:${formCookie.value}`),
        data: handle.data as Record<string, unknown>,
        createdAt,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      });
      setCookie(c, name, value, { ...cookieOptions, maxAge: SESSION_IDLE_MS / 1000 });
    } else if (handle.isPersisted && isDueForExtension && idHash !== undefined && value !== undefined) {
      await extendSession(deps.db, idHash, new Date(now.getTime() + SESSION_IDLE_MS));
      setCookie(c, name, value, { ...cookieOptions, maxAge: SESSION_IDLE_MS / 1000 });
    }
  };
}

/** The session of this request. */
export const sessionOf = (c: Context<WebEnv>): SessionHandle => c.get('session');
