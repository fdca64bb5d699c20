import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CONSOLE_ABSOLUTE_MS, CONSOLE_IDLE_MS, type OperatorRole } from '../../domain/operator.js';
import { deleteConsoleSession, extendConsoleSession, insertConsoleSession, loadConsoleSession } from '../../store/operator-store.js';
import type { WebDeps, WebEnv } from '../env.js';

const valuePattern = /^[A-Za-z0-9_-]{43}$/;
const hashId = (id: string) => createHash('sha256').update(`console:${id}`).digest('hex');

export interface SignedInOperator {
  operatorId: string;
  email: string;
  role: OperatorRole;
}

/**
 * The console's own session (issue #7): its own cookie and table, so a portal session is
 * worth nothing here and a console session nothing in the portal. Forms are signed by a
 * console form cookie, with a key label of their own.
 */
export class ConsoleSessionHandle {
  #startedId: string | undefined;
  #startedFor: string | undefined;
  #isEnded = false;
  #isFormCookieNeeded = false;

  constructor(
    readonly operator: SignedInOperator | undefined,
    private readonly idHash: string | undefined,
    private formCookieValue: string | undefined,
    private readonly csrfKey: Buffer,
  ) {}

  csrfToken(): string {
    if (this.formCookieValue === undefined) {
      this.formCookieValue = randomBytes(32).toString('base64url');
      this.#isFormCookieNeeded = true;
    }
    return tokenFor(this.csrfKey, this.formCookieValue);
  }

  isCsrfTokenValid(presented: string | undefined): boolean {
    if (this.formCookieValue === undefined || presented === undefined) return false;
    const a = Buffer.from(presented);
    const b = Buffer.from(tokenFor(this.csrfKey, this.formCookieValue));
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** After a successful sign-in: a new session for `operatorId`, under an id nobody saw before. */
  start(operatorId: string): void {
    this.#startedId = randomBytes(32).toString('base64url');
    this.#startedFor = operatorId;
  }

  end(): void {
    this.#isEnded = true;
  }

  get pending(): { started: { id: string; operatorId: string } | undefined; isEnded: boolean; idHash: string | undefined; formCookie: string | undefined; isFormCookieNeeded: boolean } {
    const started = this.#startedId !== undefined && this.#startedFor !== undefined ? { id: this.#startedId, operatorId: this.#startedFor } : undefined;
    return { started, isEnded: this.#isEnded, idHash: this.idHash, formCookie: this.formCookieValue, isFormCookieNeeded: this.#isFormCookieNeeded };
  }
}

function tokenFor(key: Buffer, formCookie: string): string {
  return createHmac('sha256', key).update(`console-csrf:${formCookie}`).digest('base64url');
}

export const consoleCookieName = (isSecure: boolean) => (isSecure ? '__Host-certdesk-console' : 'certdesk-console');
export const consoleFormCookieName = (isSecure: boolean) => (isSecure ? '__Host-certdesk-console-form' : 'certdesk-console-form');

/**
 * Loads the operator signed in with this request's console cookie: idle 30 minutes,
 * absolute 8 hours (issue #7), a disabled operator never. Writes only when it must: the
 * sign-in that starts a session, a slide of the idle time, the sign-out.
 */
export function consoleSessions(deps: WebDeps): MiddlewareHandler<WebEnv> {
  const name = consoleCookieName(deps.isSecureCookie);
  const formName = consoleFormCookieName(deps.isSecureCookie);
  const options = { path: '/', httpOnly: true, secure: deps.isSecureCookie, sameSite: 'Strict' } as const;
  return async (c, next) => {
    const now = deps.clock.now();
    const presented = getCookie(c, name);
    const formCookie = getCookie(c, formName);
    const id = presented !== undefined && valuePattern.test(presented) ? presented : undefined;
    const loaded = id === undefined ? undefined : await loadConsoleSession(deps.db, hashId(id), now);
    const isAlive = loaded !== undefined && now.getTime() - loaded.createdAt.getTime() < CONSOLE_ABSOLUTE_MS;
    const operator = isAlive ? { operatorId: loaded.operatorId, email: loaded.email, role: loaded.role } : undefined;
    const handle = new ConsoleSessionHandle(operator, isAlive && id !== undefined ? hashId(id) : undefined, formCookie !== undefined && valuePattern.test(formCookie) ? formCookie : undefined, deps.secrets.csrfKey);
    c.set('consoleSession', handle);
    await next();

    const pending = handle.pending;
    if (pending.isFormCookieNeeded && pending.formCookie !== undefined) setCookie(c, formName, pending.formCookie, options);
    if (pending.isEnded) {
      if (pending.idHash !== undefined) await deleteConsoleSession(deps.db, pending.idHash);
      deleteCookie(c, name, options);
      return;
    }
    if (pending.started !== undefined) {
      if (pending.idHash !== undefined) await deleteConsoleSession(deps.db, pending.idHash);
      await insertConsoleSession(deps.db, { idHash: hashId(pending.started.id), operatorId: pending.started.operatorId, createdAt: now, expiresAt: new Date(now.getTime() + CONSOLE_IDLE_MS) });
      setCookie(c, name, pending.started.id, { ...options, maxAge: CONSOLE_ABSOLUTE_MS / 1000 });
      return;
    }
    if (operator !== undefined && loaded !== undefined && pending.idHash !== undefined && loaded.expiresAt.getTime() - now.getTime() < (CONSOLE_IDLE_MS * 3) / 4) {
      await extendConsoleSession(deps.db, pending.idHash, new Date(Math.min(now.getTime() + CONSOLE_IDLE_MS, loaded.createdAt.getTime() + CONSOLE_ABSOLUTE_MS)));
    }
  };
}
