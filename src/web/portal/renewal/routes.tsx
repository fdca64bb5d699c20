import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { findRenewableCertificates, listRenewableCertificates } from '../../../ra/find-renewable-certificates.js';
import { findSubscriberRegistration } from '../../../store/certificate-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { frameOf, raDepsOf } from '../../request.js';
import type { SessionHandle } from '../../session.js';
import { applicationFlowRoutes, type ApplicationDraft } from '../application-flow.js';
import type { FlowPaths } from '../application-views.js';
import { keysFor, limitedRedirect } from '../limits.js';
import { renewalText } from './messages.js';
import { LookupPage, NotAvailablePage, SelectPage } from './views.js';

/** The renewal's draft: who the lookup identified, which certificate they chose, then the form. */
export interface RenewalDraft extends ApplicationDraft {
  subscriberId: string;
  certificateIds: string[];
  selectedCertificateId?: string;
}

const paths: FlowPaths = { base: '/renew', form: '/renew/form', backFromForm: '/renew', isPasswordRequired: false };

const renewalOf = (session: SessionHandle): RenewalDraft | undefined => session.data.renewal as RenewalDraft | undefined;

/** The stored registration as form values: everything but the coupon, which is new each time. */
function formValuesFromRegistration(stored: Record<string, string>): Record<string, string> {
  const { couponPart1: _1, couponPart2: _2, ...rest } = stored;
  return { proxyMode: 'entered', ...rest };
}

/** SPEC 1.1: lookup (uniform answer), choice, then the shared application flow. */
export function renewalRoutes(deps: WebDeps, extras: { confirmationWarning: (c: Context<WebEnv>) => Promise<Child>; maintenanceNotice: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);

  // A failed lookup keeps nothing typed (issue #6 defect 7: the next person at a shared computer).
  app.get('/', async (c) => c.html(<LookupPage frame={frameOf(c, deps)} csrf={c.get('session').csrfToken()} notice={await extras.maintenanceNotice(c)} />));

  app.post('/search', async (c) => {
    const form = c.get('form');
    const result = await findRenewableCertificates(ra, {
      email: form['email'] ?? '',
      password: form['password'] ?? '',
      certificateCode: form['certificateCode'] ?? '',
      ...keysFor(c, deps),
    });
    if (!result.ok) {
      switch (result.code) {
        case 'renewal.rateLimited':
          return limitedRedirect(c, 'lookup', '/renew', result.retryAfterSeconds);
        case 'renewal.notAvailable':
          // The same page for every cause, and no session row for a stranger's guesses.
          return c.redirect('/renew/not-found', 303);
      }
    }
    const session = c.get('session');
    session.rotate();
    session.update((s) => {
      const draft: RenewalDraft = { subscriberId: result.value.subscriberId, certificateIds: result.value.certificates.map((x) => x.certificateId) };
      s.renewal = draft;
    });
    return c.redirect('/renew/select', 303);
  });

  app.get('/not-found', (c) => c.html(<NotAvailablePage frame={frameOf(c, deps)} />));

  app.get('/select', async (c) => {
    const draft = renewalOf(c.get('session'));
    if (draft === undefined) return c.redirect('/renew', 303);
    const certificates = await listRenewableCertificates(deps, draft.subscriberId, draft.certificateIds);
    if (certificates.length === 0) return c.html(<NotAvailablePage frame={frameOf(c, deps)} />);
    return c.html(<SelectPage frame={frameOf(c, deps)} csrf={c.get('session').csrfToken()} certificates={certificates} />);
  });

  app.post('/select', async (c) => {
    const session = c.get('session');
    const draft = renewalOf(session);
    const certificateId = c.get('form')['certificateId'] ?? '';
    if (draft === undefined || !draft.certificateIds.includes(certificateId)) return c.redirect('/renew', 303);
    const subscriber = await findSubscriberRegistration(deps.db, draft.subscriberId);
    if (subscriber === undefined) return c.redirect('/renew', 303);
    session.update((s) => {
      const next: RenewalDraft = {
        subscriberId: draft.subscriberId,
        certificateIds: draft.certificateIds,
        selectedCertificateId: certificateId,
        values: formValuesFromRegistration(subscriber.registration),
      };
      s.renewal = next;
    });
    session.forgetSealed('renewal.password');
    return c.redirect('/renew/form', 303);
  });

  app.route(
    '/',
    applicationFlowRoutes<RenewalDraft>(deps, {
      kind: 'renewal',
      session: 'renewal',
      paths,
      text: renewalText,
      start: '/renew',
      draftOf: (session) => {
        const draft = renewalOf(session);
        return draft?.selectedCertificateId === undefined ? undefined : draft;
      },
      identityOf: (draft) => (draft.selectedCertificateId === undefined ? undefined : { subscriberId: draft.subscriberId, certificateId: draft.selectedCertificateId }),
      formNotice: () => Promise.resolve(null),
      confirmationWarning: extras.confirmationWarning,
    }),
  );

  return app;
}
