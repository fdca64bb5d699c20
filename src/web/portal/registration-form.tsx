import type { Child, FC } from 'hono/jsx';
import { prefectures } from '../../domain/input/prefectures.js';
import type { FieldName } from '../../domain/input/registration.js';
import type { Lang } from '../env.js';
import { formText } from './form-text.js';
import { errorMessage, fieldHints, fieldLabels } from './input-messages.js';

export type FieldErrors = Partial<Record<string, string>>;

export interface FormState {
  lang: Lang;
  values: Record<string, string>;
  /** Field → error code. */
  errors: FieldErrors;
  /** Renewal: organisation and person names are shown, not edited (SPEC 1.1 step 4). */
  lockedNames: boolean;
}

interface InputSpec {
  name: FieldName;
  autocomplete: string;
  type?: 'text' | 'email' | 'tel';
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  size?: 'xs' | 's' | 'm' | 'l';
  maxlength?: number;
  required?: boolean;
}

const errorId = (name: string) => `${name}-error`;
const hintId = (name: string) => `${name}-hint`;

function describedBy(state: FormState, names: readonly string[]): string | undefined {
  const ids: string[] = [];
  for (const name of names) {
    if (state.errors[name] !== undefined) ids.push(errorId(name));
    if (fieldHints[name as FieldName] !== undefined) ids.push(hintId(name));
  }
  return ids.length > 0 ? ids.join(' ') : undefined;
}

const TextInput: FC<{ state: FormState; spec: InputSpec; label?: string; describedBy?: string | undefined }> = ({
  state,
  spec,
  label,
  describedBy: described,
}) => (
  <input
    id={spec.name}
    name={spec.name}
    type={spec.type ?? 'text'}
    value={state.values[spec.name] ?? ''}
    autocomplete={spec.autocomplete}
    inputmode={spec.inputmode}
    maxlength={spec.maxlength}
    class={`in-${spec.size ?? 'm'}`}
    aria-label={label}
    aria-invalid={state.errors[spec.name] !== undefined ? 'true' : undefined}
    aria-describedby={described ?? describedBy(state, [spec.name])}
    required={spec.required}
  />
);

const ErrorText: FC<{ state: FormState; names: readonly FieldName[] }> = ({ state, names }) => (
  <>
    {names.map((name) => {
      const code = state.errors[name];
      return code === undefined ? null : (
        <p class="field-error" id={errorId(name)}>
          {errorMessage(code as never, name, state.lang)}
        </p>
      );
    })}
  </>
);

const Hint: FC<{ state: FormState; name: FieldName }> = ({ state, name }) => {
  const hint = fieldHints[name];
  return hint === undefined ? null : (
    <span class="hint" id={hintId(name)}>
      {hint[state.lang]}
    </span>
  );
};

const Required: FC<{ lang: Lang }> = ({ lang }) => (
  <span class="req">
    <span aria-hidden="true">*</span>
    <span class="visually-hidden">{formText[lang].required}</span>
  </span>
);

/** One labelled row with a single input. */
const Row: FC<{ state: FormState; spec: InputSpec; required: boolean; extra?: Child }> = ({ state, spec, required, extra }) => (
  <div class={`row${state.errors[spec.name] !== undefined ? ' has-error' : ''}`}>
    <label class="label" for={spec.name}>
      {fieldLabels[spec.name][state.lang]}
      {required && <Required lang={state.lang} />}
    </label>
    <div class="control">
      <ErrorText state={state} names={[spec.name]} />
      <TextInput state={state} spec={{ ...spec, required }} />
      <Hint state={state} name={spec.name} />
      {extra}
    </div>
  </div>
);

/** A family-name / given-name pair under one group label (fieldset + legend). */
const PairRow: FC<{
  state: FormState;
  legend: string;
  first: InputSpec;
  second: InputSpec;
  firstLabel: string;
  secondLabel: string;
  required: boolean;
}> = ({ state, legend, first, second, firstLabel, secondLabel, required }) => {
  const hasError = state.errors[first.name] !== undefined || state.errors[second.name] !== undefined;
  return (
    <fieldset class={`row pair${hasError ? ' has-error' : ''}`}>
      <legend class="label">
        {legend}
        {required && <Required lang={state.lang} />}
      </legend>
      <div class="control">
        <ErrorText state={state} names={[first.name, second.name]} />
        <span class="pair-part">
          <label for={first.name}>{firstLabel}</label>{' '}
          <TextInput state={state} spec={{ ...first, required }} describedBy={describedBy(state, [first.name, second.name])} />
        </span>
        <span class="pair-part">
          <label for={second.name}>{secondLabel}</label>{' '}
          <TextInput state={state} spec={{ ...second, required }} describedBy={describedBy(state, [first.name, second.name])} />
        </span>
        <Hint state={state} name={first.name} />
      </div>
    </fieldset>
  );
};

