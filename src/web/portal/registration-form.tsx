import type { Child, FC } from 'hono/jsx';
import { prefectures } from '../../domain/input/prefectures.js';
import {
  registrationFields,
  registrationSections,
  type FieldName,
  type RegistrationPairLabel,
  type RegistrationRow,
  type RegistrationSectionName,
} from '../../domain/input/registration.js';
import type { Lang } from '../env.js';
import { formText } from './form-text.js';
import { errorMessage, fieldHints, fieldInstructions, fieldLabels, type MessageCode, type MessageFieldName } from './input-messages.js';

export type FieldErrors = Partial<Record<string, string>>;

export interface FormState {
  lang: Lang;
  values: Record<string, string>;
  /** Field → error code. */
  errors: FieldErrors;
  /** Renewal: organisation and person names are shown, not edited (SPEC 1.1 step 4). */
  lockedNames: boolean;
}

/** How each field is typed in a browser: what the domain does not need to know. */
interface InputSpec {
  autocomplete: string;
  type?: 'text' | 'email' | 'tel';
  inputmode?: 'numeric' | 'email' | 'tel' | 'text';
  size: 'xs' | 's' | 'm' | 'l';
  /** A browser-side bound a little above the rule, so a pasted value with spaces still fits. */
  maxlength?: number;
}

const digits = { type: 'text', inputmode: 'numeric' } as const;

/** WCAG 1.3.5: the right autocomplete token for each field; `off` where none fits. */
export const inputSpecs: Record<FieldName, InputSpec> = {
  tdbCode: { autocomplete: 'off', ...digits, size: 's', maxlength: 12 },
  orgNameJa: { autocomplete: 'organization', size: 'l' },
  orgNameKana: { autocomplete: 'off', size: 'l' },
  orgNameEn: { autocomplete: 'off', size: 'l' },
  hqAddress: { autocomplete: 'off', size: 'l' },
  hqPhone: { autocomplete: 'off', ...digits, size: 's', maxlength: 16 },
  representativeLastName: { autocomplete: 'off', size: 's' },
  representativeFirstName: { autocomplete: 'off', size: 's' },
  lastNameJa: { autocomplete: 'family-name', size: 's' },
  firstNameJa: { autocomplete: 'given-name', size: 's' },
  lastNameKana: { autocomplete: 'off', size: 's' },
  firstNameKana: { autocomplete: 'off', size: 's' },
  lastNameEn: { autocomplete: 'off', size: 's' },
  firstNameEn: { autocomplete: 'off', size: 's' },
  email: { autocomplete: 'email', type: 'email', inputmode: 'email', size: 'l', maxlength: 254 },
  titleJa: { autocomplete: 'organization-title', size: 'm' },
  departmentJa: { autocomplete: 'off', size: 'm' },
  titleRomaji: { autocomplete: 'off', size: 'l' },
  postalCode: { autocomplete: 'postal-code', ...digits, size: 's', maxlength: 10 },
  prefecture: { autocomplete: 'address-level1', size: 'm' },
  city: { autocomplete: 'address-level2', size: 'm' },
  street: { autocomplete: 'address-line1', size: 'l' },
  building: { autocomplete: 'address-line2', size: 'l' },
  phone: { autocomplete: 'tel-national', type: 'tel', inputmode: 'tel', size: 's', maxlength: 16 },
  couponPart1: { autocomplete: 'off', ...digits, size: 'xs', maxlength: 20 },
  couponPart2: { autocomplete: 'off', ...digits, size: 'xs', maxlength: 10 },
  proxyMode: { autocomplete: 'off', size: 'm' },
  proxyLastNameJa: { autocomplete: 'off', size: 's' },
  proxyFirstNameJa: { autocomplete: 'off', size: 's' },
  proxyLastNameKana: { autocomplete: 'off', size: 's' },
  proxyFirstNameKana: { autocomplete: 'off', size: 's' },
  proxyDepartment: { autocomplete: 'off', size: 'm' },
  proxyPhone: { autocomplete: 'off', type: 'tel', inputmode: 'tel', size: 's', maxlength: 16 },
};

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

