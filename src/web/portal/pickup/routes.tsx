import { X509Certificate } from '@peculiar/x509';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { toPem } from '../../../ca/pem.js';
import { confirmMailbox, pickedUpCertificate, pickedUpCertificateForCsr, pickUpCertificate, resendMailboxValue, signInForPickup, type PickupIssueRefusal, type PickupStage } from '../../../ra/pickup.js';
import { findReviewedApplication } from '../../../store/review-store.js';
import type { IssuedCertificateRow } from '../../../store/pickup-store.js';
import type { WebDeps, WebEnv } from '../../env.js';
import { frameOf, raDepsOf } from '../../request.js';
import type { SessionHandle } from '../../session.js';
import { EndSession } from '../application-views.js';
import { keysFor, limitedRedirect } from '../limits.js';
import { pickupText, type PickupProblemKey } from './messages.js';
import { DonePage, IssuePage, MailboxPage, SignInPage, StoppedPage, type MailboxNotice } from './views.js';

/** The pickup's session: where it stands, and what the next page must say (PRG). */
type PickupDraft = PickupStage & { notice?: MailboxNotice; problem?: PickupProblemKey };

const draftOf = (session: SessionHandle): PickupDraft | undefined => session.data.pickup as PickupDraft | undefined;

const pathOfStage: Record<PickupStage['stage'], string> = { mailbox: '/pickup/mailbox', ready: '/pickup/issue', pickedUp: '/pickup/done' };

/** What the subscriber reads for a refusal of the issuance. */
function problemOf(code: PickupIssueRefusal): PickupProblemKey {
  switch (code) {
    case 'csr.malformed':
      return 'csrMalformed';
    case 'csr.containsPrivateKey':
      return 'csrContainsPrivateKey';
    case 'csr.keyNotAllowed':
      return 'csrKeyNotAllowed';
    case 'csr.signatureInvalid':
      return 'csrSignatureInvalid';
    case 'pickup.busy':
      return 'busy';
    case 'pickup.renewalNotAllowed':
      return 'renewalNotAllowed';
    case 'pickup.refusedByCa':
      return 'refusedByCa';
    case 'pickup.keyRefused':
      return 'keyRefused';
    case 'pickup.used':
    case 'pickup.expired':
    case 'pickup.locked':
    case 'pickup.notFound':
    case 'pickup.mailboxNotVerified':
      return 'sessionEnded';
  }
}

