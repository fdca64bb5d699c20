/**
 * Labels, hints and error messages of the application/renewal form (SPEC §3: "clear
 * per-field error messages in Japanese, values kept"). The only place with Japanese and
 * English text for src/domain/input. Labels are the seed's, word for word.
 */
import {
  applicationPasswordMaxLength,
  applicationPasswordMinLength,
  couponPartDigits,
  fieldMaxLengths,
  phoneDigitsMax,
  phoneDigitsMin,
  refusedCharacters,
  tdbCodeMaxDigits,
  titleRomajiSymbols,
  type RefusedCharacter,
  type ErrorCode,
  type FieldName,
  type PasswordErrorCode,
  type PasswordFieldName,
} from '../../domain/input/registration.js';
import type { Lang } from '../env.js';

/** Codes from the coupon ledger (src/ra), shown on the coupon field. */
export type CouponLedgerCode = 'coupon.unknown' | 'coupon.locked' | 'coupon.consumed' | 'coupon.void' | 'coupon.expired' | 'coupon.checkUnavailable';
export type MessageCode = ErrorCode | PasswordErrorCode | CouponLedgerCode;

export interface LocalisedText {
  ja: string;
  en: string;
}

/** Every field a message can be about: the form's fields and the two password boxes. */
export type MessageFieldName = FieldName | PasswordFieldName;

/**
 * The label of each input. Split names (姓/名) carry their row label, as in the seed
 * (「代表者名」 with 姓: 名:), plus the part, so each input has a name of its own.
 */
export const fieldLabels: Record<MessageFieldName, LocalisedText> = {
  tdbCode: { ja: '帝国データバンク 企業コード', en: 'Teikoku Databank company code' },
  orgNameJa: { ja: '組織名(日本語)', en: 'Organisation name (Japanese)' },
  orgNameKana: { ja: '組織名(カナ-日本語)', en: 'Organisation name (kana)' },
  orgNameEn: { ja: '組織名(英語)', en: 'Organisation name (English)' },
  hqAddress: { ja: '本社所在地', en: 'Head office address' },
  hqPhone: { ja: '本社代表電話番号', en: 'Head office phone number' },
  representativeLastName: { ja: '代表者名 姓', en: 'Representative, family name' },
  representativeFirstName: { ja: '代表者名 名', en: 'Representative, given name' },
  lastNameJa: { ja: 'お名前(日本語) 姓', en: 'Name (Japanese), family name' },
  firstNameJa: { ja: 'お名前(日本語) 名', en: 'Name (Japanese), given name' },
  lastNameKana: { ja: 'お名前(カナ-日本語) 姓', en: 'Name (kana), family name' },
  firstNameKana: { ja: 'お名前(カナ-日本語) 名', en: 'Name (kana), given name' },
  lastNameEn: { ja: 'お名前(英語) 姓', en: 'Name (English), family name' },
  firstNameEn: { ja: 'お名前(英語) 名', en: 'Name (English), given name' },
  email: { ja: '電子メールアドレス', en: 'Email address' },
  titleJa: { ja: '役職(日本語)', en: 'Job title (Japanese)' },
  departmentJa: { ja: '部署(日本語)', en: 'Department (Japanese)' },
  titleRomaji: { ja: '役職/部署(ローマ字)', en: 'Job title / department (romaji)' },
  postalCode: { ja: '勤務先住所(郵便番号: 7桁)', en: 'Workplace address (postal code: 7 digits)' },
  prefecture: { ja: '勤務先住所(都道府県)', en: 'Workplace address (prefecture)' },
  city: { ja: '勤務先住所(市区町村)', en: 'Workplace address (city, ward, town or village)' },
  street: { ja: '勤務先住所(地域・番地)', en: 'Workplace address (district and block number)' },
  building: { ja: '勤務先住所(ビル・マンション名)', en: 'Workplace address (building name)' },
  phone: { ja: '勤務先電話番号', en: 'Workplace phone number' },
  couponPart1: { ja: 'クーポン番号 前半8桁', en: 'Coupon number, first 8 digits' },
  couponPart2: { ja: 'クーポン番号 後半8桁', en: 'Coupon number, last 8 digits' },
  proxyMode: { ja: '代理担当者様情報', en: 'Proxy contact' },
  proxyLastNameJa: { ja: '代理担当者様お名前(日本語) 姓', en: 'Proxy contact name (Japanese), family name' },
  proxyFirstNameJa: { ja: '代理担当者様お名前(日本語) 名', en: 'Proxy contact name (Japanese), given name' },
  proxyLastNameKana: { ja: '代理担当者様お名前(カナ-日本語) 姓', en: 'Proxy contact name (kana), family name' },
  proxyFirstNameKana: { ja: '代理担当者様お名前(カナ-日本語) 名', en: 'Proxy contact name (kana), given name' },
  proxyDepartment: { ja: '代理担当者様部署', en: 'Proxy contact department' },
  proxyPhone: { ja: '代理担当者様電話番号', en: 'Proxy contact phone number' },
  applicationPassword: { ja: '申請パスワード', en: 'Application password' },
  applicationPasswordConfirm: { ja: '申請パスワード(確認)', en: 'Application password (again)' },
};

