import { parseApplicationPassword, type PasswordErrorCode, type PasswordFieldName } from '../domain/input/registration.js';
import type { OperatorRole } from '../domain/operator.js';
import { appendAudit } from '../store/audit-store.js';
import { findOperatorBySetupToken, lockOperator, updateOperator } from '../store/operator-store.js';
import type { RaDeps } from './deps.js';
import { hashSetupToken } from './operators.js';
import { checkTotp, newTotpSecret, totpUri } from './totp-codes.js';

export interface OperatorSetup {
  operatorId: string;
  email: string;
  role: OperatorRole;
  /** 'password' first; then 'totp', with the secret to enrol. */
  step: 'password' | 'totp';
  totpSecret?: string;
  totpUri?: string;
}

/** What the set-up link leads to now, or undefined when it is unknown, used or over a day old. */
export async function describeOperatorSetup(deps: Pick<RaDeps, 'db' | 'clock' | 'site'>, token: string): Promise<OperatorSetup | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const operator = await findOperatorBySetupToken(deps.db, hashSetupToken(token), deps.clock.now());
  if (operator === undefined) return undefined;
  if (operator.passwordHash === null || operator.totpPendingSecret === null) return { operatorId: operator.id, email: operator.email, role: operator.role, step: 'password' };
  return {
    operatorId: operator.id,
    email: operator.email,
    role: operator.role,
    step: 'totp',
    totpSecret: operator.totpPendingSecret,
    totpUri: totpUri(`${deps.site.brandName} console`, operator.email, operator.totpPendingSecret),
  };
}

export type SetPasswordResult =
  | { ok: true }
  | { ok: false; code: 'setup.unknown' }
  | { ok: false; code: 'form.invalid'; errors: Partial<Record<PasswordFieldName, PasswordErrorCode>> };

/** Step 1 of set-up: a password by the portal's rules (argon2id), and a TOTP secret to enrol. */
export async function setOperatorPassword(deps: RaDeps, input: { token: string; password: string; confirmation: string }): Promise<SetPasswordResult> {
  const checked = parseApplicationPassword(input.password, input.confirmation);
  if (!checked.ok) return { ok: false, code: 'form.invalid', errors: { [checked.field]: checked.code } };
  const now = deps.clock.now();
  const operator = await findOperatorBySetupToken(deps.db, hashSetupToken(input.token), now);
  if (operator === undefined) return { ok: false, code: 'setup.unknown' };
  const passwordHash = await deps.passwords.hash(checked.value);
  await deps.db.transaction(async (tx) => {
    await updateOperator(tx, operator.id, { passwordHash, totpPendingSecret: newTotpSecret() }, now);
    await appendAudit(tx, { at: now, actor: `operator:${operator.id}`, action: 'operator.passwordSet', subjectType: 'operator', subjectId: operator.id });
  });
  return { ok: true };
}

export type EnrolResult = { ok: true } | { ok: false; code: 'setup.unknown' | 'totp.wrong' | 'totp.replayed' };

/** Step 2: a code from the new authenticator proves it is set up; the link is used up. */
export async function enrolOperatorTotp(deps: RaDeps, input: { token: string; code: string }): Promise<EnrolResult> {
  const now = deps.clock.now();
  const found = await findOperatorBySetupToken(deps.db, hashSetupToken(input.token), now);
  if (found === undefined) return { ok: false, code: 'setup.unknown' };
  return deps.db.transaction(async (tx): Promise<EnrolResult> => {
    const operator = await lockOperator(tx, found.id);
    if (operator === undefined || operator.passwordHash === null || operator.totpPendingSecret === null) return { ok: false, code: 'setup.unknown' };
    const checked = checkTotp(operator.totpPendingSecret, input.code, now, null);
    if (!checked.ok) return checked;
    await updateOperator(
      tx,
      operator.id,
      { totpSecret: operator.totpPendingSecret, totpPendingSecret: null, totpLastStep: checked.step, setupTokenHash: null, setupExpiresAt: null, failedSignIns: 0, lockedUntil: null },
      now,
    );
    await appendAudit(tx, { at: now, actor: `operator:${operator.id}`, action: 'operator.totpEnrolled', subjectType: 'operator', subjectId: operator.id });
    return { ok: true };
  });
}
