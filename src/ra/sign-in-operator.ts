import { afterFailedSignIn, canonicalOperatorEmail, isLockedOut, type OperatorRole } from '../domain/operator.js';
import { appendAudit } from '../store/audit-store.js';
import { findOperatorByEmail, lockOperator, updateOperator } from '../store/operator-store.js';
import { countAttempt } from '../store/rate-limit-store.js';
import type { RaDeps } from './deps.js';
import { checkTotp } from './totp-codes.js';

/** Sign-in attempts one client may make in 15 minutes, whichever accounts it tries. */
export const signInClientLimit = { max: 20, windowMs: 15 * 60 * 1000 };

export type SignInResult =
  | { ok: true; value: { operatorId: string; email: string; role: OperatorRole } }
  | { ok: false; code: 'signIn.failed' | 'signIn.rateLimited' };

/**
 * Password and TOTP code together (issue #7). Every failure answers the same
 * `signIn.failed` after the same work (one argon2 verification, decoy or real), so the
 * page tells nothing of which part was wrong or whether the account exists; the reason
 * is audited for the operator's own account. Five failures lock it for 15 minutes, and a
 * locked account refuses even the right password and code. A code is accepted once.
 */
export async function signInOperator(deps: RaDeps, input: { email: string; password: string; code: string; clientKey: string }): Promise<SignInResult> {
  const now = deps.clock.now();
  const attempts = await countAttempt(deps.db, `console-sign-in:client:${input.clientKey}`, now, signInClientLimit.windowMs);
  if (attempts > signInClientLimit.max) return { ok: false, code: 'signIn.rateLimited' };
  const found = await findOperatorByEmail(deps.db, canonicalOperatorEmail(input.email));
  const usable = found !== undefined && found.disabledAt === null && found.passwordHash !== null && found.totpSecret !== null ? found : undefined;
  const isPasswordRight = await deps.passwords.verify(usable?.passwordHash ?? undefined, input.password);
  if (usable === undefined) {
    deps.log.info({ event: 'signIn.refused', reason: found === undefined ? 'unknownOperator' : 'notUsable' }, 'console sign-in refused');
    return { ok: false, code: 'signIn.failed' };
  }
  return deps.db.transaction(async (tx): Promise<SignInResult> => {
    const operator = await lockOperator(tx, usable.id);
    if (operator === undefined || operator.totpSecret === null) return { ok: false, code: 'signIn.failed' };
    const subject = { subjectType: 'operator', subjectId: operator.id, at: now, actor: `operator:${operator.id}` } as const;
    if (isLockedOut(operator.lockedUntil, now)) {
      await appendAudit(tx, { ...subject, action: 'operator.signInRefused', after: { reason: 'lockedOut', lockedUntil: operator.lockedUntil?.toISOString() } });
      return { ok: false, code: 'signIn.failed' };
    }
    const totp = checkTotp(operator.totpSecret, input.code, now, operator.totpLastStep);
    if (!isPasswordRight || !totp.ok) {
      const next = afterFailedSignIn(operator.failedSignIns, now);
      await updateOperator(tx, operator.id, { failedSignIns: next.failures, ...(next.lockedUntil === null ? {} : { lockedUntil: next.lockedUntil }) }, now);
      const reason = !isPasswordRight ? 'wrongPassword' : totp.ok ? 'unknown' : totp.code === 'totp.replayed' ? 'replayedCode' : 'wrongCode';
      await appendAudit(tx, { ...subject, action: next.lockedUntil === null ? 'operator.signInRefused' : 'operator.lockedOut', after: { reason, ...(next.lockedUntil === null ? {} : { lockedUntil: next.lockedUntil.toISOString() }) } });
      return { ok: false, code: 'signIn.failed' };
    }
    await updateOperator(tx, operator.id, { failedSignIns: 0, lockedUntil: null, totpLastStep: totp.step }, now);
    await appendAudit(tx, { ...subject, action: 'operator.signedIn' });
    return { ok: true, value: { operatorId: operator.id, email: operator.email, role: operator.role } };
  });
}