/**
 * The seed's format hints beside each input. A 姓/名 pair has one hint, on its first
 * (family-name) field. The coupon boxes share the group's hint, which the form owns.
 */
export const fieldHints: Partial<Record<MessageFieldName, LocalisedText>> = {
  tdbCode: { ja: '(半角数字 9桁以内)', en: '(digits, up to 9)' },
  orgNameJa: { ja: '(全角 例: 八重洲商事株式会社)', en: '(e.g. 八重洲商事株式会社)' },
  orgNameKana: { ja: '(全角カナ 例: ヤエスショウジカブシキガイシャ)', en: '(full-width katakana, e.g. ヤエスショウジカブシキガイシャ)' },
  orgNameEn: { ja: '(半角英数字と記号 例: Yaesu Shoji Co., Ltd.)', en: '(letters, digits and symbols, e.g. Yaesu Shoji Co., Ltd.)' },
  hqAddress: { ja: '(全角 例: 東京都中央区八重洲2-8-1)', en: '(e.g. 東京都中央区八重洲2-8-1)' },
  hqPhone: { ja: '(半角数字 例: 0332717011)', en: '(digits, e.g. 0332717011)' },
  representativeLastName: { ja: '(全角 例: 日本辺 理沙)', en: '(e.g. 日本辺 理沙)' },
  lastNameJa: { ja: '(全角 例: 辺野 太郎)', en: '(e.g. 辺野 太郎)' },
  lastNameKana: { ja: '(全角カナ 例: ヘノ タロウ)', en: '(full-width katakana, e.g. ヘノ タロウ)' },
  lastNameEn: { ja: '(半角英字 例: Heno Taro)', en: '(letters, e.g. Heno Taro)' },
  email: { ja: '(半角 例: taro_veri@example.co.jp)', en: '(e.g. taro_veri@example.co.jp)' },
  titleJa: { ja: '(全角 例: 部長)', en: '(e.g. 部長)' },
  departmentJa: { ja: '(全角 例: 経理部)', en: '(e.g. 経理部)' },
  titleRomaji: {
    ja: '(半角英数字と記号 例: Senior Manager, Accounting Dept)',
    en: '(letters, digits and symbols, e.g. Senior Manager, Accounting Dept)',
  },
  postalCode: { ja: '(半角数字 例: 1040028)', en: '(digits, e.g. 1040028)' },
  city: { ja: '(全角 例: 中央区)', en: '(e.g. 中央区)' },
  street: { ja: '(全角 例: 八重洲2-8-1)', en: '(e.g. 八重洲2-8-1)' },
  building: { ja: '(全角 例: 日東ビル13F)', en: '(e.g. 日東ビル13F)' },
  phone: { ja: '(半角数字 例: 0350001111)', en: '(digits, e.g. 0350001111)' },
  proxyLastNameJa: { ja: '(全角 例: 左院 花子)', en: '(e.g. 左院 花子)' },
  proxyLastNameKana: { ja: '(全角カナ 例: サイン ハナコ)', en: '(full-width katakana, e.g. サイン ハナコ)' },
  proxyDepartment: { ja: '(全角 例: 経理部)', en: '(e.g. 経理部)' },
  proxyPhone: { ja: '(半角数字 例: 0330001111)', en: '(digits, e.g. 0330001111)' },
};

