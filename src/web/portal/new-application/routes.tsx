import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { WebDeps, WebEnv } from '../../env.js';
import { applicationFlowRoutes, type ApplicationDraft } from '../application-flow.js';
import { newApplicationText } from './messages.js';

/** SPEC 1.2: the renewal's form and confirmation, without prefill, names editable, password chosen here. */
export function newApplicationRoutes(deps: WebDeps, extras: { confirmationWarning: (c: Context<WebEnv>) => Promise<Child>; maintenanceNotice: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  return applicationFlowRoutes<ApplicationDraft>(deps, {
    kind: 'new',
    session: 'newApplication',
    paths: { base: '/new', form: '/new', backFromForm: '/', isPasswordRequired: true },
    text: newApplicationText,
    start: '/new',
    // Anyone may start one: the draft is created by the first 「次へ」.
    draftOf: (session) => (session.data.newApplication as ApplicationDraft | undefined) ?? {},
    identityOf: () => undefined,
    formNotice: extras.maintenanceNotice,
    confirmationWarning: extras.confirmationWarning,
  });
}
