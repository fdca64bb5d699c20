import { appendAudit } from '../store/audit-store.js';
import { requeueFailedMessage } from '../store/outbox-store.js';
import type { CoreDeps } from './deps.js';

export type ResendResult = { ok: true } | { ok: false; code: 'mail.notFailed' };

/** An operator sends a failed mail again (issue #7): it is due now, with ten fresh attempts. */
export async function resendFailedMail(deps: CoreDeps, input: { outboxId: string; actor: string }): Promise<ResendResult> {
  if (!/^[0-9a-f-]{36}$/.test(input.outboxId)) return { ok: false, code: 'mail.notFailed' };
  const now = deps.clock.now();
  return deps.db.transaction(async (tx): Promise<ResendResult> => {
    const row = await requeueFailedMessage(tx, input.outboxId, now);
    if (row === undefined) return { ok: false, code: 'mail.notFailed' };
    const toDomain = row.toAddress.slice(row.toAddress.lastIndexOf('@') + 1);
    await appendAudit(tx, { at: now, actor: input.actor, action: 'mail.resent', subjectType: 'outbox_message', subjectId: input.outboxId, after: { template: row.template, toDomain } });
    return { ok: true };
  });
}
