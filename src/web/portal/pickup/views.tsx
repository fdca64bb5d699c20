import type { Child, FC } from 'hono/jsx';
import type { IssuedCertificateRow } from '../../../store/pickup-store.js';
import { formatInstant } from '../../format.js';
import { Layout, PageHeading, type PageFrame } from '../../layout.js';
import { Item } from '../confirmation-table.js';
import { CodeAndPasswordLookup, Csrf, LookupField, ProblemBox } from '../lookup-fields.js';
import { pickupText, type PickupProblemKey } from './messages.js';

type Text = (typeof pickupText)['ja' | 'en'];
const textOf = (frame: PageFrame): Text => pickupText[frame.lang];


/** Step 1: the certificate code and the application password (uniform answer on any mismatch). */
export const SignInPage: FC<{ frame: PageFrame; csrf: string; isNotFound: boolean; problem?: PickupProblemKey | undefined; notice?: Child }> = ({
  frame,
  csrf,
  isNotFound,
  problem,
  notice,
}) => {
  const t = textOf(frame);
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepSignIn}`}>
      <PageHeading flow={t.flow} step={t.stepSignIn} />
      {notice}
      <ProblemBox message={problem === undefined ? undefined : t.problems[problem]} />
      <CodeAndPasswordLookup csrf={csrf} action="/pickup/sign-in" isNotFound={isNotFound} t={{ ...t, intro: t.signInIntro, notes: t.signInNotes }} />
    </Layout>
  );
};

/** The code cannot pick up any more: said plainly, with the way to the support desk. */
export const StoppedPage: FC<{ frame: PageFrame; title: string; body: string }> = ({ frame, title, body }) => {
  const t = textOf(frame);
  return (
    <Layout frame={frame} title={`${t.flow} - ${title}`}>
      <PageHeading flow={t.flow} step={title} />
      <p role="status">{body}</p>
      <p class="actions">
        <a class="button primary" href={frame.site.operator.supportUrl}>
          {t.supportLink}
        </a>
      </p>
    </Layout>
  );
};

export type MailboxNotice = 'sent' | 'alreadySent' | 'resent' | 'sendLimit' | 'sentMomentsAgo' | 'wrong' | 'expired' | 'tooManyFailures' | 'noValue';

/** Step 2 (only when needed): the one-time value from the mailbox (S/MIME BR 3.2.2.1). */
export const MailboxPage: FC<{ frame: PageFrame; csrf: string; maskedEmail: string; notice: MailboxNotice }> = ({ frame, csrf, maskedEmail, notice }) => {
  const t = textOf(frame);
  const problem = { wrong: t.mailboxWrong, expired: t.mailboxExpired, tooManyFailures: t.mailboxTooManyFailures, noValue: t.mailboxNoValue, sendLimit: t.mailboxSendLimit }[
    notice as 'wrong' | 'expired' | 'tooManyFailures' | 'noValue' | 'sendLimit'
  ];
  const info = { sent: t.mailboxSent(maskedEmail), alreadySent: t.mailboxAlreadySent, resent: t.mailboxResent, sentMomentsAgo: t.mailboxSentMomentsAgo }[
    notice as 'sent' | 'alreadySent' | 'resent' | 'sentMomentsAgo'
  ];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepMailbox}`}>
      <PageHeading flow={t.flow} step={t.stepMailbox} />
      <ProblemBox message={problem} />
      <p>{t.mailboxIntro(maskedEmail)}</p>
      {info !== undefined && (
        <p class="notice" role="status">
          {info}
        </p>
      )}
      <p class="note">{t.mailboxWhy}</p>
      <form method="post" action="/pickup/mailbox" class="form narrow">
        <Csrf token={csrf} />
        <LookupField name="mailboxValue" label={t.mailboxValue} type="text" autocomplete="one-time-code" hint={t.mailboxValueHint} size="l" />
        <div class="actions">
          <button type="submit" class="primary">
            {t.confirm}
          </button>
        </div>
      </form>
      <form method="post" action="/pickup/mailbox/resend" class="resend">
        <Csrf token={csrf} />
        <p class="note">{t.resendNote}</p>
        <button type="submit">{t.resend}</button>
      </form>
    </Layout>
  );
};

/**
 * Step 3: the key made in the browser (the page script, which unhides its section), or a
 * CSR of one's own — the form that works without JavaScript.
 */
