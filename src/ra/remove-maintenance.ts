import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { deleteMaintenanceWindow, type MaintenanceWindowRow } from '../store/maintenance-store.js';
import type { RaDeps } from './deps.js';
import { auditViewOf, CLI_OPERATOR } from './schedule-maintenance.js';

export interface MaintenanceRemoval {
  windowId: string;
  /** Who removes it, for the audit log; `operator:cli` by default. */
  actor?: string | undefined;
}

export type RemoveMaintenanceCode = 'maintenance.notFound';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * SPEC 2: an operator deletes a window (an upcoming one it no longer needs, or an old one).
 * The audit record keeps what was deleted.
 */
export async function removeMaintenance(
  deps: Pick<RaDeps, 'db' | 'clock' | 'log'>,
  input: MaintenanceRemoval,
): Promise<Result<MaintenanceWindowRow, RemoveMaintenanceCode>> {
  const now = deps.clock.now();
  const actor = input.actor ?? CLI_OPERATOR;
  const windowId = input.windowId.trim();
  // Not a uuid cannot name a window; asking PostgreSQL would only raise a cast error.
  if (!uuidPattern.test(windowId)) return fail('maintenance.notFound');

  const removed = await deps.db.transaction(async (tx) => {
    const row = await deleteMaintenanceWindow(tx, windowId);
    if (row === undefined) return undefined;
    await appendAudit(tx, {
      at: now,
      actor,
      action: 'maintenance.removed',
      subjectType: 'maintenance_window',
      subjectId: row.id,
      before: auditViewOf(row),
    });
    return row;
  });
  if (removed === undefined) return fail('maintenance.notFound');
  deps.log.info({ event: 'maintenance.removed', windowId: removed.id, actor }, 'maintenance window removed');
  return ok(removed);
}
