import type { OperatorRole } from '../../src/domain/operator.js';
import { totpStepAt } from '../../src/domain/totp.js';
import { addOperator } from '../../src/ra/operators.js';
import { totpCodeAt } from '../../src/ra/totp-codes.js';
import { PortalClient } from './portal-client.js';
import type { World } from './world.js';

export interface Operator {
  email: string;
  password: string;
  secret: string;
  client: PortalClient;
  /** The code the authenticator shows now (or `stepOffset` steps away). */
  code(stepOffset?: number): string;
  signIn(): Promise<Response>;
}

/** An operator as a person sets one up: the CLI's link, a password, TOTP from the shown secret. */
export async function enrolOperator(world: World, email: string, role: OperatorRole, password = 'Operator-Pass-2026'): Promise<Operator> {
  const added = await addOperator({ ...world.ra, publicUrl: world.config.site.publicUrl }, { email, role, actor: 'test' });
  if (!added.ok) throw new Error(added.code);
  const path = new URL(added.value.setupUrl).pathname;
  const client = new PortalClient(world.app);
  await client.get(path);
  await client.post(`${path}/password`, { password, passwordConfirm: password });
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(client.lastHtml)?.[1];
  if (secret === undefined) throw new Error(`no TOTP secret on the set-up page: ${client.lastHtml.slice(0, 500)}`);
  const code = (stepOffset = 0) => totpCodeAt(secret, totpStepAt(world.clock.now()) + stepOffset);
  await client.post(`${path}/totp`, { code: code() });
  if (!client.lastHtml.includes('初期設定が完了しました')) throw new Error('enrolment failed');
  const operator: Operator = {
    email,
    password,
    secret,
    client,
    code,
    signIn: async () => {
      // The enrolment used this step's code: a code works once, so sign in at the next step.
      world.clock.advance(30_000);
      await client.get('/console/sign-in');
      return client.post('/console/sign-in', { email, password, code: code() });
    },
  };
  return operator;
}