const digitsOnly: LocalisedText = {
  ja: 'ハイフン「-」を除き、数字のみご記入ください。',
  en: 'Digits only, without hyphens.',
};

/** The seed's instructions under some labels. */
export const fieldInstructions: Partial<Record<MessageFieldName, LocalisedText>> = {
  hqPhone: digitsOnly,
  postalCode: digitsOnly,
  phone: digitsOnly,
  proxyPhone: digitsOnly,
  departmentJa: {
    ja: '所属部署がない場合は「なし」と入力してください。',
    en: 'If you have no department, enter 「なし」 (none).',
  },
};

/** The romaji symbol list the form links to (SPEC §3), e.g. ", . - & ' ( ) /". */
export const titleRomajiSymbolList = titleRomajiSymbols.join(' ');

/**
 * How a message names its field: the label in Japanese, where split names and address
 * parts read better as 「お名前(日本語)の姓」, 「勤務先住所の郵便番号」; a noun phrase in English.
 */
const subjects: Record<MessageFieldName, LocalisedText> = {
  tdbCode: { ja: fieldLabels.tdbCode.ja, en: 'the Teikoku Databank company code' },
  orgNameJa: { ja: fieldLabels.orgNameJa.ja, en: 'the organisation name (Japanese)' },
  orgNameKana: { ja: fieldLabels.orgNameKana.ja, en: 'the organisation name (kana)' },
  orgNameEn: { ja: fieldLabels.orgNameEn.ja, en: 'the organisation name (English)' },
  hqAddress: { ja: fieldLabels.hqAddress.ja, en: 'the head office address' },
  hqPhone: { ja: fieldLabels.hqPhone.ja, en: 'the head office phone number' },
  representativeLastName: { ja: '代表者名の姓', en: "the representative's family name" },
  representativeFirstName: { ja: '代表者名の名', en: "the representative's given name" },
  lastNameJa: { ja: 'お名前(日本語)の姓', en: 'your family name (Japanese)' },
  firstNameJa: { ja: 'お名前(日本語)の名', en: 'your given name (Japanese)' },
  lastNameKana: { ja: 'お名前(カナ-日本語)の姓', en: 'your family name (kana)' },
  firstNameKana: { ja: 'お名前(カナ-日本語)の名', en: 'your given name (kana)' },
  lastNameEn: { ja: 'お名前(英語)の姓', en: 'your family name (English)' },
  firstNameEn: { ja: 'お名前(英語)の名', en: 'your given name (English)' },
  email: { ja: fieldLabels.email.ja, en: 'your email address' },
  titleJa: { ja: fieldLabels.titleJa.ja, en: 'your job title (Japanese)' },
  departmentJa: { ja: fieldLabels.departmentJa.ja, en: 'your department (Japanese)' },
  titleRomaji: { ja: fieldLabels.titleRomaji.ja, en: 'your job title / department (romaji)' },
  postalCode: { ja: '勤務先住所の郵便番号', en: 'the postal code of your workplace' },
  prefecture: { ja: '勤務先住所の都道府県', en: 'the prefecture of your workplace' },
  city: { ja: '勤務先住所の市区町村', en: 'the city, ward, town or village of your workplace' },
  street: { ja: '勤務先住所の地域・番地', en: 'the district and block number of your workplace' },
  building: { ja: '勤務先住所のビル・マンション名', en: 'the building name of your workplace' },
  phone: { ja: fieldLabels.phone.ja, en: 'your workplace phone number' },
  couponPart1: { ja: 'クーポン番号の前半8桁', en: 'the first 8 digits of the coupon number' },
  couponPart2: { ja: 'クーポン番号の後半8桁', en: 'the last 8 digits of the coupon number' },
  proxyMode: { ja: fieldLabels.proxyMode.ja, en: 'the proxy contact' },
  proxyLastNameJa: { ja: '代理担当者様お名前(日本語)の姓', en: "the proxy contact's family name (Japanese)" },
  proxyFirstNameJa: { ja: '代理担当者様お名前(日本語)の名', en: "the proxy contact's given name (Japanese)" },
  proxyLastNameKana: { ja: '代理担当者様お名前(カナ-日本語)の姓', en: "the proxy contact's family name (kana)" },
  proxyFirstNameKana: { ja: '代理担当者様お名前(カナ-日本語)の名', en: "the proxy contact's given name (kana)" },
  proxyDepartment: { ja: fieldLabels.proxyDepartment.ja, en: "the proxy contact's department" },
  proxyPhone: { ja: fieldLabels.proxyPhone.ja, en: "the proxy contact's phone number" },
  applicationPassword: { ja: fieldLabels.applicationPassword.ja, en: 'the application password' },
  applicationPasswordConfirm: { ja: fieldLabels.applicationPasswordConfirm.ja, en: 'the application password again' },
};

