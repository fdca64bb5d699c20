import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { statusOf, MAX_WINDOW_MS } from '../domain/maintenance.js';
import { removeMaintenance, type RemoveMaintenanceCode } from '../ra/remove-maintenance.js';
import { scheduleMaintenance, type ScheduleMaintenanceCode } from '../ra/schedule-maintenance.js';
import type { Db } from '../store/db.js';
import { listAllMaintenanceWindows, listMaintenanceWindowsNotEndedBy, type MaintenanceWindowRow } from '../store/maintenance-store.js';
import { formatInstantInJapan, instantFormats, parseInstant } from '../domain/parse-instant.js';

export interface MaintenanceCliContext {
  db: Db;
  clock: Clock;
  log: Logger;
  close(): Promise<void>;
}

/** The operator's words for each code (the CLI speaks English, like the rest of certdesk's commands). */
function explain(code: ScheduleMaintenanceCode | RemoveMaintenanceCode): string {
  switch (code) {
    case 'maintenance.endBeforeStart':
      return '--to must be later than --from';
    case 'maintenance.inThePast':
      return 'the window has already ended (--to is not in the future)';
    case 'maintenance.tooLong':
      return `a window may last at most ${MAX_WINDOW_MS / 3_600_000} hours (7 days)`;
    case 'maintenance.messageRequired':
      return '--message (the Japanese notice) must not be empty';
    case 'maintenance.messageTooLong':
      return 'a message may be at most 1000 characters';
    case 'maintenance.notFound':
      return 'there is no maintenance window with that id';
  }
}

async function withContext<T>(open: () => Promise<MaintenanceCliContext>, work: (context: MaintenanceCliContext) => Promise<T>): Promise<T> {
  const context = await open();
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

function jsonOf(w: MaintenanceWindowRow, now: Date) {
  return {
    id: w.id,
    status: statusOf(w, now),
    startsAt: formatInstantInJapan(w.startsAt),
    endsAt: formatInstantInJapan(w.endsAt),
    messageJa: w.messageJa,
    messageEn: w.messageEn,
    createdAt: formatInstantInJapan(w.createdAt),
    createdBy: w.createdBy,
  };
}

function lineOf(w: MaintenanceWindowRow, now: Date): string {
  const status = statusOf(w, now).padEnd(8);
  return `${w.id}  ${status}  ${formatInstantInJapan(w.startsAt)} → ${formatInstantInJapan(w.endsAt)}  ${w.messageJa}`;
}

/**
 * `certdesk maintenance add | list | remove` (SPEC 1.5, 2). Errors go through commander's
 * `error()` with exit code 1, after the database is closed.
 */
export function registerMaintenanceCommands(program: Command, open: () => Promise<MaintenanceCliContext>): void {
  const maintenance = program.command('maintenance').description('Schedule, list and remove maintenance windows (SPEC 1.5).');
  const write = (command: Command, text: string) => {
    const out = command.configureOutput().writeOut;
    if (out !== undefined) out(text);
    else process.stdout.write(text);
  };

  maintenance
    .command('add')
    .description('Schedule a maintenance window. A time without an offset is Japan time (Asia/Tokyo).')
    .requiredOption('--from <time>', `when it starts: ${instantFormats}`)
    .requiredOption('--to <time>', 'when it ends (same formats)')
    .requiredOption('--message <text>', 'the notice shown to subscribers, in Japanese')
    .option('--message-en <text>', 'the notice in English (pages in English show the Japanese one otherwise)')
    .action(async (options: { from: string; to: string; message: string; messageEn?: string }, command: Command) => {
      const startsAt = parseInstant(options.from);
      if (!startsAt.ok) command.error(`error: --from: cannot read "${options.from}" as a time; use ${instantFormats}`, { exitCode: 1 });
      const endsAt = parseInstant(options.to);
      if (!endsAt.ok) command.error(`error: --to: cannot read "${options.to}" as a time; use ${instantFormats}`, { exitCode: 1 });
      const result = await withContext(open, (context) =>
        scheduleMaintenance(context, { startsAt: startsAt.value, endsAt: endsAt.value, messageJa: options.message, messageEn: options.messageEn }),
      );
      if (!result.ok) command.error(`error: ${explain(result.code)} (${result.code})`, { exitCode: 1 });
      const w = result.value;
      write(command, `scheduled maintenance ${w.id}: ${formatInstantInJapan(w.startsAt)} → ${formatInstantInJapan(w.endsAt)}\n`);
    });

  maintenance
    .command('list')
    .description('List current and upcoming maintenance windows (times in Japan time).')
    .option('--all', 'include windows that have ended')
    .option('--json', 'print JSON: [{ id, status, startsAt, endsAt, messageJa, messageEn, createdAt, createdBy }]')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const { now, windows } = await withContext(open, async (context) => {
        const at = context.clock.now();
        const rows = options.all === true ? await listAllMaintenanceWindows(context.db) : await listMaintenanceWindowsNotEndedBy(context.db, at);
        return { now: at, windows: rows };
      });
      if (options.json === true) {
        write(command, `${JSON.stringify(windows.map((w) => jsonOf(w, now)), null, 2)}\n`);
        return;
      }
      if (windows.length === 0) {
        write(command, options.all === true ? 'no maintenance windows\n' : 'no current or upcoming maintenance windows\n');
        return;
      }
      write(command, windows.map((w) => `${lineOf(w, now)}\n`).join(''));
    });

  maintenance
    .command('remove')
    .description('Delete a maintenance window.')
    .argument('<id>', 'the window id, as `maintenance list` shows it')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withContext(open, (context) => removeMaintenance(context, { windowId: id }));
      if (!result.ok) command.error(`error: ${explain(result.code)} (${result.code}): ${id}`, { exitCode: 1 });
      write(command, `removed maintenance ${result.value.id}\n`);
    });
}
