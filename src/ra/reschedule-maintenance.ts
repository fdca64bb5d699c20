import { validateMessages, validateWindow } from '../domain/maintenance.js';
import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { updateMaintenanceWindow, type MaintenanceWindowRow } from '../store/maintenance-store.js';
import type { RaDeps } from './deps.js';
import { auditViewOf, type MaintenanceSchedule, type ScheduleMaintenanceCode } from './schedule-maintenance.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SPEC 2: an operator moves or rewords a window, by the same rules as scheduling one; audited with before and after. */
export async function rescheduleMaintenance(
  deps: Pick<RaDeps, 'db' | 'clock' | 'log'>,
  input: MaintenanceSchedule & { windowId: string },
): Promise<Result<MaintenanceWindowRow, ScheduleMaintenanceCode | 'maintenance.notFound'>> {
  const now = deps.clock.now();
  if (!uuidPattern.test(input.windowId)) return fail('maintenance.notFound');
  const period = validateWindow({ startsAt: input.startsAt, endsAt: input.endsAt }, now);
  if (!period.ok) return fail(period.code);
  const messages = validateMessages({ messageJa: input.messageJa, messageEn: input.messageEn ?? '' });
  if (!messages.ok) return fail(messages.code);
  const actor = input.actor ?? 'operator:cli';
  const changed = await deps.db.transaction(async (tx) => {
    const result = await updateMaintenanceWindow(tx, input.windowId, { ...period.value, ...messages.value });
    if (result === undefined) return undefined;
    await appendAudit(tx, { at: now, actor, action: 'maintenance.rescheduled', subjectType: 'maintenance_window', subjectId: input.windowId, before: auditViewOf(result.before), after: auditViewOf(result.after) });
    return result.after;
  });
  if (changed === undefined) return fail('maintenance.notFound');
  deps.log.info({ event: 'maintenance.rescheduled', windowId: input.windowId, actor }, 'maintenance window changed');
  return ok(changed);
}