/** "ta***@example.jp": enough to recognise one's own address, not to learn someone else's. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

const base64 = (bytes: Uint8Array | ArrayBuffer) => Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('base64');
const fileNameOf = (certificate: IssuedCertificateRow) => `certificate-${certificate.serialNumber.slice(0, 16).toUpperCase()}`;

/** SPEC 1.4 and issue #8: 証明書の取得, each step Post/Redirect/Get. */
export function pickupRoutes(deps: WebDeps, extras: { maintenanceNotice: (c: Context<WebEnv>) => Promise<Child> }): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const ra = raDepsOf(deps);
  const frame = (c: Context<WebEnv>) => frameOf(c, deps);
  const text = (c: Context<WebEnv>) => pickupText[c.get('lang')];

  /** The draft at this step, or the redirect to where the pickup stands. */
  const atStage = <S extends PickupStage['stage']>(c: Context<WebEnv>, stage: S): Extract<PickupDraft, { stage: S }> | Response => {
    const draft = draftOf(c.get('session'));
    if (draft === undefined) return c.redirect('/pickup', 303);
    if (draft.stage !== stage) return c.redirect(pathOfStage[draft.stage], 303);
    return draft as Extract<PickupDraft, { stage: S }>;
  };
  /** Shows a notice once: Reload after it shows the plain page. */
  const takeOnce = <K extends 'notice' | 'problem'>(c: Context<WebEnv>, key: K): PickupDraft[K] | undefined => {
    const session = c.get('session');
    const draft = draftOf(session);
    const value = draft?.[key];
    if (draft !== undefined && value !== undefined) session.update((s) => void (s.pickup = { ...draft, [key]: undefined }));
    return value;
  };
  const setDraft = (c: Context<WebEnv>, draft: PickupDraft) => c.get('session').update((s) => void (s.pickup = draft));

  app.get('/', async (c) => c.html(<SignInPage frame={frame(c)} csrf={c.get('session').csrfToken()} isNotFound={false} notice={await extras.maintenanceNotice(c)} />));
  app.get('/not-found', (c) => c.html(<SignInPage frame={frame(c)} csrf={c.get('session').csrfToken()} isNotFound={true} />));
  app.get('/expired', (c) => c.html(<StoppedPage frame={frame(c)} title={text(c).expiredTitle} body={text(c).expiredBody} />));
  app.get('/locked', (c) => c.html(<StoppedPage frame={frame(c)} title={text(c).lockedTitle} body={text(c).lockedBody} />));

  app.post('/sign-in', async (c) => {
    const form = c.get('form');
    const result = await signInForPickup(ra, { certificateCode: form['certificateCode'] ?? '', password: form['password'] ?? '', ...keysFor(c, deps) });
    if (!result.ok) {
      switch (result.code) {
        case 'pickup.rateLimited':
          return limitedRedirect(c, 'lookup', '/pickup', result.retryAfterSeconds);
        case 'pickup.notFound':
          return c.redirect('/pickup/not-found', 303);
        case 'pickup.expired':
          return c.redirect('/pickup/expired', 303);
        case 'pickup.locked':
          return c.redirect('/pickup/locked', 303);
      }
    }
    const session = c.get('session');
    session.rotate();
    const stage = result.value;
    setDraft(c, stage.stage === 'mailbox' ? { ...stage, notice: stage.isSendLimitReached ? 'sendLimit' : stage.isValueSent ? 'sent' : 'alreadySent' } : stage);
    return c.redirect(pathOfStage[stage.stage], 303);
  });

  app.get('/mailbox', async (c) => {
    const draft = atStage(c, 'mailbox');
    if (draft instanceof Response) return draft;
    const application = await findReviewedApplication(deps.db, draft.applicationId);
    if (application === undefined) return c.redirect('/pickup', 303);
    const notice = takeOnce(c, 'notice') ?? 'alreadySent';
    return c.html(<MailboxPage frame={frame(c)} csrf={c.get('session').csrfToken()} maskedEmail={maskEmail(application.email)} notice={notice} />);
  });

  app.post('/mailbox', async (c) => {
    const draft = atStage(c, 'mailbox');
    if (draft instanceof Response) return draft;
    const result = await confirmMailbox(ra, { applicationId: draft.applicationId, value: c.get('form')['mailboxValue'] ?? '' });
    if (!result.ok) {
      const notice = ({ 'mailbox.wrong': 'wrong', 'mailbox.expired': 'expired', 'mailbox.tooManyFailures': 'tooManyFailures', 'mailbox.noValue': 'noValue' } as const)[result.code];
      setDraft(c, { ...draft, notice });
      return c.redirect('/pickup/mailbox', 303);
    }
    c.get('session').rotate();
    setDraft(c, { stage: 'ready', applicationId: draft.applicationId, credentialId: draft.credentialId });
    return c.redirect('/pickup/issue', 303);
  });

  app.post('/mailbox/resend', async (c) => {
    const draft = atStage(c, 'mailbox');
    if (draft instanceof Response) return draft;
    const result = await resendMailboxValue(ra, draft.applicationId);
    setDraft(c, { ...draft, notice: result.ok ? 'resent' : result.code === 'mailbox.sentMomentsAgo' ? 'sentMomentsAgo' : 'sendLimit' });
    return c.redirect('/pickup/mailbox', 303);
  });

  app.get('/issue', async (c) => {
    const draft = atStage(c, 'ready');
    if (draft instanceof Response) return draft;
    const application = await findReviewedApplication(deps.db, draft.applicationId);
    if (application === undefined) return c.redirect('/pickup', 303);
    const reg = application.registration;
    const friendlyName = `${[reg['lastNameJa'], reg['firstNameJa']].filter(Boolean).join(' ')} (${deps.site.brandName})`;
    return c.html(<IssuePage frame={frame(c)} csrf={c.get('session').csrfToken()} friendlyName={friendlyName} problem={takeOnce(c, 'problem')} />);
  });

  /** The page script's answer: the certificate and the chain (issuing CA, root), base64 DER. */
  const issuedJson = (certificate: IssuedCertificateRow) => ({
    certificate: base64(certificate.der),
    chain: [base64(deps.ca.material.issuing.rawData), base64(deps.ca.material.root.rawData)],
    serialNumber: certificate.serialNumber,
    fileName: fileNameOf(certificate),
  });

  /**
   * The CSR, from the page script (Accept: application/json, answered in JSON) or from the
   * upload form (answered with a redirect). Either way the certificate is issued once.
   */
  app.post('/issue', async (c) => {
    const wantsJson = (c.req.header('accept') ?? '').includes('application/json');
    const session = c.get('session');
    const draft = draftOf(session);
    const refuse = (key: PickupProblemKey, status: 400 | 409 | 422) => {
      if (wantsJson) return c.json({ error: text(c).problems[key], code: key }, status);
      if (draft?.stage === 'ready') setDraft(c, { ...draft, problem: key });
      return c.redirect(draft === undefined ? '/pickup' : pathOfStage[draft.stage], 303);
    };
    const form = c.get('form');
    const pasted = form['csr'] ?? '';
    const csr: string | Uint8Array = pasted.trim() !== '' ? pasted : (c.get('formFiles')['csrFile'] ?? '');
    if (draft?.stage === 'pickedUp') {
      // The page script may be asking again for an answer it lost: the same key gets it.
      const again = wantsJson && csr.length > 0 ? await pickedUpCertificateForCsr(ra, { applicationId: draft.applicationId, csr }) : undefined;
      if (again?.ok === true) return c.json(issuedJson(again.value.certificate));
      return wantsJson ? c.json({ error: text(c).doneIntro, code: 'pickedUp' }, 409) : c.redirect('/pickup/done', 303);
    }
    if (draft === undefined || draft.stage !== 'ready') return refuse('sessionEnded', 409);
    if (csr.length === 0 || (typeof csr === 'string' && csr.trim() === '')) return refuse('csrMissing', 400);
    const { applicationId, credentialId } = draft;
    const result = await pickUpCertificate({ ...ra, ca: deps.ca }, { applicationId, credentialId, csr });
    if (!result.ok) {
      if (result.code === 'pickup.used') {
        const issued = await pickedUpCertificate(deps, draft.applicationId);
        if (issued !== undefined) {
          setDraft(c, { stage: 'pickedUp', applicationId: draft.applicationId, certificateId: issued.id });
          return wantsJson ? c.json({ error: text(c).doneIntro, code: 'pickedUp' }, 409) : c.redirect('/pickup/done', 303);
        }
      }
      const problem = problemOf(result.code);
      if (problem === 'sessionEnded') session.update((s) => void delete s.pickup);
      return refuse(problem, problem.startsWith('csr') || problem === 'keyRefused' ? 422 : 409);
    }
    const { certificate } = result.value;
    setDraft(c, { stage: 'pickedUp', applicationId: draft.applicationId, certificateId: certificate.id });
    if (!wantsJson) return c.redirect('/pickup/done', 303);
    return c.json(issuedJson(certificate));
  });

  /** The certificate this session picked up (or signed in for after pickup): certificate only. */
  const pickedUp = async (c: Context<WebEnv>): Promise<IssuedCertificateRow | Response> => {
    const draft = atStage(c, 'pickedUp');
    if (draft instanceof Response) return draft;
    return (await pickedUpCertificate(deps, draft.applicationId)) ?? c.redirect('/pickup', 303);
  };
  const attachment = (c: Context<WebEnv>, body: string | Uint8Array, type: string, name: string) => {
    c.header('Content-Type', type);
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(typeof body === 'string' ? body : new Uint8Array(body));
  };

  app.get('/done', async (c) => {
    const certificate = await pickedUp(c);
    if (certificate instanceof Response) return certificate;
    const subject = new X509Certificate(new Uint8Array(certificate.der)).subjectName;
    const names = { commonName: subject.getField('CN').join(', '), organization: subject.getField('O').join(', ') };
    const csrf = c.get('session').csrfToken();
    return c.html(<DonePage frame={frame(c)} certificate={certificate} names={names} endSession={<EndSession lang={c.get('lang')} csrf={csrf} />} />);
  });
  app.get('/certificate.pem', async (c) => {
    const certificate = await pickedUp(c);
    if (certificate instanceof Response) return certificate;
    return attachment(c, toPem(certificate.der, 'CERTIFICATE'), 'application/x-pem-file', `${fileNameOf(certificate)}.pem`);
  });
  app.get('/certificate.cer', async (c) => {
    const certificate = await pickedUp(c);
    if (certificate instanceof Response) return certificate;
    return attachment(c, certificate.der, 'application/pkix-cert', `${fileNameOf(certificate)}.cer`);
  });
  app.get('/chain.pem', async (c) => {
    const certificate = await pickedUp(c);
    if (certificate instanceof Response) return certificate;
    const chain = [deps.ca.material.issuing, deps.ca.material.root].map((ca) => toPem(new Uint8Array(ca.rawData), 'CERTIFICATE')).join('');
    return attachment(c, chain, 'application/x-pem-file', 'ca-chain.pem');
  });

  return app;
}
