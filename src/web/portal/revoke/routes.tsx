import { Hono, type Context } from 'hono';
import type { FC } from 'hono/jsx';
import { describeOwnCertificate, findOwnCertificate, isOwnRevocationReason, ownRevocationReasons, revokeOwnCertificate, type OwnRevocationReason } from '../../../ra/revoke-own-certificate.js';
import type { CertificateDetail } from '../../../store/certificate-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { formatInstant } from '../../format.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { frameOf, raDepsOf } from '../../request.js';
import type { SessionHandle } from '../../session.js';
import { EndSession } from '../application-views.js';
import { Item } from '../confirmation-table.js';
import { keysFor, limitedRedirect } from '../limits.js';
import { CodeAndPasswordLookup, Csrf, ProblemBox } from '../lookup-fields.js';
import { revokeText } from './messages.js';
import { certificateStanding } from '../../../domain/certificate-standing.js';

type Problem = 'reasonMissing' | 'acknowledgeMissing';

/** The revocation's session: the certificate its owner named, and what the next page must say (PRG). */
interface RevokeDraft {
  certificateId: string;
  problem?: Problem;
  /** The reason chosen before a problem, kept for the form. */
  reason?: OwnRevocationReason;
  isRevoked?: true;
}

const draftOf = (session: SessionHandle): RevokeDraft | undefined => session.data.revoke as RevokeDraft | undefined;
const setDraft = (c: Context<WebEnv>, draft: RevokeDraft) =>
  c.get('session').update((s) => {
    s.revoke = draft;
  });

const LookupPage: FC<{ frame: PageFrame; csrf: string; isNotFound: boolean }> = ({ frame, csrf, isNotFound }) => {
  const t = revokeText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepLookup}`}>
      <PageHeading flow={t.flow} step={t.stepLookup} />
      <CodeAndPasswordLookup csrf={csrf} action="/revoke/search" isNotFound={isNotFound} t={{ ...t, intro: t.lookupIntro, notes: t.lookupNotes }} />
    </Layout>
  );
};

const CertificateItems: FC<{ lang: PageFrame['lang']; certificate: CertificateDetail; now: Date }> = ({ lang, certificate, now }) => {
  const t = revokeText[lang];
  const standing = { valid: t.statusValid, expired: t.statusExpired, revoked: t.statusRevoked }[certificateStanding(certificate, now)];
  return (
    <dl class="readback">
      <Item label={t.serialNumber} value={certificate.serialNumber.toUpperCase()} valueClass="mono" />
      <Item label={t.name} value={certificate.nameJa} />
      <Item label={t.email} value={certificate.email} />
      <Item label={t.validity} value={t.validityRange(formatInstant(certificate.notBefore, lang), formatInstant(certificate.notAfter, lang))} />
      <Item label={t.status} value={standing} />
    </dl>
  );
};

const ConfirmPage: FC<{ frame: PageFrame; csrf: string; certificate: CertificateDetail; draft: RevokeDraft; now: Date }> = ({ frame, csrf, certificate, draft, now }) => {
  const t = revokeText[frame.lang];
  const revokedAt = certificate.revokedAt;
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepConfirm}`}>
      <PageHeading flow={t.flow} step={t.stepConfirm} />
      <ProblemBox message={draft.problem === undefined ? undefined : t[draft.problem]} />
      {revokedAt !== null ? (
        <p class="lead" role="status">
          {t.alreadyRevoked(formatInstant(revokedAt, frame.lang))}
        </p>
      ) : (
        <p>{t.confirmIntro}</p>
      )}
      <CertificateItems lang={frame.lang} certificate={certificate} now={now} />
      {revokedAt === null && (
        <form method="post" action="/revoke/confirm" class="form">
          <Csrf token={csrf} />
          <fieldset class="row">
            <legend class="label">{t.reasonLegend}</legend>
            <div class="control">
              {ownRevocationReasons.map((reason) => (
                <label class="radio">
                  <input type="radio" name="reason" value={reason} checked={draft.reason === reason} required /> {t.reasons[reason]}
                </label>
              ))}
              <span class="hint">{t.keyCompromiseNote}</span>
            </div>
          </fieldset>
          <fieldset class="row">
            <legend class="label">{t.acknowledgeLegend}</legend>
            <div class="control">
              <label class="checkbox">
                <input type="checkbox" name="acknowledge" value="yes" required /> {t.acknowledge}
              </label>
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary danger">
              {t.revoke}
            </button>{' '}
            <a href="/">{t.back}</a>
          </div>
        </form>
      )}
      <EndSession lang={frame.lang} csrf={csrf} />
    </Layout>
  );
};

