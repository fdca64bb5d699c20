import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { deleteSession, loadSession, saveSession } from '../store/session-store.js';
import type { WebDeps, WebEnv } from './env.js';

/**
 * Sessions end after 2 hours without a request, sliding: filling in the long form takes
 * what it takes (WCAG 2.2.1), and every page view keeps the session alive.
 */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/** What a portal visit remembers between pages; plain JSON in the sessions table. */
export interface PortalSession {
  csrf: string;
  /** What was typed into the renewal lookup (never the password), to keep it on 戻る. */
  renewalLookup?: { email: string; certificateCode: string };
  renewal?: RenewalProgress;
  newApplication?: NewApplicationProgress;
  /** The application identified on the cancellation menu (SPEC 1.3). */
  cancel?: { applicationId: string };
}

export interface NewApplicationProgress {
  values?: Record<string, string>;
  passwordHash?: string;
  submissionKey?: string;
  acceptedApplicationId?: string;
  acceptedSubmissionKey?: string;
}

export interface RenewalProgress {
  subscriberId: string;
  certificateIds: string[];
  selectedCertificateId?: string;
  /** Normalised form values (never a password: only its hash). */
  values?: Record<string, string>;
  newPasswordHash?: string;
  /** Set when the confirmation screen is shown; consumed by 送信. */
  submissionKey?: string;
  acceptedApplicationId?: string;
  acceptedSubmissionKey?: string;
}

export class SessionHandle {
  #changed = false;
  #isTokenHandedOut = false;
  /** The id this session had before rotate(), to delete. */
  replacedIdHash: string | undefined;
  constructor(
    readonly data: PortalSession,
    public idHash: string,
    public cookieValue: string,
    readonly isNew: boolean,
  ) {}
  /**
   * A new id (and CSRF token) once the visitor has proved who they are, so an id
   * planted or seen before that proof is worth nothing after it (session fixation).
   */
  rotate(): void {
    if (!this.isNew) this.replacedIdHash ??= this.idHash;
    this.cookieValue = randomBytes(32).toString('base64url');
    this.idHash = hashId(this.cookieValue);
    this.data.csrf = randomBytes(32).toString('base64url');
    this.#changed = true;
  }
  update(mutate: (data: PortalSession) => void): void {
    mutate(this.data);
    this.#changed = true;
  }
  /** The CSRF token for a form; a new session is stored only once a form needs it. */
  csrfToken(): string {
    this.#isTokenHandedOut = true;
    return this.data.csrf;
  }
  get isChanged(): boolean {
    return this.#changed || (this.isNew && this.#isTokenHandedOut);
  }
}

export function cookieName(isSecure: boolean): string {
  return isSecure ? '__Host-certdesk' : 'certdesk';
}


/**
 * Server-side sessions: the cookie holds 256 random bits, the table holds its hash.
 * HttpOnly, SameSite=Lax, and Secure with the __Host- prefix wherever the site is https
 * or on loopback.
 */
export function sessions(deps: WebDeps): MiddlewareHandler<WebEnv> {
  const name = cookieName(deps.isSecureCookie);
  return async (c, next) => {
    const now = deps.clock.now();
    const presented = getCookie(c, name);
    let handle: SessionHandle | undefined;
    let isDueForRenewal = false;
    if (presented !== undefined && /^[A-Za-z0-9_-]{43}$/.test(presented)) {
      const loaded = await loadSession(deps.db, hashId(presented), now);
      if (loaded !== undefined) {
        handle = new SessionHandle(loaded.data as unknown as PortalSession, hashId(presented), presented, false);
        // Slide the expiry, writing at most once per quarter of the idle time.
        isDueForRenewal = loaded.expiresAt.getTime() - now.getTime() < (SESSION_IDLE_MS * 3) / 4;
      }
    }
    if (handle === undefined) {
      const id = randomBytes(32).toString('base64url');
      handle = new SessionHandle({ csrf: randomBytes(32).toString('base64url') }, hashId(id), id, true);
    }
    c.set('session', handle);
    await next();
    if (handle.replacedIdHash !== undefined) await deleteSession(deps.db, handle.replacedIdHash);
    if (handle.isChanged || isDueForRenewal || (!handle.isNew && c.req.method === 'POST')) {
      await saveSession(deps.db, handle.idHash, handle.data as unknown as Record<string, unknown>, now, new Date(now.getTime() + SESSION_IDLE_MS));
      setCookie(c, name, handle.cookieValue, {
        path: '/',
        httpOnly: true,
        secure: deps.isSecureCookie,
        sameSite: 'Lax',
        maxAge: SESSION_IDLE_MS / 1000,
      });
    }
  };
}

/** The per-form token, compared in constant time (hono's csrf() only checks Origin). */
export function isCsrfTokenValid(c: Context<WebEnv>, presented: unknown): boolean {
  const session = c.get('session');
  if (session.isNew || typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(session.data.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}