const proxyRequiredFields: ReadonlySet<MessageFieldName> = new Set([
  'proxyLastNameJa',
  'proxyFirstNameJa',
  'proxyLastNameKana',
  'proxyFirstNameKana',
  'proxyPhone',
]);

const symbolsJa = titleRomajiSymbols.join(' ');
const maxLengthOf = (field: MessageFieldName): number | undefined =>
  (fieldMaxLengths as Partial<Record<MessageFieldName, number>>)[field];

/** English subjects start a sentence now and then. */
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** 「㈱」「🙂」 as a message names them; invisible ones by what they are. */
function charactersJa(refused: readonly RefusedCharacter[]): string {
  return refused.map((r) => (r.isInvisible ? '目に見えない文字(改行・タブなど)' : `「${r.char}」`)).join('、');
}

function suggestionsJa(refused: readonly RefusedCharacter[]): string {
  const withSuggestion = refused.filter((r) => r.suggestion !== undefined);
  return withSuggestion.map((r) => `「${r.char}」は「${r.suggestion ?? ''}」`).join('、') + (withSuggestion.length > 0 ? 'のように入力してください。' : '');
}

function messageJa(code: MessageCode, field: MessageFieldName, value: string): string {
  const s = subjects[field].ja;
  const refused = isFormField(field) ? refusedCharacters(field, value) : [];
  switch (code) {
    case 'field.required':
      if (field === 'proxyMode') {
        return '代理担当者様情報を入力するか、代理担当者様がいないかを選択してください。';
      }
      if (field === 'prefecture') {
        return `${s}を選択してください。`;
      }
      if (field === 'departmentJa') {
        return '部署(日本語)を入力してください。所属部署がない場合は「なし」と入力してください。';
      }
      if (proxyRequiredFields.has(field)) {
        return `代理担当者様情報を入力する場合は、${s}を入力してください。`;
      }
      return `${s}を入力してください。`;
    case 'field.tooLong': {
      const max = maxLengthOf(field);
      return max === undefined ? `${s}が長すぎます。` : `${s}は${max}文字以内で入力してください。`;
    }
    case 'name.invalidCharacters': {
      const which = refused.length > 0 ? `使用できない文字${charactersJa(refused)}が含まれています。` : '使用できない文字が含まれています。';
      const fix = suggestionsJa(refused);
      return field === 'orgNameJa'
        ? `${s}に${which}${fix !== '' ? fix : "漢字・ひらがな・カタカナ・英数字と、記号「&」「.」「,」「-」「(」「)」「'」「/」で入力してください。"}`
        : `${s}に${which}${fix !== '' ? fix : '漢字・ひらがな・カタカナ・英字で入力してください。記号は「・」のみ使用できます。'}`;
    }
    case 'kana.katakanaOnly':
      return `${s}は全角カタカナで入力してください。`;
    case 'romaji.invalidCharacters':
      return field === 'orgNameEn'
        ? `${s}は、半角英数字・スペースと記号(${symbolsJa})で入力してください。`
        : `${s}は半角英字で入力してください。使用できる記号はスペース、ハイフン「-」、アポストロフィ「'」、ピリオド「.」です。`;
    case 'text.invalidCharacters': {
      const which = refused.length > 0 ? `使用できない文字${charactersJa(refused)}が含まれています。` : '使用できない文字が含まれています。';
      const fix = suggestionsJa(refused);
      return `${s}に${which}${fix !== '' ? fix : '絵文字や一部の記号は使用できません。該当する文字を削除するか、別の文字に置き換えてください。'}`;
    }
    case 'phone.format':
      return `${s}は、ハイフンを除いた半角数字${phoneDigitsMin}桁または${phoneDigitsMax}桁で入力してください。`;
    case 'postalCode.format':
      return `${s}は、ハイフンを除いた半角数字7桁で入力してください。`;
    case 'prefecture.unknown':
      return `${s}は一覧から選択してください。`;
    case 'email.format':
      return `${s}の形式が正しくありません。半角英数字で「taro_veri@example.co.jp」のように入力してください。`;
    case 'coupon.format':
      return `${s}は、半角数字${couponPartDigits}桁で入力してください。`;
    case 'coupon.checksum':
      return 'クーポン番号に誤りがあります。お手元のクーポン券に記載された16桁の番号をもう一度ご確認ください。';
    case 'coupon.unknown':
      return 'このクーポン番号は登録されていません。クーポン券に記載された16桁の番号をご確認ください。';
    case 'coupon.locked':
      return 'このクーポン番号は、現在ほかの申請で使用中(ロック中)のため使用できません。ご自身が仮受付から1時間以内の申請に使用した場合は、「新規・更新 申請の取り消し」でその申請を取り消すと、このクーポン番号を再度使用できます。お心当たりのない場合は、クーポン券をご購入になった販売店(クーポン再販パートナー)にお問い合わせください。';
    case 'coupon.checkUnavailable':
      return 'ただいまクーポン番号を確認できません。恐れ入りますが、しばらく時間をおいてから、もう一度お試しください。';
    case 'coupon.consumed':
      return 'このクーポン番号は使用済みです。新しいクーポン券をご購入ください。';
    case 'coupon.void':
      return 'このクーポン番号は無効になっています。ご購入先のクーポン再販パートナーにお問い合わせください。';
    case 'coupon.expired':
      return 'このクーポン番号は有効期限を過ぎているため使用できません。ご購入先のクーポン再販パートナーにお問い合わせください。';
    case 'tdbCode.format':
      return `${s}は、半角数字${tdbCodeMaxDigits}桁以内で入力してください。`;
    case 'titleRomaji.invalidCharacters':
      return `${s}は、半角英数字・スペースと記号(${symbolsJa})で入力してください。`;
    case 'password.required':
      return field === 'applicationPasswordConfirm'
        ? '確認のため、申請パスワードをもう一度入力してください。'
        : '申請パスワードを入力してください。';
    case 'password.tooShort':
      return `申請パスワードは${applicationPasswordMinLength}文字以上で入力してください。`;
    case 'password.tooLong':
      return `申請パスワードは${applicationPasswordMaxLength}文字以内で入力してください。`;
    case 'password.ascii':
      return '申請パスワードは、半角の英字・数字・記号で入力してください(全角文字は使用できません)。';
    case 'password.weak':
      return '申請パスワードは、英字・数字・記号のうち2種類以上を組み合わせてください。';
    case 'password.mismatch':
      return '申請パスワード(確認)が申請パスワードと一致しません。同じパスワードを入力してください。';
  }
}