const DonePage: FC<{ frame: PageFrame; csrf: string; certificate: CertificateDetail }> = ({ frame, csrf, certificate }) => {
  const t = revokeText[frame.lang];
  const reason = certificate.revocationReason;
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepDone}`}>
      <PageHeading flow={t.flow} step={t.stepDone} />
      <p class="lead" role="status">
        {t.doneLead}
      </p>
      <dl class="readback">
        <Item label={t.serialNumber} value={certificate.serialNumber.toUpperCase()} valueClass="mono" />
        {certificate.revokedAt !== null && <Item label={t.doneAt} value={formatInstant(certificate.revokedAt, frame.lang)} />}
        {reason !== null && isOwnRevocationReason(reason) && <Item label={t.doneReason} value={t.reasons[reason]} />}
      </dl>
      <p>{t.donePublished}</p>
      <p>
        {t.doneNext} <a href="/new">{t.newApplication}</a>
      </p>
      <EndSession lang={frame.lang} csrf={csrf} />
    </Layout>
  );
};

/** Issue #10: 証明書の失効 by the subscriber, each step Post/Redirect/Get. */
export function revokeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);

  app.get('/', (c) => c.html(<LookupPage frame={frameOf(c, deps, '/revoke')} csrf={c.get('session').csrfToken()} isNotFound={false} />));
  app.get('/not-found', (c) => c.html(<LookupPage frame={frameOf(c, deps, '/revoke')} csrf={c.get('session').csrfToken()} isNotFound={true} />));

  app.post('/search', async (c) => {
    const form = c.get('form');
    const result = await findOwnCertificate(ra, { certificateCode: form['certificateCode'] ?? '', password: form['password'] ?? '', ...keysFor(c, deps) });
    if (!result.ok) {
      if (result.code === 'revoke.rateLimited') return limitedRedirect(c, 'lookup', '/revoke', result.retryAfterSeconds);
      return c.redirect('/revoke/not-found', 303);
    }
    c.get('session').rotate();
    setDraft(c, { certificateId: result.value.certificateId });
    return c.redirect('/revoke/confirm', 303);
  });

  /** The certificate the session names, or the way back to the start. */
  const named = async (c: Context<WebEnv>): Promise<{ draft: RevokeDraft; certificate: CertificateDetail } | Response> => {
    const draft = draftOf(c.get('session'));
    const certificate = draft === undefined ? undefined : await describeOwnCertificate(ra, draft.certificateId);
    if (draft === undefined || certificate === undefined) return c.redirect('/revoke', 303);
    return { draft, certificate };
  };

  app.get('/confirm', async (c) => {
    const found = await named(c);
    if (found instanceof Response) return found;
    if (found.draft.isRevoked === true) return c.redirect('/revoke/done', 303);
    // The problem is said once: a reload shows the plain form.
    if (found.draft.problem !== undefined) setDraft(c, { certificateId: found.draft.certificateId, ...(found.draft.reason !== undefined ? { reason: found.draft.reason } : {}) });
    return c.html(<ConfirmPage frame={frameOf(c, deps)} csrf={c.get('session').csrfToken()} certificate={found.certificate} draft={found.draft} now={deps.clock.now()} />);
  });

  app.post('/confirm', async (c) => {
    const found = await named(c);
    if (found instanceof Response) return found;
    const form = c.get('form');
    const reason = form['reason'] ?? '';
    const chosen = isOwnRevocationReason(reason) ? { reason } : {};
    if (!isOwnRevocationReason(reason)) {
      setDraft(c, { certificateId: found.draft.certificateId, problem: 'reasonMissing' });
      return c.redirect('/revoke/confirm', 303);
    }
    if (form['acknowledge'] !== 'yes') {
      setDraft(c, { certificateId: found.draft.certificateId, problem: 'acknowledgeMissing', ...chosen });
      return c.redirect('/revoke/confirm', 303);
    }
    const result = await revokeOwnCertificate({ ...ra, ca: deps.ca }, { certificateId: found.draft.certificateId, reason });
    if (!result.ok && result.code !== 'revoke.alreadyRevoked') return c.redirect('/revoke', 303);
    // Already revoked (another tab) shows the confirmation page with its date.
    if (result.ok) setDraft(c, { certificateId: found.draft.certificateId, isRevoked: true });
    return c.redirect(result.ok ? '/revoke/done' : '/revoke/confirm', 303);
  });

  app.get('/done', async (c) => {
    const found = await named(c);
    if (found instanceof Response) return found;
    if (found.draft.isRevoked !== true) return c.redirect('/revoke/confirm', 303);
    return c.html(<DonePage frame={frameOf(c, deps)} csrf={c.get('session').csrfToken()} certificate={found.certificate} />);
  });

  return app;
}