/** Whether the form asks for this field now: required fields are marked * (SPEC 3). */
function isRequired(field: FieldName): boolean {
  const { presence } = registrationFields[field];
  return presence === 'required' || presence === 'proxyRequired';
}

export const messageOf = (state: FormState, name: string): string | undefined => {
  const code = state.errors[name];
  return code === undefined ? undefined : errorMessage(code as MessageCode, name as MessageFieldName, state.lang, state.values[name]);
};

const TextInput: FC<{ state: FormState; name: FieldName; label?: string; describedBy?: string | undefined; required: boolean }> = ({ state, name, label, describedBy: described, required }) => {
  const spec = inputSpecs[name];
  return (
    <input
      id={name}
      name={name}
      type={spec.type ?? 'text'}
      value={state.values[name] ?? ''}
      autocomplete={spec.autocomplete}
      inputmode={spec.inputmode}
      maxlength={spec.maxlength ?? registrationFields[name].maxLength + 8}
      class={`in-${spec.size}`}
      aria-label={label}
      aria-invalid={state.errors[name] !== undefined ? 'true' : undefined}
      aria-describedby={described ?? describedBy(state, [name])}
      required={required}
    />
  );
};

export const ErrorText: FC<{ state: FormState; names: readonly string[] }> = ({ state, names }) => (
  <>
    {names.map((name) => {
      const message = messageOf(state, name);
      return message === undefined ? null : (
        <p class="field-error" id={errorId(name)}>
          {message}
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

export const Required: FC<{ lang: Lang }> = ({ lang }) => (
  <span class="req">
    <span aria-hidden="true">*</span>
    <span class="visually-hidden">{formText[lang].required}</span>
  </span>
);

/** The seed's instruction under a label, e.g. 「ハイフン「-」を除き、数字のみご記入ください。」 */
const Instruction: FC<{ lang: Lang; name: FieldName }> = ({ lang, name }) => {
  const text = fieldInstructions[name];
  return text === undefined ? null : <span class="instruction">{text[lang]}</span>;
};

const pairLabelText = (label: RegistrationPairLabel, lang: Lang): string => formText[lang][label];

export const sectionTitle = (section: RegistrationSectionName, lang: Lang): string => formText[lang][`${section}Section`];

/** One labelled row with a single input. */
const FieldRow: FC<{ state: FormState; name: FieldName; extra?: Child }> = ({ state, name, extra }) => {
  const required = isRequired(name);
  return (
    <div class={`row${state.errors[name] !== undefined ? ' has-error' : ''}`}>
      <label class="label" for={name}>
        {fieldLabels[name][state.lang]}
        {required && <Required lang={state.lang} />}
        <Instruction lang={state.lang} name={name} />
      </label>
      <div class="control">
        <ErrorText state={state} names={[name]} />
        <TextInput state={state} name={name} required={required} />
        <Hint state={state} name={name} />
        {extra}
      </div>
    </div>
  );
};

/** A family-name / given-name pair (or the two coupon boxes) under one group label. */
const PairRow: FC<{ state: FormState; label: RegistrationPairLabel; fields: readonly [FieldName, FieldName] }> = ({ state, label, fields }) => {
  const [first, second] = fields;
  const ft = formText[state.lang];
  const hasError = state.errors[first] !== undefined || state.errors[second] !== undefined;
  const required = isRequired(first);
  const described = describedBy(state, fields);
  const isCoupon = label === 'coupon';
  const [firstPart, secondPart] = isCoupon ? [ft.couponFirst, ft.couponSecond] : label === 'nameEn' ? [ft.lastNameEn, ft.firstNameEn] : [ft.lastName, ft.firstName];
  return (
    <fieldset class={`row pair${hasError ? ' has-error' : ''}`}>
      <legend class="label">
        {pairLabelText(label, state.lang)}
        {required && <Required lang={state.lang} />}
      </legend>
      <div class="control">
        <ErrorText state={state} names={fields} />
        {isCoupon ? (
          <>
            <TextInput state={state} name={first} label={firstPart} describedBy={described} required />
            <span aria-hidden="true"> - </span>
            <TextInput state={state} name={second} label={secondPart} describedBy={described} required />
            <span class="hint">{ft.couponHint}</span>
          </>
        ) : (
          <>
            <span class="pair-part">
              <label for={first}>{firstPart}</label> <TextInput state={state} name={first} describedBy={described} required={required} />
            </span>
            <span class="pair-part">
              <label for={second}>{secondPart}</label> <TextInput state={state} name={second} describedBy={described} required={required} />
            </span>
            <Hint state={state} name={first} />
          </>
        )}
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

const ProxyModeRow: FC<{ state: FormState }> = ({ state }) => {
  const ft = formText[state.lang];
  const proxyMode = state.values['proxyMode'] === 'none' ? 'none' : 'entered';
  return (
    <fieldset class={`row radios${state.errors['proxyMode'] !== undefined ? ' has-error' : ''}`}>
      <legend class="label">
        {ft.proxySection}
        <Required lang={state.lang} />
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
  );
};

const joinValues = (values: Record<string, string>, fields: readonly FieldName[]) =>
  fields
    .map((f) => values[f])
    .filter((v) => v !== undefined && v !== '')
    .join(' ');

/** A row as the form shows it: input(s), or read-only on renewal for the locked names. */
const FormRow: FC<{ state: FormState; row: RegistrationRow }> = ({ state, row }) => {
  const fields = row.kind === 'field' ? [row.field] : row.fields;
  const isLocked = state.lockedNames && fields.every((f) => registrationFields[f].isLockedOnRenewal === true);
  if (isLocked) {
    const label = row.kind === 'field' ? fieldLabels[row.field][state.lang] : pairLabelText(row.label, state.lang);
    return <ReadOnlyRow label={label} value={joinValues(state.values, fields)} />;
  }
  if (row.kind === 'pair') return <PairRow state={state} label={row.label} fields={row.fields} />;
  switch (row.field) {
    case 'prefecture':
      return <PrefectureRow state={state} />;
    case 'proxyMode':
      return <ProxyModeRow state={state} />;
    case 'titleRomaji':
      return (
        <FieldRow
          state={state}
          name="titleRomaji"
          extra={
            <a class="hint-link" href="/help/romaji-characters">
              {formText[state.lang].romajiCharsLink}
            </a>
          }
        />
      );
    case 'postalCode':
      return <FieldRow state={state} name="postalCode" extra={<p class="hint" id="postalCode-suggestion" aria-live="polite"></p>} />;
    default:
      return <FieldRow state={state} name={row.field} />;
  }
};

const sectionIntro = (section: RegistrationSectionName, lang: Lang): string | undefined => {
  const ft = formText[lang];
  switch (section) {
    case 'organisation':
      return ft.organisationIntro;
    case 'person':
      return ft.personIntro;
    case 'coupon':
      return undefined;
    case 'proxy':
      return ft.proxyIntro;
  }
};

/** The application form of the seed (SPEC 3), for a new application and for a renewal, from the one field description. */
export const RegistrationFields: FC<{ state: FormState }> = ({ state }) => (
  <>
    {registrationSections.map(({ section, rows }) => {
      const intro = sectionIntro(section, state.lang);
      return (
        <section class="form-section" aria-labelledby={`sec-${section}`}>
          <h2 id={`sec-${section}`}>{sectionTitle(section, state.lang)}</h2>
          {intro !== undefined && <p class="section-intro">{intro}</p>}
          {rows.map((row) => (
            <FormRow state={state} row={row} />
          ))}
        </section>
      );
    })}
  </>
);

/** The error summary at the top of a form: each entry links to its field (WCAG 3.3.1). */
export const ErrorSummary: FC<{ state: FormState; title: string }> = ({ state, title }) => {
  const entries = Object.keys(state.errors).filter((name) => state.errors[name] !== undefined);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {entries.map((name) => (
          <li>
            <a href={`#${name}`}>{messageOf(state, name)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
};
