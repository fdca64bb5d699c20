import { Command, type ErrorOptions, type HelpContext } from 'commander';
import type { Logger } from 'pino';
import type { AuditChainProblem, AuditChainVerdict, InsertedReason, SeqRange } from '../domain/audit-chain.js';
import { verifyAuditChain } from '../ra/verify-audit-chain.js';
import type { Db } from '../store/db.js';

export interface AuditCliContext {
  db: Db;
  log: Logger;
  close(): Promise<void>;
}

/**
 * Exit codes of `certdesk audit`: a script must tell a broken chain from a chain that was
 * not verified at all (a usage mistake, a bad configuration, a database it cannot read),
 * as grep tells "no match" from trouble.
 */
export const AUDIT_EXIT = { intact: 0, broken: 1, notVerified: 2 } as const;

/**
 * Commander ends a usage mistake (unknown option, unknown or missing command) with exit
 * code 1, which here means a broken chain: under `audit`, such mistakes end with 2.
 * Subcommands made with `.command()` are of this class too (createCommand).
 */
class AuditCommand extends Command {
  override createCommand(name?: string): Command {
    return new AuditCommand(name);
  }

  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(message, { ...errorOptions, exitCode: errorOptions?.exitCode ?? AUDIT_EXIT.notVerified });
  }

  override help(context?: HelpContext): never;
  override help(cb: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    // Only a bare `certdesk audit` asks for help as an error.
    if (typeof context !== 'object' || !context.error) return typeof context === 'function' ? super.help(context) : super.help(context);
    this.outputHelp(context);
    return this.error('error: missing command (try `certdesk audit verify`)', { code: 'commander.help' });
  }
}

const seqsOf = (range: SeqRange) => (range.fromSeq === range.toSeq ? `entry seq ${range.fromSeq} is` : `entries seq ${range.fromSeq}–${range.toSeq} are`);

function insertedWhy(problem: Extract<AuditChainProblem, { code: 'auditChain.inserted' }>, reason: InsertedReason): string {
  const entry = `entry id ${problem.id}${problem.seq === null ? '' : ` (seq ${problem.seq})`}`;
  switch (reason) {
    case 'noSeq':
      return `${entry} has no seq: it was inserted outside the chain`;
    case 'outOfSequence':
      return `${entry} repeats or precedes a seq already in the chain (expected seq ${problem.expectedSeq}): it was inserted`;
    case 'pastHead':
      return `${entry} lies past the head (seq ${problem.expectedSeq - 1}): it was inserted without moving the head, or the head was moved back`;
    case 'brokenLink':
      return (
        `${entry} does not follow the entry before it: its prev_hash ${problem.prevHash ?? 'NULL'} is not ${problem.expectedPrevHash}; ` +
        `it was inserted or replaced, or the entry before it was rewritten with a recomputed hash`
      );
  }
}

/** The operator's words for a verdict: one line (the CLI speaks English). */
export function describeAuditVerdict(verdict: AuditChainVerdict): string {
  if (verdict.ok) {
    const { entries, headSeq, headHash } = verdict.value;
    return `audit chain intact: ${entries} entries, head seq ${headSeq} hash ${headHash}`;
  }
  const broken = 'audit chain broken:';
  switch (verdict.code) {
    case 'auditChain.altered':
      return `${broken} entry id ${verdict.id} (seq ${verdict.seq}) was altered: its stored hash ${verdict.storedHash ?? 'NULL'} is not the hash of its contents ${verdict.expectedHash}`;
    case 'auditChain.inserted':
      return `${broken} ${insertedWhy(verdict, verdict.reason)}`;
    case 'auditChain.deleted':
      return `${broken} ${seqsOf(verdict.missing)} missing before entry id ${verdict.nextId} (seq ${verdict.nextSeq}): deleted`;
    case 'auditChain.headMismatch':
      if (verdict.missing !== undefined) {
        return `${broken} the head (seq ${verdict.headSeq}) is beyond the last entry (seq ${verdict.lastSeq}): ${seqsOf(verdict.missing)} missing: deleted`;
      }
      return `${broken} the head (seq ${verdict.headSeq}, hash ${verdict.headHash}) does not match the last entry (seq ${verdict.lastSeq}, hash ${verdict.lastHash})`;
    case 'auditChain.headMissing':
      return `${broken} there is no head row (audit_head is empty); the entries run to seq ${verdict.lastSeq}, hash ${verdict.lastHash}`;
  }
}

/** `--json`: `{ intact: true, entries, headSeq, headHash }` or `{ intact: false, code, ...details }`. */
function jsonOf(verdict: AuditChainVerdict): Record<string, unknown> {
  if (verdict.ok) return { intact: true, ...verdict.value };
  const { ok: _ok, ...problem } = verdict;
  return { intact: false, ...problem };
}

/**
 * `certdesk audit verify`: walk the audit chain (issue #7). The verdict goes to stdout,
 * logs to stderr; exit code 0 when intact, 1 when broken, 2 when nothing was verified.
 */
export function registerAuditCommands(program: Command, open: () => Promise<AuditCliContext>): void {
  const audit = new AuditCommand('audit').description('Check the audit log (a hash chain).');
  // addCommand, unlike command(), copies nothing from the parent (output, exit override).
  audit.copyInheritedSettings(program);
  program.addCommand(audit);
  const write = (command: Command, text: string) => {
    const out = command.configureOutput().writeOut;
    if (out !== undefined) out(text);
    else process.stdout.write(text);
  };

  audit
    .command('verify')
    .description('Recompute every entry’s hash in seq order and check the links and the head. Note the head it prints elsewhere: an external anchor.')
    .option('--json', 'print JSON: { intact: true, entries, headSeq, headHash } or { intact: false, code, ... }')
    .action(async (options: { json?: boolean }, command: Command) => {
      let verdict: AuditChainVerdict;
      try {
        verdict = await verifyThrough(open);
      } catch (error) {
        // Exit code 1 must mean a broken chain: a database that cannot be read verified nothing.
        const reason = error instanceof Error ? error.message : String(error);
        command.error(`error: cannot verify the audit chain: ${reason}`, { exitCode: AUDIT_EXIT.notVerified, code: 'audit.notVerified' });
      }
      write(command, options.json === true ? `${JSON.stringify(jsonOf(verdict), null, 2)}\n` : `${describeAuditVerdict(verdict)}\n`);
      if (!verdict.ok) command.error(`error: the audit chain is broken (${verdict.code})`, { exitCode: AUDIT_EXIT.broken, code: verdict.code });
    });
}

async function verifyThrough(open: () => Promise<AuditCliContext>): Promise<AuditChainVerdict> {
  const context = await open();
  try {
    const verdict = await verifyAuditChain(context);
    if (verdict.ok) context.log.info({ event: 'audit.chainVerified', ...verdict.value }, 'audit chain intact');
    else context.log.error({ event: 'audit.chainBroken', ...jsonOf(verdict) }, 'audit chain broken');
    return verdict;
  } finally {
    await context.close();
  }
}
