import { createHash, randomBytes } from 'node:crypto';
import { canonicalOperatorEmail, SETUP_LINK_TTL_MS, type OperatorRole } from '../domain/operator.js';
import { isEmailAddress } from '../domain/input/registration.js';
import { appendAudit } from '../store/audit-store.js';
import { isUniqueViolation } from '../store/errors.js';
import { deleteConsoleSessionsOf, findOperatorByEmail, insertOperator, updateOperator } from '../store/operator-store.js';
import { newTotpSecret } from './totp-codes.js';
import type { CoreDeps } from './deps.js';

/** The set-up link's token as stored: its SHA-256 (the token itself is only ever printed once). */
export function hashSetupToken(token: string): string {
  return createHash('sha256').update(`certdesk:operator-setup:${token}`).digest('hex');
}

const newSetupToken = () => randomBytes(32).toString('base64url');

export type AddOperatorResult =
  | { ok: true; value: { operatorId: string; setupUrl: string; expiresAt: Date } }
  | { ok: false; code: 'operator.invalidEmail' | 'operator.exists' };

/**
 * `certdesk operator add` (issue #7): an operator with a role and a one-time set-up link,
 * valid for a day, on which they choose a password and enrol TOTP.
 */
export async function addOperator(deps: CoreDeps & { publicUrl: string }, input: { email: string; role: OperatorRole; actor: string }): Promise<AddOperatorResult> {
  const email = canonicalOperatorEmail(input.email);
  if (!isEmailAddress(email)) return { ok: false, code: 'operator.invalidEmail' };
  const now = deps.clock.now();
  const token = newSetupToken();
  const expiresAt = new Date(now.getTime() + SETUP_LINK_TTL_MS);
  try {
    const operator = await deps.db.transaction(async (tx) => {
      const row = await insertOperator(tx, { email, role: input.role, setupTokenHash: hashSetupToken(token), setupExpiresAt: expiresAt, now });
      await appendAudit(tx, { at: now, actor: input.actor, action: 'operator.added', subjectType: 'operator', subjectId: row.id, after: { email, role: input.role } });
      return row;
    });
    deps.log.info({ event: 'operator.added', operatorId: operator.id, role: input.role }, 'operator added');
    return { ok: true, value: { operatorId: operator.id, setupUrl: `${deps.publicUrl}/console/setup/${token}`, expiresAt } };
  } catch (error) {
    if (isUniqueViolation(error, 'operators_email_key')) return { ok: false, code: 'operator.exists' };
    throw new Error('adding an operator', { cause: error });
  }
}

export type OperatorChangeResult = { ok: true; value: { operatorId: string; setupUrl?: string } } | { ok: false; code: 'operator.unknown' };

/** `certdesk operator disable`: no more sign-in, and every console session of theirs ends now. */
export async function disableOperator(deps: CoreDeps, input: { email: string; actor: string }): Promise<OperatorChangeResult> {
  const now = deps.clock.now();
  const operator = await findOperatorByEmail(deps.db, canonicalOperatorEmail(input.email));
  if (operator === undefined) return { ok: false, code: 'operator.unknown' };
  await deps.db.transaction(async (tx) => {
    await updateOperator(tx, operator.id, { disabledAt: now, setupTokenHash: null, setupExpiresAt: null }, now);
    await deleteConsoleSessionsOf(tx, operator.id);
    await appendAudit(tx, { at: now, actor: input.actor, action: 'operator.disabled', subjectType: 'operator', subjectId: operator.id, before: { disabledAt: operator.disabledAt?.toISOString() ?? null } });
  });
  return { ok: true, value: { operatorId: operator.id } };
}

/**
 * `certdesk operator reset-totp`: the old authenticator stops working at once; a new set-up
 * link (a day, once) lets the operator enrol a new one. The password stays.
 */
export async function resetOperatorTotp(deps: CoreDeps & { publicUrl: string }, input: { email: string; actor: string }): Promise<OperatorChangeResult> {
  const now = deps.clock.now();
  const operator = await findOperatorByEmail(deps.db, canonicalOperatorEmail(input.email));
  if (operator === undefined) return { ok: false, code: 'operator.unknown' };
  const token = newSetupToken();
  await deps.db.transaction(async (tx) => {
    await updateOperator(
      tx,
      operator.id,
      { totpSecret: null, totpPendingSecret: newTotpSecret(), totpLastStep: null, setupTokenHash: hashSetupToken(token), setupExpiresAt: new Date(now.getTime() + SETUP_LINK_TTL_MS) },
      now,
    );
    await deleteConsoleSessionsOf(tx, operator.id);
    await appendAudit(tx, { at: now, actor: input.actor, action: 'operator.totpReset', subjectType: 'operator', subjectId: operator.id });
  });
  return { ok: true, value: { operatorId: operator.id, setupUrl: `${deps.publicUrl}/console/setup/${token}` } };
}
