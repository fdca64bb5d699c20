import type { MiddlewareHandler } from 'hono';
import { activeWindow, retryAfterSeconds } from '../../domain/maintenance.js';
import { listMaintenanceWindowsNotEndedBy } from '../../store/maintenance-store.js';
import type { WebDeps, WebEnv } from '../env.js';
import { loggedPath } from '../logged-path.js';
import { frameOf } from '../request.js';
import { MaintenancePage } from './views.js';

/**
 * The flows a window closes (SPEC 1.5: subscriber actions). Home, help, the notice page
 * and static files stay open; time-based transitions are not requests and run on.
 */
export const gatedFlows = ['/renew', '/new', '/cancel', '/pickup'] as const;

/** The flow a path belongs to: the path itself or anything under it, never a mere prefix (/renewals). */
export function gatedFlowOf(path: string): string | undefined {
  return gatedFlows.find((flow) => path === flow || path.startsWith(`${flow}/`));
}

/**
 * During an active window, answer subscriber actions with HTTP 503, Retry-After until
 * the window ends, and the maintenance page. The windows are read on every gated
 * request (one indexed query), so every app process sees a new window at once.
 */
export function maintenanceGate(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const flow = gatedFlowOf(c.req.path);
    if (flow === undefined) return next();
    const now = deps.clock.now();
    const active = activeWindow(await listMaintenanceWindowsNotEndedBy(deps.db, now), now);
    if (active === undefined) return next();

    deps.log.info({ event: 'maintenance.refused', path: loggedPath(c.req.path), windowId: active.id, requestId: c.get('requestId') }, 'request refused during maintenance');
    c.header('Retry-After', String(retryAfterSeconds(active, now)));
    c.header('Cache-Control', 'no-store');
    // The language switch comes back to a page that exists for GET.
    const backPath = c.req.method === 'GET' ? c.req.path : flow;
    const frame = { ...frameOf(c, deps, backPath), lang: c.get('lang') ?? 'ja' };
    return c.html(<MaintenancePage frame={frame} window={active} />, 503);
  };
}
