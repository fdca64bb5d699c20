import { Hono } from 'hono';
import { statusOf, upcomingWindows } from '../../domain/maintenance.js';
import { listMaintenanceWindowsNotEndedBy } from '../../store/maintenance-store.js';
import type { WebDeps, WebEnv } from '../env.js';
import { frameOf } from '../request.js';
import { NoticePage } from './views.js';

/** Mounted at /maintenance: the public notice page (SPEC 1.5), open during maintenance too. */
export function maintenanceRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const now = deps.clock.now();
    const windows = upcomingWindows(await listMaintenanceWindowsNotEndedBy(deps.db, now), now);
    return c.html(<NoticePage frame={frameOf(c, deps)} windows={windows.map((window) => ({ window, status: statusOf(window, now) }))} />);
  });

  return app;
}
