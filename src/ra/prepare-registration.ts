import {
  fieldNames,
  lockedFieldNames,
  parseApplicationPassword,
  parseRegistration,
  registrationFields,
  type ErrorCode,
  type FieldName,
  type PasswordErrorCode,
  type PasswordFieldName,
  type Registration,
} from '../domain/input/registration.js';
import type { RegistrationJson } from '../store/schema/tables.js';

export type ApplicationKindOfForm = 'new' | 'renewal';

/** What becomes of the application password: one typed now (or earlier in this draft), or the current one. */
export type PasswordChoice = { kind: 'new'; value: string } | { kind: 'keepCurrent' };

export interface RegistrationForm {
  kind: ApplicationKindOfForm;
  /** The form as posted (or the draft's values again at 送信). */
  raw: Readonly<Record<string, string | undefined>>;
  /** Renewal: the stored registration, whose locked names win over anything posted. */
  stored?: RegistrationJson | undefined;
  /** A password typed earlier in this draft (kept so it need not be typed again after 戻る). */
  draftPassword: string | undefined;
}

export type FormErrorCode = ErrorCode | PasswordErrorCode;
export type FormErrors = Partial<Record<FieldName | PasswordFieldName, FormErrorCode>>;

export type PreparedRegistration =
  | {
      ok: true;
      value: { registration: Registration; couponNumber: string; password: PasswordChoice };
      /** What the form and the confirmation show: normalised, locked names from the stored registration. */
      values: Record<FieldName, string>;
    }
  | { ok: false; code: 'form.invalid'; errors: FormErrors; values: Record<FieldName, string> };

/**
 * The RA's reading of an application form (issue #7 item 10): normalise and validate every
 * field, take a renewal's locked names from the stored registration, and decide what
 * happens to the password. Pure; the values it returns are bounded by each field's
 * maximum length, so nothing over-long is ever kept (issue #6 defect 2).
 */
export function prepareRegistration(form: RegistrationForm): PreparedRegistration {
  const isRenewal = form.kind === 'renewal';
  const parsed = parseRegistration(form.raw, { lockedNames: isRenewal });
  const values = boundedValues(parsed.values);
  if (isRenewal) for (const name of lockedFieldNames) values[name] = form.stored?.[name] ?? '';

  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
  const typed = form.raw['applicationPassword'] ?? '';
  const typedAgain = form.raw['applicationPasswordConfirm'] ?? '';
  let password: PasswordChoice | undefined;
  if (typed !== '' || typedAgain !== '') {
    const checked = parseApplicationPassword(typed, typedAgain);
    if (checked.ok) password = { kind: 'new', value: checked.value };
    else errors[checked.field] = checked.code;
  } else if (form.draftPassword !== undefined) {
    password = { kind: 'new', value: form.draftPassword };
  } else if (isRenewal) {
    // Renewal: left blank, the current password stays (nothing asks twice for what it knows).
    password = { kind: 'keepCurrent' };
  } else {
    errors.applicationPassword = 'password.required';
  }

  if (!parsed.ok || password === undefined || Object.keys(errors).length > 0) return { ok: false, code: 'form.invalid', errors, values };
  const registration = (isRenewal ? { ...parsed.value.registration, ...lockedNamesOf(values) } : parsed.value.registration) as Registration;
  return { ok: true, value: { registration, couponNumber: parsed.value.couponNumber, password }, values };
}

function lockedNamesOf(values: Record<FieldName, string>): Partial<Registration> {
  return Object.fromEntries(lockedFieldNames.map((name) => [name, values[name]]));
}

/** Each value cut to its field's maximum length (in code points): the error says it was too long. */
function boundedValues(values: Record<FieldName, string>): Record<FieldName, string> {
  const out = {} as Record<FieldName, string>;
  for (const name of fieldNames) out[name] = [...values[name]].slice(0, registrationFields[name].maxLength).join('');
  return out;
}