function charactersEn(refused: readonly RefusedCharacter[]): string {
  return refused.map((r) => (r.isInvisible ? 'an invisible character (line break, tab…)' : `“${r.char}”`)).join(', ');
}

function suggestionsEn(refused: readonly RefusedCharacter[]): string {
  const withSuggestion = refused.filter((r) => r.suggestion !== undefined);
  return withSuggestion.length === 0 ? '' : `Type ${withSuggestion.map((r) => `“${r.suggestion ?? ''}” for “${r.char}”`).join(', ')}.`;
}

function messageEn(code: MessageCode, field: MessageFieldName, value: string): string {
  const s = subjects[field].en;
  const S = capitalise(s);
  const refused = isFormField(field) ? refusedCharacters(field, value) : [];
  switch (code) {
    case 'field.required':
      if (field === 'proxyMode') {
        return 'Choose whether to enter a proxy contact.';
      }
      if (field === 'prefecture') {
        return `Choose ${s}.`;
      }
      if (field === 'departmentJa') {
        return 'Enter your department (Japanese). If you have no department, enter 「なし」 (none).';
      }
      if (proxyRequiredFields.has(field)) {
        return `Enter ${s}: it is required when you enter a proxy contact.`;
      }
      return `Enter ${s}.`;
    case 'field.tooLong': {
      const max = maxLengthOf(field);
      return max === undefined ? `${S} is too long.` : `${S} must be ${max} characters or fewer.`;
    }
    case 'name.invalidCharacters': {
      const which = refused.length > 0 ? `${S} contains ${charactersEn(refused)}, which cannot be used.` : `${S} contains characters that cannot be used.`;
      const fix = suggestionsEn(refused);
      return `${which} ${fix !== '' ? fix : field === 'orgNameJa' ? 'Use kanji, hiragana, katakana, letters, digits and the symbols & . , - ( ) \' /.' : 'Use kanji, hiragana, katakana or letters; the only symbol allowed is ・.'}`;
    }
    case 'kana.katakanaOnly':
      return `Enter ${s} in full-width katakana.`;
    case 'romaji.invalidCharacters':
      return field === 'orgNameEn'
        ? `Enter ${s} in half-width letters, digits, spaces and the symbols ${titleRomajiSymbolList}.`
        : `Enter ${s} in half-width letters. The only symbols allowed are space, hyphen (-), apostrophe (') and full stop (.).`;
    case 'text.invalidCharacters': {
      const which = refused.length > 0 ? `${S} contains ${charactersEn(refused)}, which cannot be used.` : `${S} contains characters that cannot be used.`;
      const fix = suggestionsEn(refused);
      return `${which} ${fix !== '' ? fix : 'Emoji and some symbols are not allowed: remove or replace them.'}`;
    }
    case 'phone.format':
      return `Enter ${s} as ${phoneDigitsMin} or ${phoneDigitsMax} half-width digits without hyphens.`;
    case 'postalCode.format':
      return `Enter ${s} as 7 half-width digits without a hyphen.`;
    case 'prefecture.unknown':
      return `Choose ${s} from the list.`;
    case 'email.format':
      return `Enter ${s} in the form taro_veri@example.co.jp, in half-width characters.`;
    case 'coupon.format':
      return `Enter ${s} as ${couponPartDigits} half-width digits.`;
    case 'coupon.checksum':
      return 'The coupon number is not correct. Check the 16 digits printed on your coupon.';
    case 'coupon.unknown':
      return 'This coupon number is not registered. Check the 16 digits printed on your coupon.';
    case 'coupon.locked':
      return 'This coupon number is in use by another application (locked). If you used it yourself for an application less than an hour ago, cancel that application on “Cancel an application” and the coupon can be used again. Otherwise, please ask the reseller partner you bought the coupon from.';
    case 'coupon.checkUnavailable':
      return 'We cannot check coupon numbers right now. Please try again a little later.';
    case 'coupon.consumed':
      return 'This coupon number has already been used. Please buy a new coupon.';
    case 'coupon.void':
      return 'This coupon number is void. Please contact the reseller partner you bought it from.';
    case 'coupon.expired':
      return 'This coupon number has passed its expiry date and can no longer be used. Please contact the reseller partner you bought it from.';
    case 'tdbCode.format':
      return `Enter ${s} as up to ${tdbCodeMaxDigits} half-width digits.`;
    case 'titleRomaji.invalidCharacters':
      return `Enter ${s} in half-width letters, digits, spaces and the symbols ${titleRomajiSymbolList}.`;
    case 'password.required':
      return field === 'applicationPasswordConfirm'
        ? 'Enter the application password again to confirm it.'
        : 'Enter an application password.';
    case 'password.tooShort':
      return `The application password must be at least ${applicationPasswordMinLength} characters.`;
    case 'password.tooLong':
      return `The application password must be ${applicationPasswordMaxLength} characters or fewer.`;
    case 'password.ascii':
      return 'Use only half-width letters, digits and symbols in the application password.';
    case 'password.weak':
      return 'Use at least two of letters, digits and symbols in the application password.';
    case 'password.mismatch':
      return 'The two application passwords do not match. Enter the same password twice.';
  }
}

const formFieldSet: ReadonlySet<string> = new Set(Object.keys(subjects).filter((f) => !f.startsWith('applicationPassword')));
const isFormField = (field: MessageFieldName): field is FieldName => formFieldSet.has(field);

/**
 * The message for `code` on `field`, naming the field (WCAG 3.3.1, 3.3.3) and, for a
 * refused character, which one and what to type instead (issue #9).
 */
export function errorMessage(code: MessageCode, field: MessageFieldName, lang: Lang, value = ''): string {
  return lang === 'ja' ? messageJa(code, field, value) : messageEn(code, field, value);
}
