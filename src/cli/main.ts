import 'reflect-metadata';
import { Command } from 'commander';
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { createLogger } from '../log.js';
import { openServiceCa } from '../ca/service-ca.js';
import { ConfigurationProblem, openMigratedDatabase, runService } from '../main.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerCaCommands } from './ca-commands.js';
import { registerMaintenanceCommands } from './maintenance-commands.js';
import { registerCouponCommands } from './coupon-commands.js';
import { registerOperatorCommands } from './operator-commands.js';
import { PasswordHasher } from '../ra/application-password.js';
import { loadDemoData } from '../ra/load-demo-data.js';

// Everything certdesk writes (the embedded database, key files, sockets, demo data) is for
// this account only, whatever mode a library asks for (issue #6 defect 11).
process.umask(0o077);

function configOrExit(): Config {
  // The one place that reads the environment (STYLE §6).
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`certdesk: invalid configuration:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
  return result.value;
}

const program = new Command()
  .name('certdesk')
  .description('The subscriber service of a certificate authority: apply, renew, cancel, pick up.');

program
  .command('serve')
  .description('Start the portal. On an empty data folder: create the CA and load the demo data.')
  .action(async () => {
    const config = configOrExit();
    const log = createLogger(config.logLevel);
    const server = await runService(config, systemClock, log, process.env);
    const demo = server.demo;
    const lines = [
      '',
      `certdesk is running: open ${server.url}/`,
      `  renewal: ${server.url}/renew`,
      demo !== undefined
        ? `  demo data loaded (${demo.subscribers.length} subscribers, ${demo.coupons.length} coupons): see \`npx certdesk demo --json\``
        : '  demo credentials: `npx certdesk demo --json`',
      config.isMailViewerEnabled ? `  mail (development viewer): ${server.url}/dev/mail` : '',
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit.')
  .action(async () => {
    const config = configOrExit();
    const log = createLogger(config.logLevel);
    const database = await openMigratedDatabase(config, log);
    await database.close();
  });

program
  .command('demo')
  .description('Create the demo data if missing, and print it.')
  .option('--json', 'print JSON: { subscribers: [...], coupons: [...] }')
  .action(async (options: { json?: boolean }) => {
    const config = configOrExit();
    const log = createLogger(options.json ? 'warn' : config.logLevel, pino.destination(2));
    const database = await openMigratedDatabase(config, log);
    const ca = await openServiceCa(config, systemClock, log, process.env);
    const demo = await loadDemoData({ db: database.db, clock: systemClock, log, passwords: new PasswordHasher(), ca, dataDir: config.dataDir });
    await database.close();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(demo, null, 2)}\n`);
      return;
    }
    for (const s of demo.subscribers) {
      process.stdout.write(
        `${s.renewable ? '✔ renewable' : '✘ not renewable'}  ${s.situation.padEnd(19)} ${s.email}  password ${s.password}  code ${s.certificateCode}  notAfter ${s.notAfter}\n`,
      );
    }
    process.stdout.write(`coupons: ${demo.coupons.join(', ')}\n`);
  });

/** What every database command gets: the database, the clock, a log on stderr (so `--json` stays clean). */
async function openCommandContext() {
  const config = configOrExit();
  const log = createLogger(config.logLevel, pino.destination(2));
  const database = await openMigratedDatabase(config, log);
  return { db: database.db, clock: systemClock, log, publicUrl: config.site.publicUrl, close: () => database.close() };
}

registerMaintenanceCommands(program, openCommandContext);
registerOperatorCommands(program, openCommandContext);
registerAuditCommands(program, openCommandContext);
registerCouponCommands(program, openCommandContext);
registerCaCommands(program, () => {
  const config = configOrExit();
  return { config, clock: systemClock, log: createLogger(config.logLevel, pino.destination(2)), env: process.env };
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof ConfigurationProblem)) throw error;
  process.stderr.write(`certdesk: ${error.message}\n`);
  process.exit(2);
}