export const IssuePage: FC<{ frame: PageFrame; csrf: string; friendlyName: string; problem?: PickupProblemKey | undefined; csrText?: string }> = ({
  frame,
  csrf,
  friendlyName,
  problem,
  csrText,
}) => {
  const t = textOf(frame);
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepIssue}`} scripts={['/static/pickup.js']}>
      <PageHeading flow={t.flow} step={t.stepIssue} />
      <ProblemBox message={problem === undefined ? undefined : t.problems[problem]} />
      <section id="pickup-browser" hidden data-endpoint="/pickup/issue" data-csrf={csrf} data-friendly-name={friendlyName} data-messages={JSON.stringify(t.script)} aria-labelledby="pickup-browser-heading">
        <h2 id="pickup-browser-heading">{t.browserHeading}</h2>
        <p>{t.issueIntro}</p>
        <p class="important">{t.issueDoNotLeave}</p>
        <div class="form">
          <fieldset class="row">
            <legend class="label">{t.keyTypeLegend}</legend>
            <div class="control">
              <label class="radio">
                <input type="radio" name="keyType" value="P-256" checked /> {t.keyTypeEc}
              </label>
              <label class="radio">
                <input type="radio" name="keyType" value="RSA-2048" /> {t.keyTypeRsa}
              </label>
            </div>
          </fieldset>
          <fieldset class="row">
            <legend class="label">{t.formatLegend}</legend>
            <div class="control">
              <label class="radio">
                <input type="radio" name="format" value="standard" checked aria-describedby="pickup-format-note" /> {t.formatStandard}
              </label>
              <label class="radio">
                <input type="radio" name="format" value="compatible" aria-describedby="pickup-format-note" /> {t.formatCompatible}
              </label>
              <span class="hint" id="pickup-format-note">
                {t.formatNote}
              </span>
            </div>
          </fieldset>
          <fieldset class="row">
            <legend class="label">{t.passwordLegend}</legend>
            <div class="control">
              <label class="radio">
                <input type="radio" name="passwordMode" value="generated" checked /> {t.passwordGenerated}
              </label>
              <label class="radio">
                <input type="radio" name="passwordMode" value="typed" /> {t.passwordTyped}
              </label>
              <div id="pickup-generated" class="generated-password">
                <span class="label">{t.generatedLabel}</span>{' '}
                <output id="pickup-generated-password" class="mono strong" aria-live="polite"></output>{' '}
                <button type="button" id="pickup-copy">
                  {t.copy}
                </button>{' '}
                <button type="button" id="pickup-regenerate">
                  {t.regenerate}
                </button>
                <span class="hint">{t.generatedNote}</span>
              </div>
              <div id="pickup-typed" hidden>
                <label class="stacked" for="pickup-password">
                  {t.filePassword} <span class="hint">{t.filePasswordHint}</span>
                </label>
                <input id="pickup-password" type="password" autocomplete="new-password" maxlength={128} class="in-m" />
                <label class="stacked" for="pickup-password-confirm">
                  {t.filePasswordConfirm}
                </label>
                <input id="pickup-password-confirm" type="password" autocomplete="new-password" maxlength={128} class="in-m" />
              </div>
            </div>
          </fieldset>
          <div class="actions">
            <button type="button" id="pickup-start" class="primary">
              {t.start}
            </button>
          </div>
          <p id="pickup-status" role="status"></p>
          <p id="pickup-error" class="error-summary" role="alert" hidden></p>
        </div>
        <div id="pickup-result" hidden>
          <h2>{t.resultTitle}</h2>
          <p>{t.resultBody}</p>
          <ul class="downloads">
            <li>
              <a id="pickup-download-standard" download href="#">
                {t.downloadStandard}
              </a>
            </li>
            <li>
              <a id="pickup-download-compatible" download href="#">
                {t.downloadCompatible}
              </a>
            </li>
            <li>
              <a id="pickup-download-pem" download href="#">
                {t.downloadPem}
              </a>
            </li>
          </ul>
          <p>
            {t.resultPassword}: <span id="pickup-result-password" class="mono strong"></span>
          </p>
          <p class="note">{t.formatNote}</p>
        </div>
      </section>
      <details id="pickup-upload-details" open>
        <summary>{t.uploadSummary}</summary>
        <p>{t.uploadIntro}</p>
        <p class="note">{t.allowedKeys}</p>
        <form method="post" action="/pickup/issue" enctype="multipart/form-data" class="form">
          <Csrf token={csrf} />
          <div class="row">
            <label class="label" for="csr">
              {t.csrText}
            </label>
            <div class="control">
              <textarea id="csr" name="csr" rows={8} cols={66} class="mono" spellcheck={false} aria-describedby="csr-hint">
                {csrText ?? ''}
              </textarea>
              <span class="hint" id="csr-hint">
                {t.csrTextHint}
              </span>
            </div>
          </div>
          <div class="row">
            <label class="label" for="csrFile">
              {t.csrFile}
            </label>
            <div class="control">
              <input id="csrFile" name="csrFile" type="file" accept=".csr,.pem,.req,.p10,application/pkcs10" />
            </div>
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {t.upload}
            </button>
          </div>
        </form>
      </details>
    </Layout>
  );
};

/** Step 4, and every later visit with code and password: the certificate alone. */
export const DonePage: FC<{ frame: PageFrame; certificate: IssuedCertificateRow; names: { commonName: string; organization: string }; endSession: Child }> = ({
  frame,
  certificate,
  names,
  endSession,
}) => {
  const t = textOf(frame);
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepDone}`}>
      <PageHeading flow={t.flow} step={t.stepDone} />
      <p class="lead" role="status">
        {t.doneIntro}
      </p>
      <dl class="readback">
        <Item label={t.serialNumber} value={certificate.serialNumber.toUpperCase()} valueClass="mono" />
        <Item label={t.commonName} value={names.commonName} />
        <Item label={t.organization} value={names.organization} />
        <Item label={t.email} value={certificate.email} />
        <Item label={t.validity} value={`${formatInstant(certificate.notBefore, frame.lang)} 〜 ${formatInstant(certificate.notAfter, frame.lang)}`} />
        <Item label={t.status} value={certificate.status === 'valid' ? t.statusValid : t.statusRevoked} />
      </dl>
      <ul class="downloads">
        <li>
          <a href="/pickup/certificate.pem" download>
            {t.downloadCertificatePem}
          </a>
        </li>
        <li>
          <a href="/pickup/certificate.cer" download>
            {t.downloadCertificateDer}
          </a>
        </li>
        <li>
          <a href="/pickup/chain.pem" download>
            {t.downloadChain}
          </a>
        </li>
      </ul>
      <p class="important">{t.doneNoKey}</p>
      {endSession}
    </Layout>
  );
};
