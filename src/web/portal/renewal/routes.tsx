import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { lockedFieldNames, parseApplicationPassword, parseRegistration } from '../../../domain/input/registration.js';
import { hashApplicationPassword } from '../../../ra/application-password.js';
import { findRenewableCertificates } from '../../../ra/find-renewable-certificates.js';
import { submitApplication } from '../../../ra/submit-application.js';
import { isSubmissionAllowed } from '../../../ra/submission-limit.js';
import { findApplicationById } from '../../../store/application-store.js';
import { findSubscriberRegistration } from '../../../store/certificate-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { MessagePage } from '../../layout.js';
import { commonText } from '../../messages.js';
import { formOf, frameOf, clientKeyOf } from '../../request.js';
import type { RenewalProgress } from '../../session.js';
import { errorMessage } from '../input-messages.js';
import { ApplicationAcceptedPage, ApplicationConfirmPage, ApplicationFormPage, type FlowPaths } from '../application-views.js';
import { LookupPage, NotAvailablePage, SelectPage } from './views.js';
import { renewalText } from './messages.js';

const paths: FlowPaths = { base: '/renew', backFromForm: '/renew', isPasswordRequired: false };

function withLockedNames(values: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const merged = { ...values };
  for (const name of lockedFieldNames) merged[name] = stored[name] ?? '';
  return merged;
}

/** The stored registration as form values: everything but the coupon, which is new each time. */
function formValuesFromRegistration(stored: Record<string, string>): Record<string, string> {
  const { couponPart1: _1, couponPart2: _2, ...rest } = stored;
  return { proxyMode: 'entered', ...rest };
}

