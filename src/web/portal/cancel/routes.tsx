import { Hono, type Context } from 'hono';
import type { Child, FC } from 'hono/jsx';
import { cancelApplication, describeOwnApplication, type OwnApplication } from '../../../ra/cancel-application.js';
import { findApplicationByCancelLink, findOwnApplication } from '../../../ra/find-own-application.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { commonText } from '../../messages.js';
import { frameOf, raDepsOf } from '../../request.js';
import type { SessionHandle } from '../../session.js';
import { EndSession } from '../application-views.js';
import { Item } from '../confirmation-table.js';
import { keysFor, limitedRedirect } from '../limits.js';
import { Csrf, LookupField } from '../lookup-fields.js';
import { cancelText } from './messages.js';

type Text = (typeof cancelText)['ja' | 'en'];

/** The cancellation's draft: the application its owner identified, and whether it is done. */
interface CancelDraft {
  applicationId: string;
  isCancelled?: true;
}

const draftOf = (session: SessionHandle): CancelDraft | undefined => session.data.cancel as CancelDraft | undefined;

export const OwnLookupPage: FC<{
  frame: PageFrame;
  csrf: string;
  action: string;
  t: { flow: string; stepLookup: string; lookupIntro: string; acceptanceNumber: string; acceptanceNumberHint: string; email: string; password: string; search: string; notFound: string; notFoundCauses: string };
  isNotFound: boolean;
  rules?: Child;
  notice?: Child;
}> = ({ frame, csrf, action, t, isNotFound, rules, notice }) => (
  <Layout frame={frame} title={`${t.flow} - ${t.stepLookup}`}>
    <PageHeading flow={t.flow} step={t.stepLookup} />
    {notice}
    {isNotFound && (
      <div class="notice" role="alert">
        <p class="strong">{t.notFound}</p>
        <p>{t.notFoundCauses}</p>
      </div>
    )}
    <p>{t.lookupIntro}</p>
    {rules}
    <form method="post" action={action} class="form narrow">
      <Csrf token={csrf} />
      <LookupField name="acceptanceNumber" label={t.acceptanceNumber} type="text" autocomplete="off" hint={t.acceptanceNumberHint} />
      <LookupField name="email" label={t.email} type="email" autocomplete="email" size="l" />
      <LookupField name="password" label={t.password} type="password" autocomplete="current-password" />
      <div class="actions">
        <button type="submit" class="primary">
          {t.search}
        </button>
      </div>
    </form>
  </Layout>
);

const Summary: FC<{ t: Text; frame: PageFrame; application: OwnApplication }> = ({ t, frame, application }) => (
  <dl class="readback">
    <Item label={t.acceptanceNumber} value={application.acceptanceNumber} valueClass="mono strong" />
    <Item label={t.kind} value={application.kind === 'renewal' ? t.kindRenewal : t.kindNew} />
    <Item label={t.name} value={application.nameJa} />
    <Item label={t.provisionalAt} value={formatInstant(application.provisionalAt, frame.lang)} />
    <Item label={t.deadline} value={formatInstant(application.finalAt, frame.lang)} />
  </dl>
);

/** The refusal says why, with the application it is about (SPEC 1.3). */
const RefusalPage: FC<{ frame: PageFrame; application: OwnApplication }> = ({ frame, application }) => {
  const t = cancelText[frame.lang];
  const isCancelled = application.cancellationRefusal === 'cancelled';
  const reason = (() => {
    switch (application.cancellationRefusal) {
      case 'final':
        return t.refusedFinal;
      case 'cancelled':
        return t.refusedCancelled;
      case 'maintenance':
        return t.refusedMaintenance;
      case 'decided':
      case undefined:
        return t.refusedOther;
    }
  })();
  // An application already cancelled is a fact, not a failure (issue #9).
  const step = isCancelled ? t.stepAlreadyCancelled : t.stepRefused;
  return (
    <Layout frame={frame} title={`${t.flow} - ${step}`}>
      <PageHeading flow={t.flow} step={step} />
      <div class="notice" role={isCancelled ? 'status' : 'alert'}>
        <p class="strong">{reason}</p>
      </div>
      <Summary t={t} frame={frame} application={application} />
      <div class="actions">
        <a class="button" href="/status">
          {t.statusLink}
        </a>
        <a class="button" href="/">
          {t.home}
        </a>
      </div>
    </Layout>
  );
};

