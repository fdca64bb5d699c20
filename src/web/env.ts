import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Db } from '../store/db.js';
import type { SessionHandle } from './session.js';

export type Lang = 'ja' | 'en';

export interface WebDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  productName: string;
  caName: string;
  publicUrl: string;
  isSecureCookie: boolean;
  isBehindProxy: boolean;
  isMailViewerEnabled: boolean;
}

/** Hono's per-request variables. */
export interface WebEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    session: SessionHandle;
  };
}
