import type { FC } from 'hono/jsx';

/** The hidden per-form CSRF token (checked by the app's POST middleware). */
export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name="_csrf" value={token} />;

/** One labelled input of a lookup form (renewal, cancellation): what identifies a subscriber. */
export const LookupField: FC<{
  name: string;
  label: string;
  type: 'text' | 'email' | 'password';
  autocomplete: string;
  value?: string;
  hint?: string;
  size?: 'm' | 'l';
}> = ({ name, label, type, autocomplete, value, hint, size }) => (
  <div class="row">
    <label class="label" for={name}>
      {label}
    </label>
    <div class="control">
      <input
        id={name}
        name={name}
        type={type}
        inputmode={type === 'email' ? 'email' : undefined}
        autocomplete={autocomplete}
        autocapitalize={type === 'text' ? 'characters' : undefined}
        spellcheck={type === 'text' ? false : undefined}
        required
        value={type === 'password' ? undefined : value}
        maxlength={type === 'email' ? 254 : type === 'password' ? 128 : 40}
        class={`in-${size ?? 'm'}`}
        aria-describedby={hint !== undefined ? `${name}-hint` : undefined}
      />
      {hint !== undefined && (
        <span class="hint" id={`${name}-hint`}>
          {hint}
        </span>
      )}
    </div>
  </div>
);

/** A problem said at the top of a step, where a screen reader hears it first. */
export const ProblemBox: FC<{ message: string | undefined }> = ({ message }) =>
  message === undefined ? null : (
    <div class="error-summary" role="alert">
      <p class="strong">{message}</p>
    </div>
  );

/**
 * The certificate code + password step (pickup, revocation): the uniform not-found notice,
 * what the step is for, and the form.
 */
export const CodeAndPasswordLookup: FC<{
  csrf: string;
  action: string;
  isNotFound: boolean;
  t: { notFound: string; notFoundCauses: string; intro: string; notes: readonly string[]; certificateCode: string; certificateCodeHint: string; password: string; next: string };
}> = ({ csrf, action, isNotFound, t }) => (
  <>
    {isNotFound && (
      <div class="error-summary" role="alert">
        <p class="strong">{t.notFound}</p>
        <p>{t.notFoundCauses}</p>
      </div>
    )}
    <p>{t.intro}</p>
    <ul class="notes">
      {t.notes.map((note) => (
        <li>{note}</li>
      ))}
    </ul>
    <form method="post" action={action} class="form narrow">
      <Csrf token={csrf} />
      <LookupField name="certificateCode" label={t.certificateCode} type="text" autocomplete="off" hint={t.certificateCodeHint} size="l" />
      <LookupField name="password" label={t.password} type="password" autocomplete="current-password" />
      <div class="actions">
        <button type="submit" class="primary">
          {t.next}
        </button>
      </div>
    </form>
  </>
);