const ConfirmPage: FC<{ frame: PageFrame; csrf: string; application: OwnApplication; action: string; hidden?: Child }> = ({ frame, csrf, application, action, hidden }) => {
  const t = cancelText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepConfirm}`}>
      <PageHeading flow={t.flow} step={t.stepConfirm} />
      <p class="lead">{t.confirmQuestion}</p>
      <p>{t.confirmNote}</p>
      <Summary t={t} frame={frame} application={application} />
      <div class="actions">
        <a class="button" href="/">
          {commonText[frame.lang].back}
        </a>
        <form method="post" action={action}>
          <Csrf token={csrf} />
          {hidden}
          <button type="submit" class="primary">
            {t.confirmButton}
          </button>
        </form>
      </div>
    </Layout>
  );
};

const DonePage: FC<{ frame: PageFrame; csrf: string; acceptanceNumber: string }> = ({ frame, csrf, acceptanceNumber }) => {
  const t = cancelText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepDone}`}>
      <PageHeading flow={t.flow} step={t.stepDone} />
      <p class="lead" role="status">
        {t.doneLead}
      </p>
      <dl class="readback">
        <Item label={t.acceptanceNumber} value={acceptanceNumber} valueClass="mono strong" />
      </dl>
      <p>{t.doneCoupon}</p>
      <p>{t.doneMail}</p>
      <div class="actions">
        <a class="button primary" href="/new">
          {t.newApplication}
        </a>
        <a class="button" href="/renew">
          {t.renewal}
        </a>
      </div>
      <EndSession lang={frame.lang} csrf={csrf} />
    </Layout>
  );
};

/** SPEC 1.3: 「新規・更新 申請の取り消し」, every step Post/Redirect/Get. */
/**
 * POST …/search of the lookups by acceptance number, email and password (cancel, status):
 * one uniform refusal, the limit page after a burst, and on success a rotated session
 * that remembers only which application was found.
 */
export function ownLookupHandler(
  deps: WebDeps,
  flow: { purpose: 'cancel' | 'status'; limit: 'cancelLookup' | 'lookup'; start: '/cancel' | '/status'; found: string },
): (c: Context<WebEnv>) => Promise<Response> {
  const ra = raDepsOf(deps);
  return async (c) => {
    const form = c.get('form');
    const result = await findOwnApplication(ra, {
      purpose: flow.purpose,
      acceptanceNumber: form['acceptanceNumber'] ?? '',
      email: form['email'] ?? '',
      password: form['password'] ?? '',
      ...keysFor(c, deps),
    });
    if (!result.ok) {
      switch (result.code) {
        case 'application.rateLimited':
          return limitedRedirect(c, flow.limit, flow.start, result.retryAfterSeconds);
        case 'application.notFound':
          return c.redirect(`${flow.start}/not-found`, 303);
      }
    }
    const session = c.get('session');
    session.rotate();
    session.update((s) => {
      s[flow.purpose] = { applicationId: result.value.applicationId };
    });
    return c.redirect(flow.found, 303);
  };
}