/** A value shown but not editable (renewal: names). */
const ReadOnlyRow: FC<{ label: string; value: string }> = ({ label, value }) => (
  <div class="row readonly">
    <span class="label">{label}</span>
    <div class="control">
      <span class="value">{value}</span>
    </div>
  </div>
);

const joinName = (values: Record<string, string>, a: string, b: string, sep = ' ') =>
  [values[a], values[b]].filter((v) => v !== undefined && v !== '').join(sep);

const digits = { type: 'text', inputmode: 'numeric' } as const;

/** The application form of the seed (SPEC 3), for a new application and for a renewal. */
export const RegistrationFields: FC<{ state: FormState }> = ({ state }) => {
  const { lang, values, lockedNames } = state;
  const ft = formText[lang];
  const proxyMode = values['proxyMode'] === 'none' ? 'none' : 'entered';
  return (
    <>
      <section class="form-section" aria-labelledby="sec-org">
        <h2 id="sec-org">{ft.organisationSection}</h2>
        <p class="section-intro">{ft.organisationIntro}</p>
        <Row state={state} spec={{ name: 'tdbCode', autocomplete: 'off', ...digits, size: 's', maxlength: 9 }} required={false} />
        {lockedNames ? (
          <>
            <ReadOnlyRow label={fieldLabels.orgNameJa[lang]} value={values['orgNameJa'] ?? ''} />
            <ReadOnlyRow label={fieldLabels.orgNameKana[lang]} value={values['orgNameKana'] ?? ''} />
            <ReadOnlyRow label={fieldLabels.orgNameEn[lang]} value={values['orgNameEn'] ?? ''} />
          </>
        ) : (
          <>
            <Row state={state} spec={{ name: 'orgNameJa', autocomplete: 'organization', size: 'l' }} required />
            <Row state={state} spec={{ name: 'orgNameKana', autocomplete: 'off', size: 'l' }} required />
            <Row state={state} spec={{ name: 'orgNameEn', autocomplete: 'off', size: 'l' }} required />
          </>
        )}
        <Row state={state} spec={{ name: 'hqAddress', autocomplete: 'off', size: 'l' }} required />
        <Row state={state} spec={{ name: 'hqPhone', autocomplete: 'off', ...digits, size: 's', maxlength: 13 }} required />
        <PairRow
          state={state}
          legend={ft.representativeName}
          first={{ name: 'representativeLastName', autocomplete: 'off', size: 's' }}
          second={{ name: 'representativeFirstName', autocomplete: 'off', size: 's' }}
          firstLabel={ft.lastName}
          secondLabel={ft.firstName}
          required
        />
      </section>

      <section class="form-section" aria-labelledby="sec-person">
        <h2 id="sec-person">{ft.personSection}</h2>
        <p class="section-intro">{ft.personIntro}</p>
        {lockedNames ? (
          <>
            <ReadOnlyRow label={ft.nameJa} value={joinName(values, 'lastNameJa', 'firstNameJa')} />
            <ReadOnlyRow label={ft.nameKana} value={joinName(values, 'lastNameKana', 'firstNameKana')} />
            <ReadOnlyRow label={ft.nameEn} value={joinName(values, 'firstNameEn', 'lastNameEn')} />
          </>
        ) : (
          <>
            <PairRow state={state} legend={ft.nameJa} first={{ name: 'lastNameJa', autocomplete: 'family-name', size: 's' }} second={{ name: 'firstNameJa', autocomplete: 'given-name', size: 's' }} firstLabel={ft.lastName} secondLabel={ft.firstName} required />
            <PairRow state={state} legend={ft.nameKana} first={{ name: 'lastNameKana', autocomplete: 'off', size: 's' }} second={{ name: 'firstNameKana', autocomplete: 'off', size: 's' }} firstLabel={ft.lastName} secondLabel={ft.firstName} required />
            <PairRow state={state} legend={ft.nameEn} first={{ name: 'lastNameEn', autocomplete: 'off', size: 's' }} second={{ name: 'firstNameEn', autocomplete: 'off', size: 's' }} firstLabel={ft.lastNameEn} secondLabel={ft.firstNameEn} required />
          </>
        )}
        <Row state={state} spec={{ name: 'email', autocomplete: 'email', type: 'email', inputmode: 'email', size: 'l', maxlength: 254 }} required />
        <Row state={state} spec={{ name: 'titleJa', autocomplete: 'organization-title', size: 'm' }} required={false} />
        <Row state={state} spec={{ name: 'departmentJa', autocomplete: 'off', size: 'm' }} required />
        <Row
          state={state}
          spec={{ name: 'titleRomaji', autocomplete: 'off', size: 'l' }}
          required={false}
          extra={
            <a class="hint-link" href="/help/romaji-characters">
              {ft.romajiCharsLink}
            </a>
          }
        />
        <Row
          state={state}
          spec={{ name: 'postalCode', autocomplete: 'postal-code', ...digits, size: 's', maxlength: 8 }}
          required
          extra={<p class="hint" id="postalCode-suggestion" aria-live="polite"></p>}
        />
        <PrefectureRow state={state} />
        <Row state={state} spec={{ name: 'city', autocomplete: 'address-level2', size: 'm' }} required />
        <Row state={state} spec={{ name: 'street', autocomplete: 'address-line1', size: 'l' }} required />
        <Row state={state} spec={{ name: 'building', autocomplete: 'address-line2', size: 'l' }} required={false} />
        <Row state={state} spec={{ name: 'phone', autocomplete: 'tel-national', type: 'tel', inputmode: 'tel', size: 's', maxlength: 13 }} required />
      </section>

      <section class="form-section" aria-labelledby="sec-coupon">
        <h2 id="sec-coupon">{ft.couponSection}</h2>
        <fieldset class={`row pair${state.errors['couponPart1'] !== undefined || state.errors['couponPart2'] !== undefined ? ' has-error' : ''}`}>
          <legend class="label">
            {ft.coupon}
            <Required lang={lang} />
          </legend>
          <div class="control">
            <ErrorText state={state} names={['couponPart1', 'couponPart2']} />
            <TextInput state={state} spec={{ name: 'couponPart1', autocomplete: 'off', ...digits, size: 'xs', maxlength: 8, required: true }} label={ft.couponFirst} describedBy={describedBy(state, ['couponPart1', 'couponPart2'])} />
            <span aria-hidden="true"> - </span>
            <TextInput state={state} spec={{ name: 'couponPart2', autocomplete: 'off', ...digits, size: 'xs', maxlength: 8, required: true }} label={ft.couponSecond} describedBy={describedBy(state, ['couponPart1', 'couponPart2'])} />
            <span class="hint">{ft.couponHint}</span>
          </div>
        </fieldset>
      </section>

      <section class="form-section" aria-labelledby="sec-proxy">
        <h2 id="sec-proxy">{ft.proxySection}</h2>
        <p class="section-intro">{ft.proxyIntro}</p>
        <fieldset class={`row radios${state.errors['proxyMode'] !== undefined ? ' has-error' : ''}`}>
          <legend class="label">
            {ft.proxySection}
            <Required lang={lang} />
          </legend>
          <div class="control">
            <ErrorText state={state} names={['proxyMode']} />
            <label class="radio">
              <input type="radio" name="proxyMode" value="entered" checked={proxyMode === 'entered'} /> {ft.proxyEntered}
            </label>
            <p class="note">{ft.proxyEnteredNote}</p>
            <label class="radio">
              <input type="radio" name="proxyMode" value="none" checked={proxyMode === 'none'} /> {ft.proxyNone}
            </label>
          </div>
        </fieldset>
        <PairRow state={state} legend={ft.proxyNameJa} first={{ name: 'proxyLastNameJa', autocomplete: 'off', size: 's' }} second={{ name: 'proxyFirstNameJa', autocomplete: 'off', size: 's' }} firstLabel={ft.lastName} secondLabel={ft.firstName} required={false} />
        <PairRow state={state} legend={ft.proxyNameKana} first={{ name: 'proxyLastNameKana', autocomplete: 'off', size: 's' }} second={{ name: 'proxyFirstNameKana', autocomplete: 'off', size: 's' }} firstLabel={ft.lastName} secondLabel={ft.firstName} required={false} />
        <Row state={state} spec={{ name: 'proxyDepartment', autocomplete: 'off', size: 'm' }} required={false} />
        <Row state={state} spec={{ name: 'proxyPhone', autocomplete: 'off', type: 'tel', inputmode: 'tel', size: 's', maxlength: 13 }} required={false} />
      </section>
    </>
  );
};

