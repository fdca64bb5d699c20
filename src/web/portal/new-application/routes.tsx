import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { parseApplicationPassword, parseRegistration } from '../../../domain/input/registration.js';
import { hashApplicationPassword } from '../../../ra/application-password.js';
import { submitApplication } from '../../../ra/submit-application.js';
import { isSubmissionAllowed } from '../../../ra/submission-limit.js';
import { findApplicationById } from '../../../store/application-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { MessagePage } from '../../layout.js';
import { commonText } from '../../messages.js';
import { clientKeyOf, formOf, frameOf } from '../../request.js';
import type { NewApplicationProgress } from '../../session.js';
import { ApplicationAcceptedPage, ApplicationConfirmPage, ApplicationFormPage, type FlowPaths } from '../application-views.js';
import { errorMessage } from '../input-messages.js';
import { newApplicationText } from './messages.js';

const paths: FlowPaths = { base: '/new', backFromForm: '/', isPasswordRequired: true };

/** SPEC 1.2: the renewal's form and confirmation, without prefill, names editable, password chosen here. */
export function newApplicationRoutes(deps: WebDeps, extras: { confirmationWarning: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = { db: deps.db, clock: deps.clock, log: deps.log, site: { productName: deps.productName, publicUrl: deps.publicUrl } };
  const text = (c: Context<WebEnv>) => newApplicationText[c.get('lang')];

  const expired = (c: Context<WebEnv>) => {
    const t = commonText[c.get('lang')];
    return c.html(<MessagePage frame={frameOf(c, deps, '/new')} title={t.expiredTitle} body={t.expiredBody} link={{ href: '/new', label: t.startOver }} />, 409);
  };

  const formPage = (c: Context<WebEnv>, progress: NewApplicationProgress, errors: Record<string, string>, passwordError?: { field: string; message: string }) =>
    c.html(
      <ApplicationFormPage
        frame={frameOf(c, deps, '/new')}
        t={text(c)}
        paths={paths}
        csrf={c.get('session').csrfToken()}
        state={{ lang: c.get('lang'), values: progress.values ?? { proxyMode: 'entered' }, errors, lockedNames: false }}
        hasNewPassword={progress.passwordHash !== undefined}
        passwordError={passwordError}
      />,
      Object.keys(errors).length > 0 || passwordError !== undefined ? 422 : 200,
    );

  app.get('/', (c) => {
    const progress = c.get('session').data.newApplication;
    // After an accepted application, the form starts empty again.
    return formPage(c, progress?.acceptedApplicationId !== undefined ? {} : (progress ?? {}), {});
  });

  app.post('/confirm', async (c) => {
    const form = await formOf(c);
    const lang = c.get('lang');
    const session = c.get('session');
    const previous = session.data.newApplication?.acceptedApplicationId !== undefined ? {} : (session.data.newApplication ?? {});
    const parsed = parseRegistration(form, { lockedNames: false });
    const password = form['applicationPassword'] ?? '';
    const confirmation = form['applicationPasswordConfirm'] ?? '';
    // Once chosen, the password need not be typed again after 戻る (its hash is kept).
    const isKeepingPassword = previous.passwordHash !== undefined && password === '' && confirmation === '';
    const checked = isKeepingPassword ? undefined : parseApplicationPassword(password, confirmation);
    const passwordError = checked !== undefined && !checked.ok ? { field: checked.field, message: errorMessage(checked.code, checked.field, lang) } : undefined;

    if (!parsed.ok || passwordError !== undefined) {
      const kept: NewApplicationProgress = { values: parsed.values };
      if (previous.passwordHash !== undefined && passwordError === undefined) kept.passwordHash = previous.passwordHash;
      session.update((s) => {
        s.newApplication = kept;
      });
      return formPage(c, kept, parsed.ok ? {} : (parsed.errors as Record<string, string>), passwordError);
    }
    const passwordHash = checked?.ok ? await hashApplicationPassword(checked.value) : previous.passwordHash;
    if (passwordHash === undefined) return expired(c);
    const submissionKey = randomBytes(18).toString('base64url');
    session.update((s) => {
      s.newApplication = { values: parsed.values, passwordHash, submissionKey };
    });
    return c.html(
      <ApplicationConfirmPage
        frame={frameOf(c, deps, '/new')}
        t={text(c)}
        paths={paths}
        csrf={session.csrfToken()}
        values={parsed.values}
        submissionKey={submissionKey}
        hasNewPassword
        warning={await extras.confirmationWarning(c)}
      />,
    );
  });

  app.post('/back', (c) => c.redirect('/new', 303));

  app.post('/submit', async (c) => {
    const form = await formOf(c);
    const key = form['submissionKey'] ?? '';
    const progress = c.get('session').data.newApplication;
    if (progress === undefined) return expired(c);
    if (progress.acceptedApplicationId !== undefined && key === progress.acceptedSubmissionKey) return c.redirect('/new/accepted', 303);
    if (progress.submissionKey === undefined || key !== progress.submissionKey || progress.values === undefined || progress.passwordHash === undefined) {
      return expired(c);
    }
    const parsed = parseRegistration(progress.values, { lockedNames: false });
    if (!parsed.ok) return c.redirect('/new', 303);
    if (!(await isSubmissionAllowed(ra, clientKeyOf(c, deps)))) {
      const t = commonText[c.get('lang')];
      c.header('Retry-After', '3600');
      return c.html(<MessagePage frame={frameOf(c, deps, '/new')} title={t.tooManyTitle} body={t.tooManySubmissionsBody} />, 429);
    }
    const result = await submitApplication(ra, {
      kind: 'new',
      registration: { ...parsed.value.registration } as Record<string, string>,
      couponNumber: parsed.value.couponNumber,
      passwordHash: progress.passwordHash,
      submissionKey: key,
      lang: c.get('lang'),
    });
    if (!result.ok) {
      const { submissionKey: _used, ...rest } = progress;
      c.get('session').update((s) => {
        s.newApplication = rest;
      });
      return formPage(c, rest, { couponPart1: result.code });
    }
    c.get('session').update((s) => {
      s.newApplication = { acceptedApplicationId: result.value.id, acceptedSubmissionKey: key };
    });
    return c.redirect('/new/accepted', 303);
  });

  app.get('/accepted', async (c) => {
    const id = c.get('session').data.newApplication?.acceptedApplicationId;
    const application = id === undefined ? undefined : await findApplicationById(deps.db, id);
    if (application === undefined) return c.redirect('/new', 303);
    return c.html(
      <ApplicationAcceptedPage
        frame={frameOf(c, deps)}
        t={text(c)}
        acceptanceNumber={application.acceptanceNumber}
        provisionalAt={application.provisionalAt}
        finalAt={application.finalAt}
      />,
    );
  });

  return app;
}
