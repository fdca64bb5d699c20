import { validateMessages, validateWindow, type MaintenanceMessageCode, type MaintenanceWindowCode } from '../domain/maintenance.js';
import { fail, ok, type Result } from '../domain/result.js';
import { appendAudit } from '../store/audit-store.js';
import { insertMaintenanceWindow, type MaintenanceWindowRow } from '../store/maintenance-store.js';
import type { RaDeps } from './deps.js';

/** The operator behind the `certdesk maintenance` commands (the console will name its operator). */
export const CLI_OPERATOR = 'operator:cli';

export interface MaintenanceSchedule {
  startsAt: Date;
  endsAt: Date;
  messageJa: string;
  /** Optional: pages in English show messageJa when it is empty. */
  messageEn?: string | undefined;
  /** Who schedules it, for created_by and the audit log; `operator:cli` by default. */
  actor?: string | undefined;
}

export type ScheduleMaintenanceCode = MaintenanceWindowCode | MaintenanceMessageCode;

/** SPEC 1.5 / 2: an operator schedules a maintenance window; the audit record is written with it. */
export async function scheduleMaintenance(
  deps: Pick<RaDeps, 'db' | 'clock' | 'log'>,
  input: MaintenanceSchedule,
): Promise<Result<MaintenanceWindowRow, ScheduleMaintenanceCode>> {
  const now = deps.clock.now();
  const period = validateWindow({ startsAt: input.startsAt, endsAt: input.endsAt }, now);
  if (!period.ok) return fail(period.code);
  const messages = validateMessages({ messageJa: input.messageJa, messageEn: input.messageEn ?? '' });
  if (!messages.ok) return fail(messages.code);
  const actor = input.actor ?? CLI_OPERATOR;

  const row = await deps.db.transaction(async (tx) => {
    const inserted = await insertMaintenanceWindow(tx, { ...period.value, ...messages.value, createdAt: now, createdBy: actor });
    await appendAudit(tx, {
      at: now,
      actor,
      action: 'maintenance.scheduled',
      subjectType: 'maintenance_window',
      subjectId: inserted.id,
      after: auditViewOf(inserted),
    });
    return inserted;
  });
  deps.log.info(
    { event: 'maintenance.scheduled', windowId: row.id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString(), actor },
    'maintenance window scheduled',
  );
  return ok(row);
}

/** A window as the audit log keeps it (plain JSON, instants in UTC). */
export function auditViewOf(w: MaintenanceWindowRow): Record<string, unknown> {
  return {
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    messageJa: w.messageJa,
    messageEn: w.messageEn,
    createdBy: w.createdBy,
  };
}