const PrefectureRow: FC<{ state: FormState }> = ({ state }) => {
  const { lang, values, errors } = state;
  const selected = values['prefecture'] ?? '';
  return (
    <div class={`row${errors['prefecture'] !== undefined ? ' has-error' : ''}`}>
      <label class="label" for="prefecture">
        {fieldLabels.prefecture[lang]}
        <Required lang={lang} />
      </label>
      <div class="control">
        <ErrorText state={state} names={['prefecture']} />
        <select
          id="prefecture"
          name="prefecture"
          autocomplete="address-level1"
          required
          aria-invalid={errors['prefecture'] !== undefined ? 'true' : undefined}
          aria-describedby={describedBy(state, ['prefecture'])}
        >
          <option value="">{formText[lang].choosePrefecture}</option>
          {prefectures.map((p) => (
            <option value={p.nameJa} selected={p.nameJa === selected}>
              {lang === 'ja' ? p.nameJa : `${p.nameEn} (${p.nameJa})`}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
};

/** The error summary at the top of a form: each entry links to its field (WCAG 3.3.1). */
export const ErrorSummary: FC<{ state: FormState; title: string }> = ({ state, title }) => {
  const entries = Object.entries(state.errors).filter(([, code]) => code !== undefined);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {entries.map(([name, code]) => (
          <li>
            <a href={`#${name}`}>{errorMessage(code as never, name as FieldName, state.lang)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
};
