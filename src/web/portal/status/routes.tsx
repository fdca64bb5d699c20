import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { progressSteps, type ApplicationProgress } from '../../../domain/application-progress.js';
import { describeOwnApplication, type OwnApplication } from '../../../ra/cancel-application.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { frameOf, raDepsOf } from '../../request.js';
import type { SessionHandle } from '../../session.js';
import { EndSession } from '../application-views.js';
import { OwnLookupPage, ownLookupHandler } from '../cancel/routes.js';
import { Item } from '../confirmation-table.js';
import { statusText } from './messages.js';

interface StatusDraft {
  applicationId: string;
}

const draftOf = (session: SessionHandle): StatusDraft | undefined => session.data.status as StatusDraft | undefined;

/** The seed's 「発行までの流れ」 as steps, the current one marked (aria-current). */
export const ProgressSteps: FC<{ lang: PageFrame['lang']; progress: ApplicationProgress }> = ({ lang, progress }) => {
  const t = statusText[lang];
  const current = progress.kind === 'onTrack' ? progressSteps.indexOf(progress.step) : -1;
  return (
    <ol class="steps" aria-label={t.stepsLabel}>
      {progressSteps.map((step, i) => (
        <li class={i < current ? 'done' : i === current ? 'current' : 'todo'} aria-current={i === current ? 'step' : undefined}>
          <span class="step-name">{t.steps[step].name}</span>
          <span class="step-note">{t.steps[step].note}</span>
          {i < current && <span class="visually-hidden">{t.doneMark}</span>}
        </li>
      ))}
    </ol>
  );
};

const StatusPage: FC<{ frame: PageFrame; csrf: string; application: OwnApplication; now: Date }> = ({ frame, csrf, application, now }) => {
  const t = statusText[frame.lang];
  const { progress } = application;
  const headline = (() => {
    switch (progress.kind) {
      case 'cancelled':
        return t.cancelled;
      case 'rejected':
        return application.rejectionReason === undefined ? t.rejected : `${t.rejected} ${t.rejectionReasons[application.rejectionReason as keyof typeof t.rejectionReasons] ?? ''}`;
      case 'onTrack':
        return t.steps[progress.step].headline;
    }
  })();
  const isCancellable = application.cancellationRefusal === undefined && application.finalAt.getTime() > now.getTime();
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepView}`}>
      <PageHeading flow={t.flow} step={t.stepView} />
      <p class="lead" role="status">
        {headline}
      </p>
      <dl class="readback">
        <Item label={t.acceptanceNumber} value={application.acceptanceNumber} valueClass="mono strong" />
        <Item label={t.kind} value={application.kind === 'renewal' ? t.kindRenewal : t.kindNew} />
        <Item label={t.name} value={application.nameJa} />
        <Item label={t.provisionalAt} value={formatInstant(application.provisionalAt, frame.lang)} />
        <Item label={t.finalAt} value={formatInstant(application.finalAt, frame.lang)} />
        {application.cancelledAt !== undefined && <Item label={t.cancelledAt} value={formatInstant(application.cancelledAt, frame.lang)} />}
      </dl>
      {progress.kind === 'onTrack' && <ProgressSteps lang={frame.lang} progress={progress} />}
      {isCancellable && (
        <p class="important">
          {t.cancellableUntil(formatInstant(application.finalAt, frame.lang))} <a href="/cancel">{t.cancelLink}</a>
        </p>
      )}
      <p>
        <a href="/help/flow">{t.flowHelp}</a>
      </p>
      <EndSession lang={frame.lang} csrf={csrf} />
    </Layout>
  );
};

/** SPEC 1.7: 申請状況の確認, with the same uniform answer and limits as the cancellation lookup. */
export function statusRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);

  const lookupPage = (c: Context<WebEnv>, isNotFound: boolean) =>
    c.html(<OwnLookupPage frame={frameOf(c, deps, '/status')} csrf={c.get('session').csrfToken()} action="/status/search" t={statusText[c.get('lang')]} isNotFound={isNotFound} />);

  app.get('/', (c) => lookupPage(c, false));
  app.get('/not-found', (c) => lookupPage(c, true));

  app.post('/search', ownLookupHandler(deps, { purpose: 'status', limit: 'lookup', start: '/status', found: '/status/view' }));

  app.get('/view', async (c) => {
    const session = c.get('session');
    const draft = draftOf(session);
    const application = draft === undefined ? undefined : await describeOwnApplication(ra, draft.applicationId);
    if (application === undefined) return c.redirect('/status', 303);
    return c.html(<StatusPage frame={frameOf(c, deps)} csrf={session.csrfToken()} application={application} now={deps.clock.now()} />);
  });

  return app;
}
