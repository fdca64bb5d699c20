import type { Logger } from 'pino';
import type { IssuingCa } from '../ca/issuing-ca.js';
import type { Clock } from '../domain/clock.js';
import type { ReviewPolicy } from '../domain/review.js';
import type { Site } from '../domain/site.js';
import type { PasswordHasher } from '../ra/application-password.js';
import type { Db } from '../store/db.js';
import type { FormFields, FormFiles } from './form-guard.js';
import type { ConsoleSessionHandle } from './console/console-session.js';
import type { SessionHandle } from './session.js';

export type Lang = 'ja' | 'en';

export interface WebDeps {
  db: Db;
  /** The CA that pickup has sign (issue #8). */
  ca: IssuingCa;
  clock: Clock;
  log: Logger;
  site: Site;
  caName: string;
  isSecureCookie: boolean;
  /** How many proxies of ours stand in front (TRUST_PROXY): whose X-Forwarded-For entry names the client. */
  proxyHops: number;
  /** IPv6 clients are counted by this prefix length (issue #6 defect 9). */
  ipv6ClientPrefix: number;
  isMailViewerEnabled: boolean;
  /** Shared by every app process (store/secret-store.ts). */
  secrets: { csrfKey: Buffer };
  passwords: PasswordHasher;
  review: ReviewPolicy;
}

/** Hono's per-request variables. */
export interface WebEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    session: SessionHandle;
    /** The POST body's fields, read once by formGuard. */
    form: FormFields;
    /** The POST body's files of ours (the CSR upload), as bytes. */
    formFiles: FormFiles;
    /** Under /console only: the operator's session (web/console/console-session.ts). */
    consoleSession: ConsoleSessionHandle;
  };
}
