import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Db } from '../store/db.js';

/** What every use case gets (STYLE §2): no container, just the adapters it needs. */
export interface RaDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}
