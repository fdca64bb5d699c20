/**
 * The application/renewal form model and its validation (SPEC §1.1 step 4, §1.2, §3).
 *
 * Pure: no I/O, no clock. Each field is normalised first (normalise.ts: only what is
 * unambiguous), then checked for presence, length (in code points) and characters.
 * The result keeps every normalised value so the form can be shown again as typed.
 */
import { z } from 'zod';
import {
  normaliseCouponPart,
  normaliseEmail,
  normaliseFullWidthText,
  normaliseKana,
  normaliseName,
  normalisePhone,
  normalisePostalCode,
  normaliseRomajiText,
  normaliseTdbCode,
  trimSpaces,
} from './normalise.js';
import { isPrefecture, type Prefecture } from './prefectures.js';

// ---------------------------------------------------------------------------
// Field names and codes

/** Every form field, in the order the form shows them (the seed's screen, top to bottom). */
export const fieldNames = [
  // 所属組織情報
  'tdbCode',
  'orgNameJa',
  'orgNameKana',
  'orgNameEn',
  'hqAddress',
  'hqPhone',
  'representativeLastName',
  'representativeFirstName',
  // お客様情報
  'lastNameJa',
  'firstNameJa',
  'lastNameKana',
  'firstNameKana',
  'lastNameEn',
  'firstNameEn',
  'email',
  'titleJa',
  'departmentJa',
  'titleRomaji',
  'postalCode',
  'prefecture',
  'city',
  'street',
  'building',
  'phone',
  'couponPart1',
  'couponPart2',
  // 代理担当者様情報
  'proxyMode',
  'proxyLastNameJa',
  'proxyFirstNameJa',
  'proxyLastNameKana',
  'proxyFirstNameKana',
  'proxyDepartment',
  'proxyPhone',
] as const;

export type FieldName = (typeof fieldNames)[number];

/**
 * Organisation and person names: shown but not editable on renewal (SPEC §1.1 step 4);
 * to change them one makes a new application.
 */
export const lockedFieldNames = [
  'orgNameJa',
  'orgNameKana',
  'orgNameEn',
  'lastNameJa',
  'firstNameJa',
  'lastNameKana',
  'firstNameKana',
  'lastNameEn',
  'firstNameEn',
] as const satisfies readonly FieldName[];

export type LockedFieldName = (typeof lockedFieldNames)[number];

/** Fields that only count when the proxy contact is entered (SPEC §3). */
export const proxyFieldNames = [
  'proxyLastNameJa',
  'proxyFirstNameJa',
  'proxyLastNameKana',
  'proxyFirstNameKana',
  'proxyDepartment',
  'proxyPhone',
] as const satisfies readonly FieldName[];

export type ProxyFieldName = (typeof proxyFieldNames)[number];

/** 'entered': 代理担当者様情報を入力する(お客様と異なる); 'none': 代理担当者様がいない(お客様と同じ). */
export const proxyModes = ['entered', 'none'] as const;
export type ProxyMode = (typeof proxyModes)[number];

export const errorCodes = [
  'field.required',
  'field.tooLong',
  'name.invalidCharacters',
  'kana.katakanaOnly',
  'romaji.invalidCharacters',
  'text.invalidCharacters',
  'phone.format',
  'postalCode.format',
  'prefecture.unknown',
  'email.format',
  'coupon.format',
  'coupon.checksum',
  'tdbCode.format',
  'titleRomaji.invalidCharacters',
] as const;

/** A stable dotted code per failed rule; it doubles as the message key (STYLE §4). */
export type ErrorCode = (typeof errorCodes)[number];

/**
 * The symbols allowed in 役職/部署(ローマ字) besides half-width letters, digits and the
 * space (SPEC §3: "a listed set of symbols (the list is linked from the form)").
 */
export const titleRomajiSymbols = [',', '.', '-', '&', "'", '(', ')', '/'] as const;



/** Phone numbers: half-width digits, no hyphens, 10–11 digits (SPEC §3), trunk prefix 0. */
export const phoneDigitsMin = 10;
export const phoneDigitsMax = 11;
/** Teikoku Databank company codes are at most 9 digits. */
export const tdbCodeMaxDigits = 9;
export const couponPartDigits = 8;

