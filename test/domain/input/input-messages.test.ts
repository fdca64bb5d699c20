import { describe, expect, it } from 'vitest';
import {
  errorCodes,
  fieldNames,
  passwordErrorCodes,
  passwordFieldNames,
  titleRomajiSymbols,
} from '../../../src/domain/input/registration.js';
import { errorMessage, fieldHints, fieldLabels } from '../../../src/web/portal/input-messages.js';

const langs = ['ja', 'en'] as const;

describe('fieldLabels', () => {
  it('has a Japanese and an English label for every field', () => {
    for (const field of [...fieldNames, ...passwordFieldNames]) {
      expect(fieldLabels[field].ja).not.toBe('');
      expect(fieldLabels[field].en).not.toBe('');
    }
  });

  it("uses the seed's labels word for word", () => {
    expect(fieldLabels.tdbCode.ja).toBe('帝国データバンク 企業コード');
    expect(fieldLabels.orgNameJa.ja).toBe('組織名(日本語)');
    expect(fieldLabels.orgNameKana.ja).toBe('組織名(カナ-日本語)');
    expect(fieldLabels.orgNameEn.ja).toBe('組織名(英語)');
    expect(fieldLabels.hqAddress.ja).toBe('本社所在地');
    expect(fieldLabels.hqPhone.ja).toBe('本社代表電話番号');
    expect(fieldLabels.representativeLastName.ja).toBe('代表者名 姓');
    expect(fieldLabels.lastNameJa.ja).toBe('お名前(日本語) 姓');
    expect(fieldLabels.firstNameKana.ja).toBe('お名前(カナ-日本語) 名');
    expect(fieldLabels.lastNameEn.ja).toBe('お名前(英語) 姓');
    expect(fieldLabels.email.ja).toBe('電子メールアドレス');
    expect(fieldLabels.titleJa.ja).toBe('役職(日本語)');
    expect(fieldLabels.departmentJa.ja).toBe('部署(日本語)');
    expect(fieldLabels.titleRomaji.ja).toBe('役職/部署(ローマ字)');
    expect(fieldLabels.postalCode.ja).toBe('勤務先住所(郵便番号: 7桁)');
    expect(fieldLabels.prefecture.ja).toBe('勤務先住所(都道府県)');
    expect(fieldLabels.city.ja).toBe('勤務先住所(市区町村)');
    expect(fieldLabels.street.ja).toBe('勤務先住所(地域・番地)');
    expect(fieldLabels.building.ja).toBe('勤務先住所(ビル・マンション名)');
    expect(fieldLabels.phone.ja).toBe('勤務先電話番号');
    expect(fieldLabels.proxyLastNameJa.ja).toBe('代理担当者様お名前(日本語) 姓');
    expect(fieldLabels.proxyDepartment.ja).toBe('代理担当者様部署');
    expect(fieldLabels.proxyPhone.ja).toBe('代理担当者様電話番号');
    expect(fieldLabels.applicationPassword.ja).toBe('申請パスワード');
  });
});

describe('fieldHints', () => {
  it("shows the seed's examples", () => {
    expect(fieldHints.hqAddress?.ja).toBe('(全角 例: 東京都中央区八重洲2-8-1)');
    expect(fieldHints.hqPhone?.ja).toBe('(半角数字 例: 0332717011)');
    expect(fieldHints.postalCode?.ja).toBe('(半角数字 例: 1040028)');
    expect(fieldHints.street?.ja).toBe('(全角 例: 八重洲2-8-1)');
    expect(fieldHints.building?.ja).toBe('(全角 例: 日東ビル13F)');
    expect(fieldHints.titleRomaji?.ja).toBe('(半角英数字と記号 例: Senior Manager, Accounting Dept)');
    expect(fieldHints.proxyLastNameKana?.ja).toBe('(全角カナ 例: サイン ハナコ)');
  });

  it('puts one hint on each family-name / given-name pair, on its first field', () => {
    expect(fieldHints.representativeLastName).toBeDefined();
    expect(fieldHints.representativeFirstName).toBeUndefined();
    expect(fieldHints.proxyFirstNameJa).toBeUndefined();
  });
});

