import type { Child, FC } from 'hono/jsx';
import { formatInstant } from '../format.js';
import { Layout, PageHeading, type PageFrame } from '../layout.js';
import { commonText } from '../messages.js';
import { ConfirmationTable, Item } from './confirmation-table.js';
import { Csrf } from './lookup-fields.js';
import { ErrorSummary, ErrorText, RegistrationFields, Required, messageOf, type FormState } from './registration-form.js';

/** The text a flow (renewal or new application) gives the shared form, confirmation and acceptance pages. */
export interface FlowText {
  flow: string;
  stepForm: string;
  stepConfirm: string;
  stepAccepted: string;
  errorSummary: string;
  formIntro: string;
  formPrefilled?: string;
  couponImportant: string;
  namesLocked?: string;
  newApplicationLink?: string;
  passwordSection: string;
  passwordKeepNote: string;
  passwordEnteredBefore: string;
  newPassword: string;
  newPasswordConfirm: string;
  passwordRules: string;
  confirmQuestion: string;
  confirmIntro: string;
  passwordExplain: string;
  password: string;
  passwordChanged: string;
  passwordKept: string;
  acceptedLead: string;
  acceptanceNumber: string;
  acceptedAt: string;
  finalAt: string;
  keepAcceptanceNumber: string;
  pleaseRead: string;
  acceptedNotes: readonly string[];
  cancelMenuNote: string;
  howToCancel: string;
  statusLink: string;
  flowLink: string;
  alreadySubmittedTitle: string;
  alreadySubmitted: string;
}

/** Where a flow's pages live. */
export interface FlowPaths {
  base: '/renew' | '/new';
  /** GET: the form. */
  form: string;
  /** Where 戻る on the form leads. */
  backFromForm: string;
  /** New applications choose a password; renewals may keep theirs. */
  isPasswordRequired: boolean;
}

const PasswordRow: FC<{ state: FormState; name: string; label: string; hint?: string; isRequired: boolean }> = ({ state, name, label, hint, isRequired }) => {
  const message = messageOf(state, name);
  const described = [message !== undefined ? `${name}-error` : '', hint !== undefined ? `${name}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class={`row${message !== undefined ? ' has-error' : ''}`}>
      <label class="label" for={name}>
        {label}
        {isRequired && <Required lang={state.lang} />}
      </label>
      <div class="control">
        <ErrorText state={state} names={[name]} />
        <input
          id={name}
          name={name}
          type="password"
          autocomplete="new-password"
          class="in-m"
          maxlength={128}
          required={isRequired}
          aria-invalid={message !== undefined ? 'true' : undefined}
          aria-describedby={described === '' ? undefined : described}
        />
        {hint !== undefined && (
          <span class="hint" id={`${name}-hint`}>
            {hint}
          </span>
        )}
      </div>
    </div>
  );
};

/** The privacy note names the operator, as the seed does: 「〇〇株式会社(以下、当社)は…」. */
export const PrivacyNote: FC<{ frame: PageFrame }> = ({ frame }) => (
  <p class="privacy">
    {commonText[frame.lang].privacyNote(frame.site.operator.name)} <a href="/help/privacy">{commonText[frame.lang].footerPrivacy}</a>
  </p>
);

export const ApplicationFormPage: FC<{
  frame: PageFrame;
  t: FlowText;
  paths: FlowPaths;
  csrf: string;
  state: FormState;
  hasPasswordInDraft: boolean;
  notice?: Child;
}> = ({ frame, t, paths, csrf, state, hasPasswordInDraft, notice }) => {
  const c = commonText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepForm}`} scripts={['/static/postal-code.js']}>
      <PageHeading flow={t.flow} step={t.stepForm} />
      {notice}
      <ErrorSummary state={state} title={t.errorSummary} />
      <p>{t.formIntro}</p>
      <p>{c.requiredNote}</p>
      <p class="note">{c.idleNote}</p>
      {t.formPrefilled !== undefined && <p>{t.formPrefilled}</p>}
      <p class="important">{t.couponImportant}</p>
      {t.namesLocked !== undefined && (
        <p class="important">
          {t.namesLocked} (<a href="/new">{t.newApplicationLink}</a>)
        </p>
      )}
      <form method="post" action={`${paths.base}/confirm`} class="form" novalidate>
        <Csrf token={csrf} />
        <RegistrationFields state={state} />
        <section class="form-section" aria-labelledby="sec-password">
          <h2 id="sec-password">{t.passwordSection}</h2>
          {/* One instruction only (issue #9): either "already entered" or how to enter it. */}
          <p class="section-intro">{hasPasswordInDraft ? t.passwordEnteredBefore : t.passwordKeepNote}</p>
          <PasswordRow state={state} name="applicationPassword" label={t.newPassword} hint={t.passwordRules} isRequired={paths.isPasswordRequired && !hasPasswordInDraft} />
          <PasswordRow state={state} name="applicationPasswordConfirm" label={t.newPasswordConfirm} isRequired={paths.isPasswordRequired && !hasPasswordInDraft} />
        </section>
        <PrivacyNote frame={frame} />
        <div class="actions">
          <a class="button" href={paths.backFromForm}>
            {c.back}
          </a>
          <button type="submit" class="primary">
            {c.next}
          </button>
        </div>
      </form>
    </Layout>
  );
};