export function renewalRoutes(deps: WebDeps, extras: { confirmationWarning: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = { db: deps.db, clock: deps.clock, log: deps.log, site: { productName: deps.productName, publicUrl: deps.publicUrl } };

  const expired = (c: Context<WebEnv>) => {
    const t = commonText[c.get('lang')];
    return c.html(
      <MessagePage frame={frameOf(c, deps, '/renew')} title={t.expiredTitle} body={t.expiredBody} link={{ href: '/renew', label: t.startOver }} />,
      409,
    );
  };

  const formPage = (
    c: Context<WebEnv>,
    values: Record<string, string>,
    options: { errors?: Record<string, string>; hasNewPassword: boolean; passwordError?: { field: string; message: string } | undefined; status?: 200 | 409 | 422 },
  ) =>
    c.html(
      <ApplicationFormPage
        t={renewalText[c.get('lang')]}
        paths={paths}
        frame={frameOf(c, deps, '/renew/form')}
        csrf={c.get('session').csrfToken()}
        state={{ lang: c.get('lang'), values, errors: options.errors ?? {}, lockedNames: true }}
        hasNewPassword={options.hasNewPassword}
        passwordError={options.passwordError}
      />,
      options.status ?? 200,
    );

  /** The renewal in progress, once a certificate has been chosen. */
  const chosen = (c: Context<WebEnv>): (RenewalProgress & { selectedCertificateId: string }) | undefined => {
    const progress = c.get('session').data.renewal;
    return progress?.selectedCertificateId !== undefined ? (progress as RenewalProgress & { selectedCertificateId: string }) : undefined;
  };

  app.get('/', (c) => {
    const session = c.get('session');
    const draft = session.data.renewalLookup;
    return c.html(<LookupPage frame={frameOf(c, deps)} csrf={session.csrfToken()} email={draft?.email ?? ''} certificateCode={draft?.certificateCode ?? ''} />);
  });

  app.post('/search', async (c) => {
    const form = await formOf(c);
    const session = c.get('session');
    const email = form['email'] ?? '';
    const certificateCode = form['certificateCode'] ?? '';
    session.update((s) => {
      s.renewalLookup = { email: email.trim().slice(0, 254), certificateCode: certificateCode.trim().slice(0, 40) };
      delete s.renewal;
    });
    const result = await findRenewableCertificates(ra, {
      email,
      password: form['password'] ?? '',
      certificateCode,
      clientKey: clientKeyOf(c, deps),
    });
    if (!result.ok) {
      switch (result.code) {
        case 'renewal.rateLimited': {
          const t = commonText[c.get('lang')];
          c.header('Retry-After', '900');
          return c.html(<MessagePage frame={frameOf(c, deps, '/renew')} title={t.tooManyTitle} body={t.tooManyBody} />, 429);
        }
        case 'renewal.notAvailable':
          return c.html(<NotAvailablePage frame={frameOf(c, deps, '/renew')} />);
      }
    }
    session.rotate();
    session.update((s) => {
      s.renewal = { subscriberId: result.value.subscriberId, certificateIds: result.value.certificates.map((x) => x.certificateId) };
    });
    return c.html(<SelectPage frame={frameOf(c, deps, '/renew')} csrf={session.csrfToken()} certificates={result.value.certificates} />);
  });

  app.post('/select', async (c) => {
    const form = await formOf(c);
    const session = c.get('session');
    const progress = session.data.renewal;
    const certificateId = form['certificateId'] ?? '';
    if (progress === undefined || !progress.certificateIds.includes(certificateId)) return expired(c);
    const subscriber = await findSubscriberRegistration(deps.db, progress.subscriberId);
    if (subscriber === undefined) return expired(c);
    session.update((s) => {
      s.renewal = {
        subscriberId: progress.subscriberId,
        certificateIds: progress.certificateIds,
        selectedCertificateId: certificateId,
        values: formValuesFromRegistration(subscriber.registration),
      };
    });
    return c.redirect('/renew/form', 303);
  });

  app.get('/form', (c) => {
    const progress = chosen(c);
    if (progress === undefined || progress.acceptedApplicationId !== undefined) return c.redirect('/renew', 303);
    return formPage(c, progress.values ?? {}, { hasNewPassword: progress.newPasswordHash !== undefined });
  });

  app.post('/confirm', async (c) => {
    const progress = chosen(c);
    if (progress === undefined || progress.acceptedApplicationId !== undefined) return expired(c);
    const subscriber = await findSubscriberRegistration(deps.db, progress.subscriberId);
    if (subscriber === undefined) return expired(c);
    const form = await formOf(c);
    const lang = c.get('lang');
    const parsed = parseRegistration(form, { lockedNames: true });
    const values = withLockedNames(parsed.values, subscriber.registration);

    const newPassword = form['applicationPassword'] ?? '';
    const newPasswordConfirm = form['applicationPasswordConfirm'] ?? '';
    const isChangingPassword = newPassword !== '' || newPasswordConfirm !== '';
    const password = isChangingPassword ? parseApplicationPassword(newPassword, newPasswordConfirm) : undefined;
    const passwordError = password !== undefined && !password.ok ? { field: password.field, message: errorMessage(password.code, password.field, lang) } : undefined;

    if (!parsed.ok || passwordError !== undefined) {
      c.get('session').update((s) => {
        s.renewal = { ...progress, values };
      });
      return formPage(c, values, {
        errors: parsed.ok ? {} : parsed.errors,
        hasNewPassword: !isChangingPassword && progress.newPasswordHash !== undefined,
        passwordError,
        status: 422,
      });
    }
    const newPasswordHash = isChangingPassword ? await hashApplicationPassword(newPassword) : progress.newPasswordHash;
    const submissionKey = randomBytes(18).toString('base64url');
    c.get('session').update((s) => {
      const next: RenewalProgress = { ...progress, values, submissionKey };
      if (newPasswordHash !== undefined) next.newPasswordHash = newPasswordHash;
      s.renewal = next;
    });
    return c.html(
      <ApplicationConfirmPage t={renewalText[c.get('lang')]} paths={paths}
        frame={frameOf(c, deps, '/renew/form')}
        csrf={c.get('session').csrfToken()}
        values={values}
        submissionKey={submissionKey}
        hasNewPassword={newPasswordHash !== undefined}
        warning={await extras.confirmationWarning(c)}
      />,
    );
  });

  app.post('/back', (c) => (chosen(c) === undefined ? expired(c) : c.redirect('/renew/form', 303)));

  app.post('/submit', async (c) => {
    const form = await formOf(c);
    const progress = chosen(c);
    const key = form['submissionKey'] ?? '';
    if (progress === undefined) return expired(c);
    // A reload or replay of a submission that already went through: show its result.
    if (progress.acceptedApplicationId !== undefined && key === progress.acceptedSubmissionKey) return c.redirect('/renew/accepted', 303);
    if (progress.submissionKey === undefined || key !== progress.submissionKey || progress.values === undefined) return expired(c);

    const subscriber = await findSubscriberRegistration(deps.db, progress.subscriberId);
    if (subscriber === undefined) return expired(c);
    const parsed = parseRegistration(progress.values, { lockedNames: true });
    if (!parsed.ok) return c.redirect('/renew/form', 303);
    const registration = withLockedNames({ ...parsed.value.registration } as Record<string, string>, subscriber.registration);

    if (!(await isSubmissionAllowed(ra, clientKeyOf(c, deps)))) {
      const t = commonText[c.get('lang')];
      c.header('Retry-After', '3600');
      return c.html(<MessagePage frame={frameOf(c, deps, '/renew')} title={t.tooManyTitle} body={t.tooManySubmissionsBody} />, 429);
    }
    const result = await submitApplication(ra, {
      kind: 'renewal',
      subscriberId: progress.subscriberId,
      certificateId: progress.selectedCertificateId,
      registration,
      couponNumber: parsed.value.couponNumber,
      newPasswordHash: progress.newPasswordHash,
      submissionKey: key,
      lang: c.get('lang'),
    });
    if (!result.ok) {
      switch (result.code) {
        case 'renewal.notAvailable':
          return c.html(<NotAvailablePage frame={frameOf(c, deps, '/renew')} />);
        case 'coupon.unknown':
        case 'coupon.locked':
        case 'coupon.consumed':
        case 'coupon.void': {
          const code = result.code;
          c.get('session').update((s) => {
            const { submissionKey: _used, ...rest } = progress;
            s.renewal = rest;
          });
          return formPage(c, progress.values, { errors: { couponPart1: code }, hasNewPassword: progress.newPasswordHash !== undefined, status: 409 });
        }
      }
    }
    c.get('session').update((s) => {
      s.renewal = {
        subscriberId: progress.subscriberId,
        certificateIds: [],
        selectedCertificateId: progress.selectedCertificateId,
        acceptedApplicationId: result.value.id,
        acceptedSubmissionKey: key,
      };
    });
    return c.redirect('/renew/accepted', 303);
  });

  app.get('/accepted', async (c) => {
    const id = c.get('session').data.renewal?.acceptedApplicationId;
    const application = id === undefined ? undefined : await findApplicationById(deps.db, id);
    if (application === undefined) return c.redirect('/renew', 303);
    return c.html(
      <ApplicationAcceptedPage t={renewalText[c.get('lang')]}
        frame={frameOf(c, deps)}
        acceptanceNumber={application.acceptanceNumber}
        provisionalAt={application.provisionalAt}
        finalAt={application.finalAt}
      />,
    );
  });

  return app;
}