// ---------------------------------------------------------------------------
// The validated registration

/** The names that renewal carries over unchanged from the stored registration. */
export interface LockedNames {
  orgNameJa: string;
  orgNameKana: string;
  orgNameEn: string;
  lastNameJa: string;
  firstNameJa: string;
  lastNameKana: string;
  firstNameKana: string;
  lastNameEn: string;
  firstNameEn: string;
}

export interface RegistrationDetails {
  tdbCode?: string;
  hqAddress: string;
  hqPhone: string;
  representativeLastName: string;
  representativeFirstName: string;
  email: string;
  titleJa?: string;
  /** 「なし」 when the person has no department (SPEC §3). */
  departmentJa: string;
  titleRomaji?: string;
  postalCode: string;
  prefecture: Prefecture;
  city: string;
  street: string;
  building?: string;
  phone: string;
}

export type ProxyContact =
  | { proxyMode: 'none' }
  | {
      proxyMode: 'entered';
      proxyLastNameJa: string;
      proxyFirstNameJa: string;
      proxyLastNameKana: string;
      proxyFirstNameKana: string;
      proxyDepartment?: string;
      proxyPhone: string;
    };

/** What a renewal may change: everything but the locked names. */
export type EditableRegistration = RegistrationDetails & ProxyContact;

/**
 * A validated registration, without coupon and password. Keys are the form's field
 * names; optional fields are absent when left empty.
 */
export type Registration = LockedNames & EditableRegistration;

export type FormValues = Record<FieldName, string>;
export type FieldErrors = Partial<Record<FieldName, ErrorCode>>;

export type RegistrationParseResult<R> =
  | { ok: true; value: { registration: R; couponNumber: string }; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

export interface ParseRegistrationOptions {
  /** True on renewal: names come from the stored registration, not from the form. */
  lockedNames: boolean;
}

// ---------------------------------------------------------------------------
// Character rules

/**
 * One character of a Japanese name: a letter of the Han (any ideograph, also 髙, 﨑 and
 * the extension planes), Hiragana, Katakana or Latin scripts, a combining mark such as
 * an ideographic variation selector or a decomposed voiced mark, 〆 ー ・ and spaces.
 * The letter lookahead keeps out symbols those scripts also hold (🈀, ㋐, ㌀). Emoji,
 * private-use, control, format and unassigned code points are not letters, so they fail.
 * U+FE0E/U+FE0F are excluded as they only ask for text/emoji presentation.
 */
const nameChar = String.raw`(?:(?=[\p{L}\p{M}])[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Latin}]|(?![\uFE0E\uFE0F])(?=\p{M})\p{Script=Inherited}|[〆ー・ \u3000])`;

/**
 * Organisation names also hold digits and the punctuation of company names
 * (「セブン＆アイ」, 「(株)」 spelt out, 「3M」); the personal-name rule would refuse them.
 */
const orgNameChar = String.raw`(?:${nameChar}|[0-9\uFF10-\uFF19&\uFF06.\uFF0E,\uFF0C\-\uFF0D\u2010()\uFF08\uFF09'\u2019/\uFF0F])`;

const nameJaPattern = new RegExp(`^${nameChar}+$`, 'u');
const orgNameJaPattern = new RegExp(`^${orgNameChar}+$`, 'u');
const nameCharPattern = new RegExp(`^${nameChar}$`, 'u');
const orgNameCharPattern = new RegExp(`^${orgNameChar}$`, 'u');

/** Full-width katakana (ァ…ヺ, ・, ー, ヽ, ヾ) and the full-width space. */
const kanaPattern = /^[\u30A1-\u30FE\u3000]+$/u;

/** A person's name in Latin letters: ASCII letters, space and - ' . (at least one letter). */
const personNameEnPattern = /^(?=.*[A-Za-z])[A-Za-z '.-]+$/u;

const escapeForCharClass = (c: string): string => c.replace(/[\\\]\-^]/gu, '\\$&');
const romajiTextPattern = new RegExp(
  `^[A-Za-z0-9 ${titleRomajiSymbols.map(escapeForCharClass).join('')}]+$`,
  'u',
);

/**
 * What a full-width text field must not hold: control, format, private-use, unassigned
 * and lone surrogate code points, line/paragraph separators, and emoji with their
 * modifiers, flags, presentation selector and keycap, and U+FFFD: the request's
 * decoder puts it where the bytes were not UTF-8, and web/ where NUL or a lone
 * surrogate came in (PostgreSQL stores neither), so it always means broken input.
 */
const forbiddenInText =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0F\u20E3\uFFFD]/u;