export function cancelRoutes(deps: WebDeps, extras: { maintenanceNotice: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);

  const lookupPage = async (c: Context<WebEnv>, isNotFound: boolean, status: 200 | 404 = 200) => {
    const t = cancelText[c.get('lang')];
    return c.html(
      <OwnLookupPage
        frame={frameOf(c, deps, '/cancel')}
        csrf={c.get('session').csrfToken()}
        action="/cancel/search"
        t={t}
        isNotFound={isNotFound}
        notice={await extras.maintenanceNotice(c)}
        rules={
          <p class="important">
            {t.lookupRule} <a href="/help/cancel">{t.howTo}</a> / <a href="/maintenance">{t.maintenanceNotice}</a>
          </p>
        }
      />,
      status,
    );
  };

  app.get('/', (c) => lookupPage(c, false));
  // The uniform answer to every failed lookup, stateless: a stranger's guesses store nothing.
  app.get('/not-found', (c) => lookupPage(c, true));

  app.post('/search', ownLookupHandler(deps, { purpose: 'cancel', limit: 'cancelLookup', start: '/cancel', found: '/cancel/confirm' }));

  app.get('/confirm', async (c) => {
    const session = c.get('session');
    const draft = draftOf(session);
    if (draft === undefined) return c.redirect('/cancel', 303);
    const application = await describeOwnApplication(ra, draft.applicationId);
    if (application === undefined) return c.redirect('/cancel', 303);
    if (draft.isCancelled) return c.redirect('/cancel/done', 303);
    if (application.cancellationRefusal !== undefined) return c.html(<RefusalPage frame={frameOf(c, deps)} application={application} />);
    return c.html(<ConfirmPage frame={frameOf(c, deps)} csrf={session.csrfToken()} application={application} action="/cancel/confirm" />);
  });

  app.post('/confirm', async (c) => {
    const session = c.get('session');
    const draft = draftOf(session);
    if (draft === undefined) return c.redirect('/cancel', 303);
    // The session keeps the application, so a second click shows the same answer.
    const result = await cancelApplication(ra, { applicationId: draft.applicationId, via: 'lookup' });
    if (result.ok) {
      session.update((s) => {
        s.cancel = { ...draft, isCancelled: true };
      });
      return c.redirect('/cancel/done', 303);
    }
    // After the hour or during maintenance the confirmation page says why (it asks the RA again).
    return c.redirect('/cancel/confirm', 303);
  });

  app.get('/done', async (c) => {
    const session = c.get('session');
    const draft = draftOf(session);
    const application = draft?.isCancelled === true ? await describeOwnApplication(ra, draft.applicationId) : undefined;
    if (application === undefined) return c.redirect('/cancel', 303);
    return c.html(<DonePage frame={frameOf(c, deps)} csrf={session.csrfToken()} acceptanceNumber={application.acceptanceNumber} />);
  });

  /**
   * The one-time link of the provisional-acceptance mail (issue #6 defect 8): the owner's
   * way past a lookup strangers have locked. GET only shows; the POST cancels. Neither
   * stores anything in a session: the token in the path is the whole identification.
   */
  app.get('/link/:token', async (c) => {
    const applicationId = await findApplicationByCancelLink(ra, c.req.param('token'));
    const application = applicationId === undefined ? undefined : await describeOwnApplication(ra, applicationId);
    // An unknown or outdated link: the lookup page, as 404.
    if (application === undefined) return lookupPage(c, true, 404);
    if (application.cancellationRefusal !== undefined) return c.html(<RefusalPage frame={frameOf(c, deps, '/cancel')} application={application} />);
    return c.html(<ConfirmPage frame={frameOf(c, deps, '/cancel')} csrf={c.get('session').csrfToken()} application={application} action={`/cancel/link/${c.req.param('token')}`} />);
  });

  app.post('/link/:token', async (c) => {
    const token = c.req.param('token');
    const applicationId = await findApplicationByCancelLink(ra, token);
    if (applicationId === undefined) return c.redirect('/cancel/not-found', 303);
    const result = await cancelApplication(ra, { applicationId, via: 'mailLink' });
    if (!result.ok) return c.redirect(`/cancel/link/${token}`, 303);
    return c.redirect(`/cancel/link/${token}/done`, 303);
  });

  app.get('/link/:token/done', async (c) => {
    const applicationId = await findApplicationByCancelLink(ra, c.req.param('token'));
    const application = applicationId === undefined ? undefined : await describeOwnApplication(ra, applicationId);
    if (application?.cancellationRefusal !== 'cancelled') return c.redirect('/cancel', 303);
    return c.html(<DonePage frame={frameOf(c, deps, '/cancel')} csrf={c.get('session').csrfToken()} acceptanceNumber={application.acceptanceNumber} />);
  });

  return app;
}
