import { open as openFile, unlink, type FileHandle } from 'node:fs/promises';
import { Command, type HelpContext } from 'commander';
import type { Logger } from 'pino';
import { couponBatchLimits, couponProducts, type CouponBatchRequestCode } from '../domain/coupon-batch.js';
import type { Clock } from '../domain/clock.js';
import { formatCouponNumber } from '../domain/input/registration.js';
import { exportCouponBatch } from '../ra/export-coupon-batch.js';
import { findCoupon, type CouponDetails, type FindCouponCode } from '../ra/find-coupon.js';
import { issueCouponBatch } from '../ra/issue-coupon-batch.js';
import { voidCoupons, type VoidBatchCode, type VoidCouponCode } from '../ra/void-coupons.js';
import type { Db } from '../store/db.js';
import { formatInstantInJapan } from '../domain/parse-instant.js';

export interface CouponCliContext {
  db: Db;
  clock: Clock;
  log: Logger;
  close(): Promise<void>;
}

/** Exit codes: 0 done, 1 refused (the request was understood and said no to), 2 a malformed command line. */
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** Who the audit log names for what is done from the shell. */
const CLI_ACTOR = 'cli';

/**
 * Commander exits 1 on every error. These commands tell a malformed command line (2) from
 * a refusal (1): commander's own errors (missing or unknown option, missing argument, no
 * subcommand) carry no exit code, and every error these commands raise names its own.
 */
class CouponCommand extends Command {
  override createCommand(name?: string): CouponCommand {
    return new CouponCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    return super.error(message, { ...errorOptions, exitCode: errorOptions?.exitCode ?? EXIT_USAGE });
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === 'object' && context.error) {
      this.outputHelp({ error: true });
      return super.error(`error: \`${this.name()}\` needs a subcommand`, { code: 'commander.help', exitCode: EXIT_USAGE });
    }
    return super.help(context as HelpContext | undefined);
  }
}

type Explained = CouponBatchRequestCode | FindCouponCode | VoidCouponCode | VoidBatchCode;

/** The operator's words for each code (certdesk's commands speak English). */
function explain(code: Explained): string {
  switch (code) {
    case 'couponBatch.partnerRequired':
      return '--partner must not be empty';
    case 'couponBatch.partnerTooLong':
      return `--partner may be at most ${couponBatchLimits.partnerMaxLength} characters`;
    case 'couponBatch.partnerInvalidCharacters':
      return '--partner must not contain control or invisible formatting characters (tabs, line breaks, bidi overrides …)';
    case 'couponBatch.countInvalid':
      return '--count must be a whole number, in digits';
    case 'couponBatch.countOutOfRange':
      return `--count must be from 1 to ${couponBatchLimits.countMax}`;
    case 'couponBatch.productUnknown':
      return `--product must be one of: ${couponProducts.join(', ')}`;
    case 'couponBatch.expiryInvalid':
      return '--expires must be a date written YYYY-MM-DD, e.g. 2027-03-31';
    case 'couponBatch.expiryNotAfterToday':
      return '--expires must be after today (in Japan)';
    case 'couponBatch.expiryTooFar':
      return `--expires may be at most ${couponBatchLimits.expiryMaxYears} years after today`;
    case 'coupon.format':
      return 'a coupon number is 16 digits, written as such or 8-8';
    case 'coupon.checksum':
      return 'that is not a coupon number: its check digit is wrong (a typo?)';
    case 'coupon.unknown':
      return 'there is no coupon with that number';
    case 'coupon.locked':
      return 'the coupon is locked by an application in progress; it is consumed or released when that one is final or cancelled';
    case 'coupon.consumed':
      return 'the coupon has been used for an application';
    case 'coupon.alreadyVoid':
      return 'the coupon is void already';
    case 'couponBatch.unknown':
      return 'there is no coupon batch with that id';
  }
}