describe(errorMessage.name, () => {
  it.each(langs)('has a message for every form error code on every field in %s', (lang) => {
    for (const code of errorCodes) {
      for (const field of fieldNames) {
        const message = errorMessage(code, field, lang);
        expect(message.length).toBeGreaterThan(10);
        expect(message).not.toMatch(/undefined|\$\{/u);
        expect(message).toMatch(lang === 'ja' ? /。$/u : /\.$/u);
      }
    }
  });

  it.each(langs)('has a message for every password error code on both password fields in %s', (lang) => {
    for (const code of passwordErrorCodes) {
      for (const field of passwordFieldNames) {
        const message = errorMessage(code, field, lang);
        expect(message.length).toBeGreaterThan(10);
        expect(message).toMatch(lang === 'ja' ? /。$/u : /\.$/u);
      }
    }
  });

  it('names the field and the rule, in polite Japanese', () => {
    expect(errorMessage('phone.format', 'phone', 'ja')).toBe(
      '勤務先電話番号は、ハイフンを除いた半角数字10桁または11桁で入力してください。',
    );
    expect(errorMessage('field.required', 'hqAddress', 'ja')).toBe('本社所在地を入力してください。');
    expect(errorMessage('field.required', 'lastNameJa', 'ja')).toBe('お名前(日本語)の姓を入力してください。');
    expect(errorMessage('kana.katakanaOnly', 'proxyFirstNameKana', 'ja')).toBe(
      '代理担当者様お名前(カナ-日本語)の名は全角カタカナで入力してください。',
    );
    expect(errorMessage('field.tooLong', 'city', 'ja')).toBe('勤務先住所の市区町村は60文字以内で入力してください。');
    expect(errorMessage('postalCode.format', 'postalCode', 'ja')).toBe(
      '勤務先住所の郵便番号は、ハイフンを除いた半角数字7桁で入力してください。',
    );
  });

  it('names the field in English too', () => {
    expect(errorMessage('phone.format', 'phone', 'en')).toBe(
      'Enter your workplace phone number as 10 or 11 half-width digits without hyphens.',
    );
    expect(errorMessage('field.required', 'lastNameJa', 'en')).toBe('Enter your family name (Japanese).');
  });

  it('asks to choose, not to type, for the prefecture and the proxy radio', () => {
    expect(errorMessage('field.required', 'prefecture', 'ja')).toBe('勤務先住所の都道府県を選択してください。');
    expect(errorMessage('field.required', 'proxyMode', 'ja')).toContain('選択してください');
  });

  it('tells a subscriber without a department to enter 「なし」', () => {
    expect(errorMessage('field.required', 'departmentJa', 'ja')).toContain('「なし」');
  });

  it('says why a proxy field is required', () => {
    expect(errorMessage('field.required', 'proxyPhone', 'ja')).toBe(
      '代理担当者様情報を入力する場合は、代理担当者様電話番号を入力してください。',
    );
  });

  it('lists every allowed romaji symbol', () => {
    for (const lang of langs) {
      const message = errorMessage('titleRomaji.invalidCharacters', 'titleRomaji', lang);
      for (const symbol of titleRomajiSymbols) {
        expect(message).toContain(symbol);
      }
    }
  });

  it('says an expired coupon has passed its expiry date, and whom to ask', () => {
    expect(errorMessage('coupon.expired', 'couponPart1', 'ja')).toBe(
      'このクーポン番号は有効期限を過ぎているため使用できません。ご購入先のクーポン再販パートナーにお問い合わせください。',
    );
    expect(errorMessage('coupon.expired', 'couponPart1', 'en')).toMatch(/^This coupon number has passed its expiry date.*reseller partner.*\.$/u);
  });

  it('tells apart the confirmation box when it is empty', () => {
    expect(errorMessage('password.required', 'applicationPasswordConfirm', 'ja')).toBe(
      '確認のため、申請パスワードをもう一度入力してください。',
    );
  });
});

describe('messages about refused characters (issue #9)', () => {
  it('names ㈱ in an organisation name and says what to type instead, without jargon', () => {
    const ja = errorMessage('name.invalidCharacters', 'orgNameJa', 'ja', '㈱みなと精機');
    expect(ja).toBe('組織名(日本語)に使用できない文字「㈱」が含まれています。「㈱」は「(株)」のように入力してください。');
    const en = errorMessage('name.invalidCharacters', 'orgNameJa', 'en', '㈱みなと精機');
    expect(en).toContain('“㈱”');
    expect(en).toContain('Type “(株)” for “㈱”');
  });

  it('names an emoji in a name, and lists the characters allowed when there is nothing to suggest', () => {
    const ja = errorMessage('name.invalidCharacters', 'lastNameJa', 'ja', '山田😀');
    expect(ja).toContain('「😀」');
    expect(ja).toContain('漢字・ひらがな・カタカナ・英字で入力してください');
    for (const lang of langs) {
      for (const field of ['orgNameJa', 'lastNameJa', 'hqAddress', 'city'] as const) {
        const message = errorMessage(field === 'hqAddress' || field === 'city' ? 'text.invalidCharacters' : 'name.invalidCharacters', field, lang, '①\u0007😀');
        expect(message).not.toMatch(/外字|制御文字|private-use|control character/);
      }
    }
  });

  it('calls an invisible character what it is rather than printing it', () => {
    const ja = errorMessage('text.invalidCharacters', 'city', 'ja', '中央\u0000区');
    expect(ja).toContain('目に見えない文字');
    expect(ja).not.toContain('\u0000');
  });

  it('suggests the NFKC form where it is allowed: ① → 1, Ⅱ → II', () => {
    expect(errorMessage('name.invalidCharacters', 'orgNameJa', 'ja', '第①工業')).toContain('「①」は「1」のように');
  });
});
