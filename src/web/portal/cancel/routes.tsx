import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { cancelApplication, findApplicationToCancel, type CancellableApplication } from '../../../ra/cancel-application.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Layout, MessagePage, PageHeading, type PageFrame } from '../../layout.js';
import { commonText } from '../../messages.js';
import { clientKeyOf, formOf, frameOf } from '../../request.js';
import { Item } from '../confirmation-table.js';
import { Csrf, LookupField } from '../lookup-fields.js';
import { cancelText } from './messages.js';

type Text = (typeof cancelText)['ja' | 'en'];

const LookupPage: FC<{ frame: PageFrame; csrf: string; acceptanceNumber: string; email: string; notFound: boolean }> = ({
  frame,
  csrf,
  acceptanceNumber,
  email,
  notFound,
}) => {
  const t = cancelText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepLookup}`}>
      <PageHeading flow={t.flow} step={t.stepLookup} />
      {notFound && (
        <div class="notice" role="alert">
          <p class="strong">{t.notFound}</p>
          <p>{t.notFoundCauses}</p>
        </div>
      )}
      <p>{t.lookupIntro}</p>
      <p class="important">
        {t.lookupRule} <a href="/help/cancel">{t.howTo}</a> / <a href="/maintenance">{t.maintenanceNotice}</a>
      </p>
      <form method="post" action="/cancel/search" class="form narrow">
        <Csrf token={csrf} />
        <LookupField name="acceptanceNumber" label={t.acceptanceNumber} type="text" autocomplete="off" value={acceptanceNumber} hint={t.acceptanceNumberHint} />
        <LookupField name="email" label={t.email} type="email" autocomplete="email" value={email} size="l" />
        <LookupField name="password" label={t.password} type="password" autocomplete="current-password" />
        <div class="actions">
          <button type="submit" class="primary">
            {t.search}
          </button>
        </div>
      </form>
    </Layout>
  );
};

const Summary: FC<{ t: Text; frame: PageFrame; application: CancellableApplication }> = ({ t, frame, application }) => (
  <dl class="readback">
    <Item label={t.acceptanceNumber} value={application.acceptanceNumber} valueClass="mono strong" />
    <Item label={t.kind} value={application.kind === 'renewal' ? t.kindRenewal : t.kindNew} />
    <Item label={t.name} value={application.nameJa} />
    <Item label={t.provisionalAt} value={formatInstant(application.provisionalAt, frame.lang)} />
    <Item label={t.deadline} value={formatInstant(application.finalAt, frame.lang)} />
  </dl>
);

const RefusalPage: FC<{ frame: PageFrame; application: CancellableApplication }> = ({ frame, application }) => {
  const t = cancelText[frame.lang];
  const reason = application.state === 'final' ? t.refusedFinal : application.state === 'cancelled' ? t.refusedCancelled : t.refusedOther;
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepRefused}`}>
      <PageHeading flow={t.flow} step={t.stepRefused} />
      <div class="notice" role="alert">
        <p class="strong">{reason}</p>
      </div>
      <Summary t={t} frame={frame} application={application} />
      <p class="actions">
        <a class="button" href="/">
          {t.home}
        </a>
      </p>
    </Layout>
  );
};

/** SPEC 1.3: 「新規・更新 申請の取り消し」. */
export function cancelRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = { db: deps.db, clock: deps.clock, log: deps.log, site: { productName: deps.productName, publicUrl: deps.publicUrl } };

  const expired = (c: Context<WebEnv>) => {
    const t = commonText[c.get('lang')];
    return c.html(<MessagePage frame={frameOf(c, deps, '/cancel')} title={t.expiredTitle} body={t.expiredBody} link={{ href: '/cancel', label: t.startOver }} />, 409);
  };

  app.get('/', (c) => c.html(<LookupPage frame={frameOf(c, deps)} csrf={c.get('session').csrfToken()} acceptanceNumber="" email="" notFound={false} />));

  app.post('/search', async (c) => {
    const form = await formOf(c);
    const session = c.get('session');
    const result = await findApplicationToCancel(ra, {
      acceptanceNumber: form['acceptanceNumber'] ?? '',
      email: form['email'] ?? '',
      password: form['password'] ?? '',
      clientKey: clientKeyOf(c, deps),
    });
    if (!result.ok) {
      session.update((s) => {
        delete s.cancel;
      });
      switch (result.code) {
        case 'cancel.rateLimited': {
          const t = commonText[c.get('lang')];
          c.header('Retry-After', '900');
          return c.html(<MessagePage frame={frameOf(c, deps, '/cancel')} title={t.tooManyTitle} body={t.tooManyBody} />, 429);
        }
        case 'cancel.notFound':
          return c.html(
            <LookupPage
              frame={frameOf(c, deps, '/cancel')}
              csrf={session.csrfToken()}
              acceptanceNumber={(form['acceptanceNumber'] ?? '').slice(0, 40)}
              email={(form['email'] ?? '').slice(0, 254)}
              notFound
            />,
          );
      }
    }
    const application = result.value;
    if (application.state !== 'provisional') return c.html(<RefusalPage frame={frameOf(c, deps, '/cancel')} application={application} />, 409);
    session.rotate();
    session.update((s) => {
      s.cancel = { applicationId: application.applicationId };
    });
    const frame = frameOf(c, deps, '/cancel');
    const t = cancelText[frame.lang];
    return c.html(
      <Layout frame={frame} title={`${t.flow} - ${t.stepConfirm}`}>
        <PageHeading flow={t.flow} step={t.stepConfirm} />
        <p class="lead">{t.confirmQuestion}</p>
        <p>{t.confirmNote}</p>
        <Summary t={t} frame={frame} application={application} />
        <div class="actions">
          <a class="button" href="/cancel">
            {commonText[frame.lang].back}
          </a>
          <form method="post" action="/cancel/confirm">
            <Csrf token={session.csrfToken()} />
            <button type="submit" class="primary">
              {t.confirmButton}
            </button>
          </form>
        </div>
      </Layout>,
    );
  });

  app.post('/confirm', async (c) => {
    const session = c.get('session');
    const applicationId = session.data.cancel?.applicationId;
    if (applicationId === undefined) return expired(c);
    // The session keeps the application, so a second click shows the same answer.
    const result = await cancelApplication(ra, { applicationId });
    const frame = frameOf(c, deps, '/cancel');
    const t = cancelText[frame.lang];
    if (!result.ok) {
      // SPEC 1.3: after the hour, or during maintenance, a clear refusal that says why.
      const body = result.code === 'cancel.maintenance' ? t.refusedMaintenance : t.refusedFinal;
      return c.html(<MessagePage frame={frame} title={t.stepRefused} body={body} link={{ href: '/', label: t.home }} />, result.code === 'cancel.maintenance' ? 503 : 409);
    }
    return c.html(
      <Layout frame={frame} title={`${t.flow} - ${t.stepDone}`}>
        <PageHeading flow={t.flow} step={t.stepDone} />
        <p class="lead" role="status">
          {t.doneLead}
        </p>
        <dl class="readback">
          <Item label={t.acceptanceNumber} value={result.value.acceptanceNumber} valueClass="mono strong" />
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
      </Layout>,
    );
  });

  return app;
}
