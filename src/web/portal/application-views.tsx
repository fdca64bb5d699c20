import type { Child, FC } from 'hono/jsx';
import { formatInstant } from '../format.js';
import { Layout, PageHeading, type PageFrame } from '../layout.js';
import { commonText } from '../messages.js';
import { ConfirmationTable, Item } from './confirmation-table.js';
import { Csrf } from './lookup-fields.js';
import { ErrorSummary, RegistrationFields, type FormState } from './registration-form.js';

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
  privacy: string;
  acceptedLead: string;
  acceptanceNumber: string;
  acceptedAt: string;
  finalAt: string;
  pleaseRead: string;
  acceptedNotes: readonly string[];
  cancelMenuNote: string;
  howToCancel: string;
}

/** Where a flow's pages post to, and where 戻る on its form leads. */
export interface FlowPaths {
  base: '/renew' | '/new';
  backFromForm: string;
  /** New applications choose a password; renewals may keep theirs. */
  isPasswordRequired: boolean;
}

const PasswordRow: FC<{ name: string; label: string; hint?: string; isRequired: boolean; error: { field: string; message: string } | undefined }> = ({
  name,
  label,
  hint,
  isRequired,
  error,
}) => {
  const message = error?.field === name ? error.message : undefined;
  const described = [message !== undefined ? `${name}-error` : '', hint !== undefined ? `${name}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class={`row${message !== undefined ? ' has-error' : ''}`}>
      <label class="label" for={name}>
        {label}
        {isRequired && (
          <span class="req">
            <span aria-hidden="true">*</span>
          </span>
        )}
      </label>
      <div class="control">
        {message !== undefined && (
          <p class="field-error" id={`${name}-error`}>
            {message}
          </p>
        )}
        <input
          id={name}
          name={name}
          type="password"
          autocomplete="new-password"
          class="in-m"
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


export const ApplicationFormPage: FC<{
  frame: PageFrame;
  t: FlowText;
  paths: FlowPaths;
  csrf: string;
  state: FormState;
  hasNewPassword: boolean;
  passwordError: { field: string; message: string } | undefined;
}> = ({ frame, t, paths, csrf, state, hasNewPassword, passwordError }) => {
  const c = commonText[frame.lang];
  return (
    <Layout frame={frame} title={`${t.flow} - ${t.stepForm}`} scripts={['/static/postal-code.js']}>
      <PageHeading flow={t.flow} step={t.stepForm} />
      <ErrorSummary state={state} title={t.errorSummary} />
      <p>{t.formIntro}</p>
      <p>{c.requiredNote}</p>
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
          <p class="section-intro">{t.passwordKeepNote}</p>
          {hasNewPassword && <p class="note">{t.passwordEnteredBefore}</p>}
          <PasswordRow name="applicationPassword" label={t.newPassword} hint={t.passwordRules} isRequired={paths.isPasswordRequired && !hasNewPassword} error={passwordError} />
          <PasswordRow name="applicationPasswordConfirm" label={t.newPasswordConfirm} isRequired={paths.isPasswordRequired && !hasNewPassword} error={passwordError} />
        </section>
        <p class="privacy">{t.privacy}</p>
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
      <p class="privacy">{t.privacy}</p>
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

export const ApplicationAcceptedPage: FC<{
  frame: PageFrame;
  t: FlowText;
  acceptanceNumber: string;
  provisionalAt: Date;
  finalAt: Date;
}> = ({ frame, t, acceptanceNumber, provisionalAt, finalAt }) => {
  return (
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
      </section>
    </Layout>
  );
};
