import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { reviewApplicationForm } from '../../ra/review-application-form.js';
import { submitApplication } from '../../ra/submit-application.js';
import { findApplicationById } from '../../store/application-store.js';
import type { Lang, WebDeps, WebEnv } from '../env.js';
import { MessagePage } from '../layout.js';
import { commonText } from '../messages.js';
import { clientKeyOf, frameOf, raDepsOf } from '../request.js';
import type { FlowName, SessionHandle } from '../session.js';
import { AlreadySubmittedPage, ApplicationAcceptedPage, ApplicationConfirmPage, ApplicationFormPage, type FlowPaths, type FlowText } from './application-views.js';
import { expiredRedirect, limitedRedirect } from './limits.js';

/**
 * What an application flow keeps between its pages (the form's values and errors after
 * a redirect, the confirmation's one-time key, the outcome of 送信). One per flow: a
 * renewal adds who was identified and which certificate was chosen.
 */
export interface ApplicationDraft {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  /** Set when 「次へ」 accepted the form: the confirmation screen's one-time key. */
  submissionKey?: string;
  accepted?: { applicationId: string; submissionKey: string };
}

/** What differs between the renewal and the new application (SPEC 1.1, 1.2). */
export interface FlowConfig<D extends ApplicationDraft> {
  kind: 'new' | 'renewal';
  session: Extract<FlowName, 'renewal' | 'newApplication'>;
  paths: FlowPaths;
  text: Record<Lang, FlowText>;
  /** The draft the form may work on now, or undefined (renewal: nobody identified, nothing chosen). */
  draftOf(session: SessionHandle): D | undefined;
  /** Where to go when there is no draft to work on. */
  start: '/renew' | '/new';
  /** The renewal's subscriber and certificate, for the RA. */
  identityOf(draft: D): { subscriberId: string; certificateId: string } | undefined;
  /** A notice above the form (the maintenance banner on a flow's first page). */
  formNotice(c: Context<WebEnv>): Promise<Child>;
  confirmationWarning(c: Context<WebEnv>): Promise<Child>;
}

const passwordSeal = (flow: string) => `${flow}.password`;

/**
 * One flow, form → confirmation → 送信 → acceptance, for both kinds (issue #7 item 10),
 * every step Post/Redirect/Get (issue #6 defect 5): a POST only changes the draft and
 * redirects, so Back and Reload always land on one of our GET pages.
 */
