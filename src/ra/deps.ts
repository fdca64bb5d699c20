import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Db } from '../store/db.js';

/** What every use case gets (STYLE §2): no container, just the adapters it needs. */
export interface RaDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** What mails and links need to know about the deployment. */
  site: Site;
}

export interface Site {
  productName: string;
  /** The portal's base URL, without a trailing slash. */
  publicUrl: string;
}

/** For use cases that neither mail nor link. */
export type CoreDeps = Pick<RaDeps, 'db' | 'clock' | 'log'>;