/** Dot-atom local part (RFC 5322 §3.4.1); quoted local parts are not accepted. */
const atext = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const emailLocalPattern = new RegExp(`^${atext}+(?:\\.${atext}+)*$`, 'u');
const domainLabelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;

const codePointLength = (s: string): number => [...s].length;

/**
 * A pragmatic addr-spec check: ASCII dot-atom local part of at most 64 octets, a
 * domain of at least two LDH labels whose top-level label is not all digits.
 * The address becomes an rfc822Name in the certificate (S/MIME BR 7.1.4.2.1), so
 * obsolete forms (quoted strings, "a..b@", IDN) are refused rather than guessed at.
 */
export function isEmailAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.length > 254) {
    return false;
  }
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  if (local.length > 64 || !emailLocalPattern.test(local) || domain.length > 253) {
    return false;
  }
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((l) => domainLabelPattern.test(l)) && /[a-z]/u.test(topLevel);
}

// ---------------------------------------------------------------------------
// Coupon numbers: 16 digits, the 16th a Luhn check digit.

const luhnSum = (digits: string, doubleFirst: boolean): number => {
  let sum = 0;
  // Walk from the right; every second digit is doubled (ISO/IEC 7812-1 Annex B).
  for (let i = digits.length - 1, double = doubleFirst; i >= 0; i -= 1, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return sum;
};

/** Whether `digits16` is 16 digits whose last one is the Luhn check digit of the rest. */
export function isValidCouponChecksum(digits16: string): boolean {
  return /^\d{16}$/u.test(digits16) && luhnSum(digits16, false) % 10 === 0;
}

/** Appends the Luhn check digit to a 15-digit payload. Throws on anything else: a bug. */
export function makeCouponNumber(random15digits: string): string {
  if (!/^\d{15}$/u.test(random15digits)) {
    throw new Error('makeCouponNumber needs exactly 15 digits');
  }
  const check = (10 - (luhnSum(random15digits, true) % 10)) % 10;
  return `${random15digits}${check}`;
}

/** The 16 digits from the form's two boxes (normalised), or undefined if they aren't 8 + 8 digits. */
export function couponNumberFromParts(part1: string, part2: string): string | undefined {
  const a = normaliseCouponPart(part1);
  const b = normaliseCouponPart(part2);
  const eightDigits = /^\d{8}$/u;
  return eightDigits.test(a) && eightDigits.test(b) ? `${a}${b}` : undefined;
}

/**
 * A whole coupon number as an operator types or pastes it: 16 digits, 8-8, with spaces,
 * any dash or full-width digits (normalised as the form's boxes are), or undefined.
 */
export function couponNumberFromText(text: string): string | undefined {
  const digits = normaliseCouponPart(text);
  return /^\d{16}$/u.test(digits) ? digits : undefined;
}

/** '1234567812345670' → '12345678-12345670'. Throws unless given 16 digits: a bug. */
export function formatCouponNumber(digits16: string): string {
  if (!/^\d{16}$/u.test(digits16)) {
    throw new Error('formatCouponNumber needs exactly 16 digits');
  }
  return `${digits16.slice(0, 8)}-${digits16.slice(8)}`;
}

// ---------------------------------------------------------------------------
// Field rules

type Presence = 'required' | 'optional' | 'proxyRequired' | 'proxyOptional';

/** The sections of the seed's form, top to bottom. */
export const registrationSectionNames = ['organisation', 'person', 'coupon', 'proxy'] as const;
export type RegistrationSectionName = (typeof registrationSectionNames)[number];

/**
 * One field of the registration, as every reader needs it: the form, the confirmation
 * table, the console's detail and renewal diff, the mails. The label key is the field
 * name (web/portal/input-messages.ts holds the words).
 */
export interface RegistrationField {
  readonly section: RegistrationSectionName;
  readonly normalise: (raw: string) => string;
  readonly presence: Presence;
  /** The character/format rule, run on a non-empty value within its length. */
  readonly check: (value: string) => ErrorCode | undefined;
  /**
   * Maximum length in code points (so 𠮷 counts once). Organisation names stop at 64, the
   * X.509 upper bound for organizationName (RFC 5280 ub-organization-name); title at 64
   * for ub-title. Fields checked by a digit pattern carry their pattern's length.
   */
  readonly maxLength: number;
  /** Shown but not editable on renewal (SPEC §1.1 step 4): to change it, apply anew. */
  readonly isLockedOnRenewal?: true;
  /** Counts only when the proxy contact is entered (SPEC §3). */
  readonly isProxyOnly?: true;
}

const when =
  (isValid: (value: string) => boolean, code: ErrorCode) =>
  (value: string): ErrorCode | undefined =>
    isValid(value) ? undefined : code;

const checkNameJa = when((v) => nameJaPattern.test(v), 'name.invalidCharacters');
const checkKana = when((v) => kanaPattern.test(v), 'kana.katakanaOnly');
const checkPersonNameEn = when((v) => personNameEnPattern.test(v), 'romaji.invalidCharacters');
const checkText = when((v) => !forbiddenInText.test(v), 'text.invalidCharacters');
const checkPhone = when(
  (v) => new RegExp(`^0\\d{${phoneDigitsMin - 1},${phoneDigitsMax - 1}}$`, 'u').test(v),
  'phone.format',
);
const checkCouponPart = when((v) => new RegExp(`^\\d{${couponPartDigits}}$`, 'u').test(v), 'coupon.format');
const noCheck = (): undefined => undefined;
const digitFields: ReadonlySet<FieldName> = new Set(['tdbCode', 'hqPhone', 'postalCode', 'phone', 'couponPart1', 'couponPart2', 'proxyPhone']);

const org = 'organisation' as const;
const person = 'person' as const;
const proxy = 'proxy' as const;
const locked = { isLockedOnRenewal: true } as const;
const proxyOnly = { isProxyOnly: true } as const;

/** The one description of the registration fields (issue #7 item 10). */
export const registrationFields: { readonly [F in FieldName]: RegistrationField } = {
  tdbCode: {
    section: org,
    normalise: normaliseTdbCode,
    presence: 'optional',
    check: when((v) => new RegExp(`^\\d{1,${tdbCodeMaxDigits}}$`, 'u').test(v), 'tdbCode.format'),
    maxLength: tdbCodeMaxDigits,
  },
  orgNameJa: {
    section: org,
    normalise: normaliseName,
    presence: 'required',
    check: when((v) => orgNameJaPattern.test(v), 'name.invalidCharacters'),
    maxLength: 64,
    ...locked,
  },
  orgNameKana: { section: org, normalise: normaliseKana, presence: 'required', check: checkKana, maxLength: 100, ...locked },
  // English organisation names need digits and "Co., Ltd.": the romaji symbol set.
  orgNameEn: {
    section: org,
    normalise: normaliseName,
    presence: 'required',
    check: when((v) => romajiTextPattern.test(v) && /[A-Za-z]/u.test(v), 'romaji.invalidCharacters'),
    maxLength: 64,
    ...locked,
  },
  hqAddress: { section: org, normalise: normaliseFullWidthText, presence: 'required', check: checkText, maxLength: 120 },
  hqPhone: { section: org, normalise: normalisePhone, presence: 'required', check: checkPhone, maxLength: phoneDigitsMax },
  representativeLastName: { section: org, normalise: normaliseName, presence: 'required', check: checkNameJa, maxLength: 40 },
  representativeFirstName: { section: org, normalise: normaliseName, presence: 'required', check: checkNameJa, maxLength: 40 },
  lastNameJa: { section: person, normalise: normaliseName, presence: 'required', check: checkNameJa, maxLength: 40, ...locked },
  firstNameJa: { section: person, normalise: normaliseName, presence: 'required', check: checkNameJa, maxLength: 40, ...locked },
  lastNameKana: { section: person, normalise: normaliseKana, presence: 'required', check: checkKana, maxLength: 40, ...locked },
  firstNameKana: { section: person, normalise: normaliseKana, presence: 'required', check: checkKana, maxLength: 40, ...locked },
  lastNameEn: { section: person, normalise: normaliseName, presence: 'required', check: checkPersonNameEn, maxLength: 40, ...locked },
  firstNameEn: { section: person, normalise: normaliseName, presence: 'required', check: checkPersonNameEn, maxLength: 40, ...locked },
  email: { section: person, normalise: normaliseEmail, presence: 'required', check: when(isEmailAddress, 'email.format'), maxLength: 254 },
  titleJa: { section: person, normalise: normaliseFullWidthText, presence: 'optional', check: checkText, maxLength: 60 },
  departmentJa: { section: person, normalise: normaliseFullWidthText, presence: 'required', check: checkText, maxLength: 60 },
  titleRomaji: {
    section: person,
    normalise: normaliseRomajiText,
    presence: 'optional',
    check: when((v) => romajiTextPattern.test(v), 'titleRomaji.invalidCharacters'),
    maxLength: 64,
  },
  postalCode: {
    section: person,
    normalise: normalisePostalCode,
    presence: 'required',
    check: when((v) => /^\d{7}$/u.test(v), 'postalCode.format'),
    maxLength: 7,
  },
  prefecture: { section: person, normalise: trimSpaces, presence: 'required', check: when(isPrefecture, 'prefecture.unknown'), maxLength: 4 },
  city: { section: person, normalise: normaliseFullWidthText, presence: 'required', check: checkText, maxLength: 60 },
  street: { section: person, normalise: normaliseFullWidthText, presence: 'required', check: checkText, maxLength: 60 },
  building: { section: person, normalise: normaliseFullWidthText, presence: 'optional', check: checkText, maxLength: 60 },
  phone: { section: person, normalise: normalisePhone, presence: 'required', check: checkPhone, maxLength: phoneDigitsMax },
  couponPart1: { section: 'coupon', normalise: normaliseCouponPart, presence: 'required', check: checkCouponPart, maxLength: couponPartDigits },
  couponPart2: { section: 'coupon', normalise: normaliseCouponPart, presence: 'required', check: checkCouponPart, maxLength: couponPartDigits },
  // The radio: anything but the two values counts as not chosen.
  proxyMode: { section: proxy, normalise: trimSpaces, presence: 'required', check: noCheck, maxLength: 7 },
  proxyLastNameJa: { section: proxy, normalise: normaliseName, presence: 'proxyRequired', check: checkNameJa, maxLength: 40, ...proxyOnly },
  proxyFirstNameJa: { section: proxy, normalise: normaliseName, presence: 'proxyRequired', check: checkNameJa, maxLength: 40, ...proxyOnly },
  proxyLastNameKana: { section: proxy, normalise: normaliseKana, presence: 'proxyRequired', check: checkKana, maxLength: 40, ...proxyOnly },
  proxyFirstNameKana: { section: proxy, normalise: normaliseKana, presence: 'proxyRequired', check: checkKana, maxLength: 40, ...proxyOnly },
  proxyDepartment: { section: proxy, normalise: normaliseFullWidthText, presence: 'proxyOptional', check: checkText, maxLength: 60, ...proxyOnly },
  proxyPhone: { section: proxy, normalise: normalisePhone, presence: 'proxyRequired', check: checkPhone, maxLength: phoneDigitsMax, ...proxyOnly },
};

/**
 * Maximum lengths of the free-text fields, for messages ("…は64文字以内で"). Fields
 * checked by a digit pattern are told their format instead, so they are not listed.
 */
export const fieldMaxLengths: Partial<Record<FieldName, number>> = Object.fromEntries(
  fieldNames
    .filter((f) => registrationFields[f].check !== noCheck && !digitFields.has(f) && f !== 'prefecture')
    .map((f) => [f, registrationFields[f].maxLength]),
);

/**
 * How the fields are grouped on every page that shows a registration: a row holds one
 * field, or a pair read as one (family name + given name; the two coupon boxes).
 */
export type RegistrationRow =
  | { kind: 'field'; field: FieldName }
  | { kind: 'pair'; label: RegistrationPairLabel; fields: readonly [FieldName, FieldName] };

export const registrationPairLabels = ['representativeName', 'nameJa', 'nameKana', 'nameEn', 'coupon', 'proxyNameJa', 'proxyNameKana'] as const;
export type RegistrationPairLabel = (typeof registrationPairLabels)[number];

const field = (f: FieldName): RegistrationRow => ({ kind: 'field', field: f });
const pair = (label: RegistrationPairLabel, a: FieldName, b: FieldName): RegistrationRow => ({ kind: 'pair', label, fields: [a, b] });

export const registrationSections: readonly { section: RegistrationSectionName; rows: readonly RegistrationRow[] }[] = [
  {
    section: 'organisation',
    rows: [field('tdbCode'), field('orgNameJa'), field('orgNameKana'), field('orgNameEn'), field('hqAddress'), field('hqPhone'), pair('representativeName', 'representativeLastName', 'representativeFirstName')],
  },
  {
    section: 'person',
    rows: [
      pair('nameJa', 'lastNameJa', 'firstNameJa'),
      pair('nameKana', 'lastNameKana', 'firstNameKana'),
      pair('nameEn', 'lastNameEn', 'firstNameEn'),
      field('email'),
      field('titleJa'),
      field('departmentJa'),
      field('titleRomaji'),
      field('postalCode'),
      field('prefecture'),
      field('city'),
      field('street'),
      field('building'),
      field('phone'),
    ],
  },
  { section: 'coupon', rows: [pair('coupon', 'couponPart1', 'couponPart2')] },
  {
    section: 'proxy',
    rows: [field('proxyMode'), pair('proxyNameJa', 'proxyLastNameJa', 'proxyFirstNameJa'), pair('proxyNameKana', 'proxyLastNameKana', 'proxyFirstNameKana'), field('proxyDepartment'), field('proxyPhone')],
  },
];

const proxyModeSchema = z.enum(proxyModes);
const lockedFieldSet: ReadonlySet<FieldName> = new Set(lockedFieldNames);
const proxyFieldSet: ReadonlySet<FieldName> = new Set(proxyFieldNames);

/** Presence, length, then the field's own rule; the first failure is the field's code. */
function validateField(field: FieldName, value: string, isProxyEntered: boolean): ErrorCode | undefined {
  const { presence, check, maxLength } = registrationFields[field];
  if (value === '') {
    const isRequired = presence === 'required' || (presence === 'proxyRequired' && isProxyEntered);
    return isRequired ? 'field.required' : undefined;
  }
  // Pattern-checked fields say what their pattern wants, not merely "too long".
  if (fieldMaxLengths[field] !== undefined && codePointLength(value) > maxLength) {
    return 'field.tooLong';
  }
  return check(value);
}

/**
 * Normalises and validates the application/renewal form.
 *
 * With `lockedNames` (renewal, SPEC §1.1 step 4) the organisation and person names are
 * neither read from `raw` nor validated; their `values` are '' and the caller merges
 * them from the stored registration. With proxy mode 'none' the proxy fields are
 * ignored and come out empty (SPEC §3).
 */
export function parseRegistration(
  raw: Readonly<Record<string, string | undefined>>,
  options: { lockedNames: false },
): RegistrationParseResult<Registration>;
export function parseRegistration(
  raw: Readonly<Record<string, string | undefined>>,
  options: { lockedNames: true },
): RegistrationParseResult<EditableRegistration>;
export function parseRegistration(
  raw: Readonly<Record<string, string | undefined>>,
  options: ParseRegistrationOptions,
): RegistrationParseResult<Registration | EditableRegistration>;
export function parseRegistration(
  raw: Readonly<Record<string, string | undefined>>,
  options: ParseRegistrationOptions,
): RegistrationParseResult<Registration | EditableRegistration> {
  const values = normaliseValues(raw, options);
  const proxyMode = proxyModeSchema.safeParse(values.proxyMode);
  const isProxyEntered = proxyMode.success && proxyMode.data === 'entered';

  const errors: FieldErrors = {};
  for (const field of fieldNames) {
    const isSkipped =
      (options.lockedNames && lockedFieldSet.has(field)) || (proxyFieldSet.has(field) && !isProxyEntered);
    const code = isSkipped ? undefined : validateField(field, values[field], isProxyEntered);
    if (code !== undefined) {
      errors[field] = code;
    }
  }
  if (!proxyMode.success && errors.proxyMode === undefined) {
    errors.proxyMode = 'field.required';
  }
  const couponNumber = `${values.couponPart1}${values.couponPart2}`;
  if (errors.couponPart1 === undefined && errors.couponPart2 === undefined && !isValidCouponChecksum(couponNumber)) {
    errors.couponPart1 = 'coupon.checksum';
  }

  if (Object.keys(errors).length > 0 || !proxyMode.success) {
    return { ok: false, errors, values };
  }
  const editable = toEditableRegistration(values, proxyMode.data);
  const registration = options.lockedNames ? editable : { ...toLockedNames(values), ...editable };
  return { ok: true, value: { registration, couponNumber }, values };
}

function normaliseValues(raw: Readonly<Record<string, string | undefined>>, options: ParseRegistrationOptions): FormValues {
  const values = {} as FormValues;
  for (const field of fieldNames) {
    const isLocked = options.lockedNames && lockedFieldSet.has(field);
    values[field] = isLocked ? '' : registrationFields[field].normalise(raw[field] ?? '');
  }
  // Cleared rather than kept: data the subscriber said does not apply is not carried on.
  if (values.proxyMode === 'none') {
    for (const field of proxyFieldNames) {
      values[field] = '';
    }
  }
  // A whole coupon number pasted into the first box is unambiguous: split it.
  if (/^\d{16}$/u.test(values.couponPart1) && values.couponPart2 === '') {
    values.couponPart2 = values.couponPart1.slice(8);
    values.couponPart1 = values.couponPart1.slice(0, 8);
  }
  return values;
}

const optionalField = <K extends string>(key: K, value: string): { [P in K]?: string } =>
  (value === '' ? {} : { [key]: value }) as { [P in K]?: string };

function toLockedNames(v: FormValues): LockedNames {
  return {
    orgNameJa: v.orgNameJa,
    orgNameKana: v.orgNameKana,
    orgNameEn: v.orgNameEn,
    lastNameJa: v.lastNameJa,
    firstNameJa: v.firstNameJa,
    lastNameKana: v.lastNameKana,
    firstNameKana: v.firstNameKana,
    lastNameEn: v.lastNameEn,
    firstNameEn: v.firstNameEn,
  };
}

function toEditableRegistration(v: FormValues, proxyMode: ProxyMode): EditableRegistration {
  if (!isPrefecture(v.prefecture)) {
    throw new Error('toEditableRegistration called with an unvalidated prefecture');
  }
  const details: RegistrationDetails = {
    ...optionalField('tdbCode', v.tdbCode),
    hqAddress: v.hqAddress,
    hqPhone: v.hqPhone,
    representativeLastName: v.representativeLastName,
    representativeFirstName: v.representativeFirstName,
    email: v.email,
    ...optionalField('titleJa', v.titleJa),
    departmentJa: v.departmentJa,
    ...optionalField('titleRomaji', v.titleRomaji),
    postalCode: v.postalCode,
    prefecture: v.prefecture,
    city: v.city,
    street: v.street,
    ...optionalField('building', v.building),
    phone: v.phone,
  };
  if (proxyMode === 'none') {
    return { ...details, proxyMode };
  }
  return {
    ...details,
    proxyMode,
    proxyLastNameJa: v.proxyLastNameJa,
    proxyFirstNameJa: v.proxyFirstNameJa,
    proxyLastNameKana: v.proxyLastNameKana,
    proxyFirstNameKana: v.proxyFirstNameKana,
    ...optionalField('proxyDepartment', v.proxyDepartment),
    proxyPhone: v.proxyPhone,
  };
}

// ---------------------------------------------------------------------------
// Which characters a field refused (for messages that say which, issue #9)

/** A refused character, and what to type instead when there is an unambiguous way (㈱ → (株)). */
export interface RefusedCharacter {
  char: string;
  /** Invisible: a control, format or separator character, or the mark of undecodable input. */
  isInvisible: boolean;
  suggestion?: string;
}

const orgNameFields: ReadonlySet<FieldName> = new Set(['orgNameJa']);
const invisible = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\uFFFD\uFE0F]$/u;