export function applicationFlowRoutes<D extends ApplicationDraft>(deps: WebDeps, flow: FlowConfig<D>): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);
  const { paths } = flow;
  const t = (c: Context<WebEnv>) => flow.text[c.get('lang')];
  const save = (session: SessionHandle, draft: D) =>
    session.update((s) => {
      s[flow.session] = draft;
    });

  const expired = (c: Context<WebEnv>) => expiredRedirect(c, flow.start);

  // The new application's form is the flow's first page (/new); the renewal's follows its lookup.
  const formRoute = paths.form === paths.base ? '/' : paths.form.slice(paths.base.length);

  app.get(formRoute, async (c) => {
    const session = c.get('session');
    const draft = flow.draftOf(session);
    if (draft === undefined) return c.redirect(flow.start, 303);
    // After 送信 a renewal's form is done with; a new application starts empty again.
    if (draft.accepted !== undefined && flow.kind === 'renewal') return c.redirect(`${paths.base}/confirm`, 303);
    const isFresh = draft.accepted !== undefined;
    return c.html(
      <ApplicationFormPage
        frame={frameOf(c, deps, paths.form)}
        t={t(c)}
        paths={paths}
        csrf={session.csrfToken()}
        state={{ lang: c.get('lang'), values: isFresh ? { proxyMode: 'entered' } : (draft.values ?? { proxyMode: 'entered' }), errors: isFresh ? {} : (draft.errors ?? {}), lockedNames: flow.kind === 'renewal' }}
        hasPasswordInDraft={!isFresh && session.hasSealed(passwordSeal(flow.session))}
        notice={await flow.formNotice(c)}
      />,
    );
  });

  app.post('/confirm', async (c) => {
    const session = c.get('session');
    const previous = flow.draftOf(session);
    if (previous === undefined) return expired(c);
    const isFresh = previous.accepted !== undefined;
    const draftPassword = isFresh ? undefined : session.unseal(passwordSeal(flow.session));
    const identity = flow.identityOf(previous);
    const review = await reviewApplicationForm(ra, {
      kind: flow.kind,
      raw: c.get('form'),
      subscriberId: identity?.subscriberId,
      draftPassword,
      clientKey: clientKeyOf(c, deps),
    });
    const { accepted: _done, submissionKey: _old, errors: _errors, values: _values, ...rest } = previous;
    const kept = rest as D;
    // Personal data is written: a fresh session id, whatever id the visitor came with, so a
    // planted or copied id never sees what is typed now (defect 7). Open tabs keep working:
    // their forms are signed by the form cookie, which does not change.
    session.rotate();
    if (!review.ok) {
      switch (review.code) {
        case 'renewal.notAvailable':
          return expired(c);
        case 'coupon.rateLimited':
          return limitedRedirect(c, 'coupon', flow.start);
        case 'form.invalid':
          save(session, { ...kept, values: review.values, errors: review.errors as Record<string, string> });
          if (isFresh) session.forgetSealed(passwordSeal(flow.session));
          return c.redirect(paths.form, 303);
      }
    }
    save(session, { ...kept, values: review.value.values, submissionKey: randomBytes(18).toString('base64url') });
    // The password is kept sealed until 送信 hashes it (defect 6); keeping the current one seals nothing.
    if (review.value.password.kind === 'new') session.seal(passwordSeal(flow.session), review.value.password.value);
    return c.redirect(`${paths.base}/confirm`, 303);
  });

  app.get('/confirm', async (c) => {
    const session = c.get('session');
    const draft = flow.draftOf(session);
    if (draft === undefined) return c.redirect(flow.start, 303);
    if (draft.accepted !== undefined) {
      const application = await findApplicationById(deps.db, draft.accepted.applicationId);
      if (application === undefined) return c.redirect(flow.start, 303);
      return c.html(<AlreadySubmittedPage frame={frameOf(c, deps, paths.form)} t={t(c)} paths={paths} acceptanceNumber={application.acceptanceNumber} />);
    }
    if (draft.submissionKey === undefined || draft.values === undefined) return c.redirect(paths.form, 303);
    return c.html(
      <ApplicationConfirmPage
        frame={frameOf(c, deps, `${paths.base}/confirm`)}
        t={t(c)}
        paths={paths}
        csrf={session.csrfToken()}
        values={draft.values}
        submissionKey={draft.submissionKey}
        hasNewPassword={session.hasSealed(passwordSeal(flow.session))}
        warning={await flow.confirmationWarning(c)}
      />,
    );
  });

  app.post('/back', (c) => (flow.draftOf(c.get('session')) === undefined ? expired(c) : c.redirect(paths.form, 303)));

  app.post('/submit', async (c) => {
    const session = c.get('session');
    const draft = flow.draftOf(session);
    const key = c.get('form')['submissionKey'] ?? '';
    if (draft === undefined) return expired(c);
    // A reload, replay or double click of a submission that went through: its result.
    if (draft.accepted !== undefined && key === draft.accepted.submissionKey) return c.redirect(`${paths.base}/accepted`, 303);
    // A confirmation screen older than the draft (another tab changed it): not what the draft says.
    if (draft.submissionKey === undefined || key !== draft.submissionKey || draft.values === undefined) return expired(c);
    const common = { values: draft.values, draftPassword: session.unseal(passwordSeal(flow.session)), lang: c.get('lang'), submissionKey: key, clientKey: clientKeyOf(c, deps) };
    const identity = flow.identityOf(draft);
    if (flow.kind === 'renewal' && identity === undefined) return expired(c);
    const result = await submitApplication(ra, identity === undefined ? { kind: 'new', ...common } : { kind: 'renewal', ...identity, ...common });
    if (!result.ok) {
      switch (result.code) {
        case 'submission.rateLimited':
          return limitedRedirect(c, 'submission', flow.start);
        case 'renewal.notAvailable':
          return c.redirect('/renew/not-found', 303);
        case 'form.invalid': {
          const { submissionKey: _used, ...rest } = draft;
          save(session, { ...rest, errors: result.errors as Record<string, string> } as D);
          return c.redirect(paths.form, 303);
        }
        case 'coupon.unknown':
        case 'coupon.locked':
        case 'coupon.consumed':
        case 'coupon.void':
        case 'coupon.expired':
        case 'coupon.checkUnavailable': {
          const { submissionKey: _used, ...rest } = draft;
          save(session, { ...rest, errors: { couponPart1: result.code } } as unknown as D);
          return c.redirect(paths.form, 303);
        }
      }
    }
    const { values: _values, errors: _errors, submissionKey: _key, ...identityOnly } = draft;
    save(session, { ...identityOnly, accepted: { applicationId: result.value.id, submissionKey: key } } as D);
    session.forgetSealed(passwordSeal(flow.session));
    return c.redirect(`${paths.base}/accepted`, 303);
  });

  app.get('/accepted', async (c) => {
    const session = c.get('session');
    const id = flow.draftOf(session)?.accepted?.applicationId;
    const application = id === undefined ? undefined : await findApplicationById(deps.db, id);
    if (application === undefined) return c.redirect(flow.start, 303);
    // Cancelled meanwhile (another tab, the mail's link): the page says so rather than 仮受付.
    if (application.state === 'cancelled') {
      const common = commonText[c.get('lang')];
      return c.html(<MessagePage frame={frameOf(c, deps, flow.start)} title={common.cancelledTitle} body={common.cancelledBody(application.acceptanceNumber)} link={{ href: flow.start, label: common.startOver }} />);
    }
    return c.html(
      <ApplicationAcceptedPage
        frame={frameOf(c, deps, `${paths.base}/accepted`)}
        t={t(c)}
        csrf={session.csrfToken()}
        acceptanceNumber={application.acceptanceNumber}
        provisionalAt={application.provisionalAt}
        finalAt={application.finalAt}
      />,
    );
  });

  return app;
}
