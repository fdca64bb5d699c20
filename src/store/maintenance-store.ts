import { asc, eq, gt } from 'drizzle-orm';
import type { MaintenanceWindow } from '../domain/maintenance.js';
import type { Db, Tx } from './db.js';
import { maintenanceWindows } from './schema/tables.js';

export interface NewMaintenanceWindow {
  startsAt: Date;
  endsAt: Date;
  messageJa: string;
  messageEn: string;
  createdAt: Date;
  createdBy: string;
}

export interface MaintenanceWindowRow extends MaintenanceWindow {
  createdAt: Date;
  createdBy: string;
}

const windowColumns = {
  id: maintenanceWindows.id,
  startsAt: maintenanceWindows.startsAt,
  endsAt: maintenanceWindows.endsAt,
  messageJa: maintenanceWindows.messageJa,
  messageEn: maintenanceWindows.messageEn,
  createdAt: maintenanceWindows.createdAt,
  createdBy: maintenanceWindows.createdBy,
};

const byStart = [asc(maintenanceWindows.startsAt), asc(maintenanceWindows.endsAt), asc(maintenanceWindows.id)];

export async function insertMaintenanceWindow(db: Db | Tx, w: NewMaintenanceWindow): Promise<MaintenanceWindowRow> {
  const [row] = await db.insert(maintenanceWindows).values(w).returning(windowColumns);
  if (row === undefined) throw new Error('maintenance window insert returned no row');
  return row;
}

/** The deleted window, or undefined when there was none with that id. */
export async function deleteMaintenanceWindow(db: Db | Tx, id: string): Promise<MaintenanceWindowRow | undefined> {
  const [row] = await db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, id)).returning(windowColumns);
  return row;
}

/** Windows that have not ended by `now` (active and upcoming), by start. Served by the ends_at index. */
export async function listMaintenanceWindowsNotEndedBy(db: Db | Tx, now: Date): Promise<MaintenanceWindowRow[]> {
  return db
    .select(windowColumns)
    .from(maintenanceWindows)
    .where(gt(maintenanceWindows.endsAt, now))
    .orderBy(...byStart);
}

/** Every window ever scheduled, ended ones too (the CLI's `list --all`). */
export async function listAllMaintenanceWindows(db: Db | Tx): Promise<MaintenanceWindowRow[]> {
  return db
    .select(windowColumns)
    .from(maintenanceWindows)
    .orderBy(...byStart);
}

/** Moves or rewords a window; the row as it was and as it is, or undefined when there is none. */
export async function updateMaintenanceWindow(
  tx: Tx,
  id: string,
  change: { startsAt: Date; endsAt: Date; messageJa: string; messageEn: string },
): Promise<{ before: MaintenanceWindowRow; after: MaintenanceWindowRow } | undefined> {
  const [before] = await tx.select(windowColumns).from(maintenanceWindows).where(eq(maintenanceWindows.id, id)).for('update');
  if (before === undefined) return undefined;
  const [after] = await tx.update(maintenanceWindows).set(change).where(eq(maintenanceWindows.id, id)).returning(windowColumns);
  if (after === undefined) throw new Error('maintenance window vanished while locked');
  return { before, after };
}

export async function findMaintenanceWindow(db: Db | Tx, id: string): Promise<MaintenanceWindowRow | undefined> {
  const [row] = await db.select(windowColumns).from(maintenanceWindows).where(eq(maintenanceWindows.id, id));
  return row;
}