/**
 * The distinct characters of `value` that `field`'s character rule refuses, at most
 * `limit` of them, in order. Where NFKC turns one into something the field accepts
 * (㈱ → (株), Ⅱ → II, ① → 1), that is the suggestion: we never rewrite a name ourselves
 * (SPEC 3), but we may say what to type.
 */
export function refusedCharacters(field: FieldName, value: string, limit = 3): RefusedCharacter[] {
  const isAllowed = (ch: string): boolean => {
    const code = registrationFields[field].check;
    if (field.endsWith('NameJa') || field === 'representativeLastName' || field === 'representativeFirstName') {
      return (orgNameFields.has(field) ? orgNameCharPattern : nameCharPattern).test(ch);
    }
    return code === checkText ? !forbiddenInText.test(ch) : true;
  };
  const out: RefusedCharacter[] = [];
  for (const ch of new Set(value)) {
    if (out.length >= limit) break;
    if (isAllowed(ch)) continue;
    const folded = ch.normalize('NFKC');
    const suggestion = folded !== ch && [...folded].every(isAllowed) ? folded : undefined;
    out.push({ char: ch, isInvisible: invisible.test(ch), ...(suggestion === undefined ? {} : { suggestion }) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Application password (申請パスワード)

export const passwordFieldNames = ['applicationPassword', 'applicationPasswordConfirm'] as const;
export type PasswordFieldName = (typeof passwordFieldNames)[number];

export const passwordErrorCodes = [
  'password.required',
  'password.tooShort',
  'password.tooLong',
  'password.ascii',
  'password.weak',
  'password.mismatch',
] as const;
export type PasswordErrorCode = (typeof passwordErrorCodes)[number];

export const applicationPasswordMinLength = 8;
export const applicationPasswordMaxLength = 64;

export type PasswordParseResult =
  | { ok: true; value: string }
  | { ok: false; code: PasswordErrorCode; field: PasswordFieldName };

/**
 * Checks the application password chosen on a new application or changed on renewal.
 * The password is used exactly as typed: no trimming, no normalisation. Printable ASCII
 * (space included), 8–64 characters, at least two of letters, digits and symbols, and
 * equal to its confirmation.
 */
export function parseApplicationPassword(
  password: string | undefined,
  confirmation: string | undefined,
): PasswordParseResult {
  const fail = (code: PasswordErrorCode, field: PasswordFieldName = 'applicationPassword'): PasswordParseResult => ({
    ok: false,
    code,
    field,
  });
  const pw = password ?? '';
  if (pw === '') {
    return fail('password.required');
  }
  if (!/^[\x20-\x7E]+$/u.test(pw)) {
    return fail('password.ascii');
  }
  if (pw.length < applicationPasswordMinLength) {
    return fail('password.tooShort');
  }
  if (pw.length > applicationPasswordMaxLength) {
    return fail('password.tooLong');
  }
  const kinds = [/[A-Za-z]/u, /[0-9]/u, /[^A-Za-z0-9]/u].filter((kind) => kind.test(pw)).length;
  if (kinds < 2) {
    return fail('password.weak');
  }
  if ((confirmation ?? '') === '') {
    return fail('password.required', 'applicationPasswordConfirm');
  }
  if (confirmation !== pw) {
    return fail('password.mismatch', 'applicationPasswordConfirm');
  }
  return { ok: true, value: pw };
}
