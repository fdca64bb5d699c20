import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { ReviewPolicy } from '../domain/review.js';
import type { Site } from '../domain/site.js';
import type { Db } from '../store/db.js';
import type { PasswordHasher } from './application-password.js';

export type { Site } from '../domain/site.js';

/** What every use case gets (STYLE §2): no container, just the adapters it needs. */
export interface RaDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** What mails and links need to know about the deployment. */
  site: Site;
  /** Every argon2 hash and verification, bounded (issue #6 defect 6). */
  passwords: PasswordHasher;
  review: ReviewPolicy;
}

/** For use cases that neither mail nor link. */
export type CoreDeps = Pick<RaDeps, 'db' | 'clock' | 'log'>;
