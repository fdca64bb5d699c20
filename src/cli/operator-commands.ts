import type { Command } from 'commander';
import { isOperatorRole, isLockedOut, operatorRoles } from '../domain/operator.js';
import { addOperator, disableOperator, resetOperatorTotp } from '../ra/operators.js';
import { listOperators } from '../store/operator-store.js';
import { formatInstantInJapan } from '../domain/parse-instant.js';
import type { MaintenanceCliContext } from './maintenance-commands.js';

export interface OperatorCliContext extends MaintenanceCliContext {
  /** The portal's address, for the set-up link. */
  publicUrl: string;
}

/** Who acts from the shell: the CLI, in the audit log. */
const CLI_ACTOR = 'cli';

async function withContext<T>(open: () => Promise<OperatorCliContext>, work: (context: OperatorCliContext) => Promise<T>): Promise<T> {
  const context = await open();
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

/**
 * `certdesk operator add | list | disable | reset-totp` (issue #7). The set-up link is
 * printed once, here; the database keeps only its hash. Exit 1 when refused.
 */
export function registerOperatorCommands(program: Command, open: () => Promise<OperatorCliContext>): void {
  const operator = program.command('operator').description('Add, list, disable RA operators; reset their TOTP (SPEC 2).');
  const write = (command: Command, text: string) => {
    const out = command.configureOutput().writeOut;
    if (out !== undefined) out(text);
    else process.stdout.write(text);
  };

  operator
    .command('add')
    .description('Add an operator and print their one-time set-up link (valid 24 hours).')
    .requiredOption('--email <email>', 'the operator’s e-mail address (their sign-in name)')
    .requiredOption('--role <role>', `one of: ${operatorRoles.join(', ')}`)
    .action(async (options: { email: string; role: string }, command: Command) => {
      const role = options.role;
      if (!isOperatorRole(role)) command.error(`error: --role must be one of ${operatorRoles.join(', ')}`, { exitCode: 2 });
      const result = await withContext(open, (context) => addOperator(context, { email: options.email, role, actor: CLI_ACTOR }));
      if (!result.ok) command.error(`error: ${result.code === 'operator.exists' ? 'an operator with this e-mail address exists' : 'not an e-mail address'} (${result.code})`, { exitCode: 1 });
      write(command, `added ${role} ${options.email.trim().toLowerCase()}\nset-up link (once, until ${formatInstantInJapan(result.value.expiresAt)} Japan time):\n${result.value.setupUrl}\n`);
    });

  operator
    .command('list')
    .description('List operators.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { rows, now } = await withContext(open, async (context) => ({ rows: await listOperators(context.db), now: context.clock.now() }));
      const view = rows.map((o) => ({
        email: o.email,
        role: o.role,
        state: o.disabledAt !== null ? 'disabled' : o.totpSecret === null ? 'set-up pending' : isLockedOut(o.lockedUntil, now) ? 'locked' : 'active',
        createdAt: formatInstantInJapan(o.createdAt),
      }));
      if (options.json === true) write(command, `${JSON.stringify(view, null, 2)}\n`);
      else write(command, view.length === 0 ? 'no operators\n' : view.map((o) => `${o.email.padEnd(36)} ${o.role.padEnd(9)} ${o.state}\n`).join(''));
    });

  operator
    .command('disable')
    .description('Disable an operator: no sign-in, and their console sessions end now.')
    .argument('<email>')
    .action(async (email: string, _options: unknown, command: Command) => {
      const result = await withContext(open, (context) => disableOperator(context, { email, actor: CLI_ACTOR }));
      if (!result.ok) command.error(`error: no operator ${email} (${result.code})`, { exitCode: 1 });
      write(command, `disabled ${email}\n`);
    });

  operator
    .command('reset-totp')
    .description('Forget an operator’s authenticator and print a new set-up link to enrol another.')
    .argument('<email>')
    .action(async (email: string, _options: unknown, command: Command) => {
      const result = await withContext(open, (context) => resetOperatorTotp(context, { email, actor: CLI_ACTOR }));
      if (!result.ok) command.error(`error: no operator ${email} (${result.code})`, { exitCode: 1 });
      write(command, `TOTP reset for ${email}; set-up link (once, 24 hours):\n${result.value.setupUrl ?? ''}\n`);
    });
}