async function withContext<T>(open: () => Promise<CouponCliContext>, work: (context: CouponCliContext) => Promise<T>): Promise<T> {
  const context = await open();
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

/**
 * A file for coupon numbers: created here and now (never an existing one overwritten or
 * followed), readable by this account only. Returns why not, for the operator.
 */
async function createNewFile(path: string): Promise<{ ok: true; handle: FileHandle } | { ok: false; reason: string }> {
  try {
    return { ok: true, handle: await openFile(path, 'wx', 0o600) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') return { ok: false, reason: `${path} exists already; it is never overwritten, choose a new file` };
    return { ok: false, reason: `cannot create ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Writes `bytes` and closes the file; with nothing to write (the command was refused, or
 * failed) or a failed write, removes it, so no empty or partial list is left behind.
 */
async function finishNewFile(path: string, handle: FileHandle, bytes: Uint8Array | undefined): Promise<void> {
  if (bytes === undefined) {
    await handle.close();
    await unlink(path);
    return;
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(path);
    throw new Error(`writing ${path}`, { cause: error });
  }
  await handle.close();
}

/**
 * Runs `work` with `path` (when given) reserved as a new file, then writes the bytes it
 * returns into it, or removes it again when there are none or `work` fails. Reserving
 * first means nothing is issued whose list could not be written; callers run this inside
 * the open context, so nothing that ends the process early leaves an empty file behind.
 */
async function intoNewFile<T>(
  path: string | undefined,
  work: () => Promise<{ value: T; bytes: Uint8Array | undefined }>,
): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  const file = path === undefined ? undefined : await createNewFile(path);
  if (file !== undefined && !file.ok) return file;
  let bytes: Uint8Array | undefined;
  try {
    const done = await work();
    bytes = done.bytes;
    return { ok: true, value: done.value };
  } finally {
    if (file !== undefined && path !== undefined) await finishNewFile(path, file.handle, bytes);
  }
}

const decodeWithBom = (bytes: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

function jsonOf(c: CouponDetails) {
  return {
    number: formatCouponNumber(c.number),
    state: c.state,
    isExpired: c.isExpired,
    partner: c.partner,
    batchId: c.batchId,
    product: c.product,
    expiresOn: c.expiresOn,
    expiresAt: c.expiresAt === null ? null : formatInstantInJapan(c.expiresAt),
    applicationId: c.applicationId,
    createdAt: formatInstantInJapan(c.createdAt),
    history: c.history.map((e) => ({ at: formatInstantInJapan(e.at), from: e.fromState, to: e.toState, applicationId: e.applicationId, actor: e.actor })),
  };
}

function textOf(c: CouponDetails): string {
  const expiry = c.expiresOn === null ? 'never expires' : `usable through ${c.expiresOn} (Japan time)${c.isExpired ? ': EXPIRED' : ''}`;
  const lines = [
    `coupon   ${formatCouponNumber(c.number)}`,
    `state    ${c.state}${c.applicationId === null ? '' : ` (application ${c.applicationId})`}`,
    `partner  ${c.partner}`,
    `batch    ${c.batchId ?? '(none)'}`,
    `product  ${c.product}`,
    `expiry   ${expiry}`,
    'history',
    ...c.history.map((e) => {
      const transition = `${e.fromState ?? 'issued'} → ${e.toState}`.padEnd(22);
      return `  ${formatInstantInJapan(e.at)}  ${transition}  ${e.actor}${e.applicationId === null ? '' : `  application ${e.applicationId}`}`;
    }),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * `certdesk coupons issue | export | show | void` (issue #7): what an admin does with
 * coupon batches in the console, from the shell. Logs carry at most a number's last four
 * digits; the numbers themselves go only to the CSV, on stdout or into a new 0600 file.
 */
export function registerCouponCommands(program: Command, open: () => Promise<CouponCliContext>): void {
  const coupons = new CouponCommand('coupons')
    .copyInheritedSettings(program)
    .description('Issue, export, look up and void prepaid coupons of reseller partners.');
  program.addCommand(coupons);
  const write = (command: Command, text: string) => {
    const out = command.configureOutput().writeOut;
    if (out !== undefined) out(text);
    else process.stdout.write(text);
  };

  coupons
    .command('issue')
    .description('Issue a batch of coupons for a reseller partner, in one transaction.')
    .requiredOption('--partner <name>', `the reseller partner (1-${couponBatchLimits.partnerMaxLength} characters)`)
    .requiredOption('--count <n>', `how many coupons (1-${couponBatchLimits.countMax})`)
    .requiredOption('--product <product>', `what they pay for: ${couponProducts.join(', ')}`)
    .requiredOption('--expires <date>', 'the last day they can be used, in Japan: YYYY-MM-DD')
    .option('--csv <file>', 'also write the batch as CSV to this file, which must not exist yet (mode 0600)')
    .action(async (options: { partner: string; count: string; product: string; expires: string; csv?: string }, command: Command) => {
      const outcome = await withContext(open, (context) =>
        intoNewFile(options.csv, async () => {
          const issued = await issueCouponBatch(context, { partner: options.partner, count: options.count, product: options.product, expiresOn: options.expires, actor: CLI_ACTOR });
          if (!issued.ok || options.csv === undefined) return { value: { issued, isWritten: false }, bytes: undefined };
          const exported = await exportCouponBatch(context, { batchId: issued.value.batchId, actor: CLI_ACTOR });
          return { value: { issued, isWritten: exported.ok }, bytes: exported.ok ? exported.value.csv : undefined };
        }),
      );
      if (!outcome.ok) command.error(`error: --csv: ${outcome.reason}`, { exitCode: EXIT_REFUSED });
      const { issued, isWritten } = outcome.value;
      if (!issued.ok) command.error(`error: ${explain(issued.code)} (${issued.code})`, { exitCode: EXIT_REFUSED });
      const b = issued.value;
      write(command, `issued batch ${b.batchId}: ${b.count} coupons of ${b.product} for ${b.partner}, usable through ${b.expiresOn} (Japan time)\n`);
      if (options.csv === undefined) return;
      if (!isWritten) command.error(`error: the batch was issued but could not be read back for --csv; run \`certdesk coupons export ${b.batchId} --out FILE\``, { exitCode: EXIT_REFUSED });
      write(command, `wrote ${b.count} coupons to ${options.csv}\n`);
    });

  coupons
    .command('export')
    .description('Write a batch as CSV (UTF-8 with BOM, for Excel), every coupon with its state now.')
    .argument('<batch-id>', 'the batch id, as `coupons issue` printed it')
    .option('--out <file>', 'write to this file, which must not exist yet (mode 0600), rather than to stdout')
    .action(async (batchId: string, options: { out?: string }, command: Command) => {
      const outcome = await withContext(open, (context) =>
        intoNewFile(options.out, async () => {
          const exported = await exportCouponBatch(context, { batchId, actor: CLI_ACTOR });
          return { value: exported, bytes: exported.ok && options.out !== undefined ? exported.value.csv : undefined };
        }),
      );
      if (!outcome.ok) command.error(`error: --out: ${outcome.reason}`, { exitCode: EXIT_REFUSED });
      const exported = outcome.value;
      if (!exported.ok) command.error(`error: ${explain(exported.code)} (${exported.code}): ${batchId}`, { exitCode: EXIT_REFUSED });
      write(command, options.out === undefined ? decodeWithBom(exported.value.csv) : `wrote ${exported.value.count} coupons to ${options.out}\n`);
    });

  coupons
    .command('show')
    .description("Show a coupon's state, partner, batch, product, expiry and full history.")
    .argument('<number>', 'the coupon number: 16 digits or 8-8')
    .option('--json', 'print JSON: { number, state, isExpired, partner, batchId, product, expiresOn, expiresAt, applicationId, createdAt, history: [{ at, from, to, applicationId, actor }] }')
    .action(async (number: string, options: { json?: boolean }, command: Command) => {
      const found = await withContext(open, (context) => findCoupon(context, { couponNumber: number }));
      if (!found.ok) command.error(`error: ${explain(found.code)} (${found.code})`, { exitCode: EXIT_REFUSED });
      write(command, options.json === true ? `${JSON.stringify(jsonOf(found.value), null, 2)}\n` : textOf(found.value));
    });

  coupons
    .command('void')
    .description('Void an unused coupon, or with --batch every coupon of a batch still unused. Locked and used ones are never voided.')
    .argument('[number]', 'the coupon number: 16 digits or 8-8')
    .option('--batch <batch-id>', 'void the rest of this batch instead')
    .action(async (number: string | undefined, options: { batch?: string }, command: Command) => {
      if ((number === undefined) === (options.batch === undefined)) {
        command.error('error: give either a coupon NUMBER or --batch BATCH_ID', { exitCode: EXIT_USAGE });
      }
      const input = options.batch !== undefined ? ({ kind: 'batch', batchId: options.batch, actor: CLI_ACTOR } as const) : ({ kind: 'coupon', couponNumber: number ?? '', actor: CLI_ACTOR } as const);
      const result = await withContext(open, (context) => voidCoupons(context, input));
      if (!result.ok) command.error(`error: ${explain(result.code)} (${result.code})`, { exitCode: EXIT_REFUSED });
      const v = result.value;
      if (v.untouched === undefined) {
        write(command, `voided 1 coupon${v.batchId === null ? '' : ` of batch ${v.batchId}`}\n`);
      } else {
        write(command, `voided ${v.voided} coupons of batch ${v.batchId ?? ''}; left as they are: ${v.untouched.locked} locked, ${v.untouched.consumed} consumed, ${v.untouched.void} already void\n`);
      }
    });
}