export const ApplicationConfirmPage: FC<{
  frame: PageFrame;
  t: FlowText;
  paths: FlowPaths;
  csrf: string;
  values: Record<string, string>;
  submissionKey: string;
  hasNewPassword: boolean;
  warning?: Child;
}> = ({ frame, t, paths, csrf, values, submissionKey, hasNewPassword, warning }) => {
  const c = commonText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepConfirm}`}>
      <PageHeading flow={t.flow} step={t.stepConfirm} />
      <p class="lead">{t.confirmQuestion}</p>
      <p>{t.confirmIntro}</p>
      {warning}
      <ConfirmationTable lang={frame.lang} values={values} />
      <section class="form-section" aria-labelledby="c-password">
        <h2 id="c-password">{t.passwordSection}</h2>
        <p class="section-intro">{t.passwordExplain}</p>
        <dl class="readback">
          <Item label={t.password} value={hasNewPassword ? t.passwordChanged : t.passwordKept} />
        </dl>
      </section>
      <PrivacyNote frame={frame} />
      <div class="actions">
        <form method="post" action={`${paths.base}/back`}>
          <Csrf token={csrf} />
          <button type="submit">{c.back}</button>
        </form>
        <form method="post" action={`${paths.base}/submit`}>
          <Csrf token={csrf} />
          <input type="hidden" name="submissionKey" value={submissionKey} />
          <button type="submit" class="primary">
            {c.send}
          </button>
        </form>
      </div>
    </Layout>
  );
};

/** 「終了する」: the session and everything typed go (issue #6 defect 7: shared computers). */
export const EndSession: FC<{ lang: PageFrame['lang']; csrf: string }> = ({ lang, csrf }) => (
  <form method="post" action="/session/end" class="end-session">
    <Csrf token={csrf} />
    <p class="note">{commonText[lang].endSessionNote}</p>
    <button type="submit">{commonText[lang].endSession}</button>
  </form>
);

export const ApplicationAcceptedPage: FC<{
  frame: PageFrame;
  t: FlowText;
  csrf: string;
  acceptanceNumber: string;
  provisionalAt: Date;
  finalAt: Date;
}> = ({ frame, t, csrf, acceptanceNumber, provisionalAt, finalAt }) => (
  <Layout frame={frame} title={`${t.flow} - ${t.stepAccepted}`}>
    <PageHeading flow={t.flow} step={t.stepAccepted} />
    <p class="lead" role="status">
      {t.acceptedLead}
    </p>
    <dl class="readback accepted">
      <Item label={t.acceptanceNumber} value={acceptanceNumber} valueClass="mono strong" />
      <Item label={t.acceptedAt} value={formatInstant(provisionalAt, frame.lang)} />
      <Item label={t.finalAt} value={formatInstant(finalAt, frame.lang)} />
    </dl>
    <p class="important">{t.keepAcceptanceNumber}</p>
    <section class="please-read" aria-labelledby="please-read">
      <h2 id="please-read">{t.pleaseRead}</h2>
      <ul>
        {t.acceptedNotes.map((note, i) => (
          <li>
            {note}
            {i === 1 && (
              <>
                <br />→ <a href="/cancel">{t.cancelMenuNote}</a> (<a href="/help/cancel">{t.howToCancel}</a>)
              </>
            )}
          </li>
        ))}
      </ul>
      <p>
        <a href="/status">{t.statusLink}</a> / <a href="/help/flow">{t.flowLink}</a>
      </p>
    </section>
    <EndSession lang={frame.lang} csrf={csrf} />
  </Layout>
);

/** Back after 送信 lands here, not on a browser error (issue #6 defect 5). */
export const AlreadySubmittedPage: FC<{ frame: PageFrame; t: FlowText; paths: FlowPaths; acceptanceNumber: string }> = ({ frame, t, paths, acceptanceNumber }) => (
  <Layout frame={frame} title={`${t.flow} - ${t.alreadySubmittedTitle}`}>
    <PageHeading flow={t.flow} step={t.alreadySubmittedTitle} />
    <div class="notice" role="status">
      <p class="strong">{t.alreadySubmitted}</p>
    </div>
    <dl class="readback">
      <Item label={t.acceptanceNumber} value={acceptanceNumber} valueClass="mono strong" />
    </dl>
    <div class="actions">
      <a class="button primary" href={`${paths.base}/accepted`}>
        {t.stepAccepted}
      </a>
      <a class="button" href="/status">
        {t.statusLink}
      </a>
    </div>
  </Layout>
);
