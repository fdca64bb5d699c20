import { describe, expect, it } from 'vitest';
import {
  fieldMaxLengths,
  fieldNames,
  lockedFieldNames,
  parseRegistration,
  proxyFieldNames,
  type ErrorCode,
  type FieldErrors,
  type FieldName,
} from '../../../src/domain/input/registration.js';
import { validForm } from './fixtures.js';

type Raw = Record<string, string | undefined>;

const parse = (overrides: Raw = {}) => parseRegistration({ ...validForm, ...overrides }, { lockedNames: false });
const parseRenewal = (overrides: Raw = {}) => parseRegistration({ ...validForm, ...overrides }, { lockedNames: true });

/** The errors for a form that differs from the valid one by `overrides` ({} when valid). */
const errorsOf = (overrides: Raw, lockedNames = false): FieldErrors => {
  const result = parseRegistration({ ...validForm, ...overrides }, { lockedNames });
  return result.ok ? {} : result.errors;
};

const errorOf = (field: FieldName, value: string): ErrorCode | undefined => errorsOf({ [field]: value })[field];

const requiredFields: readonly FieldName[] = [
  'orgNameJa',
  'orgNameKana',
  'orgNameEn',
  'hqAddress',
  'hqPhone',
  'representativeLastName',
  'representativeFirstName',
  'lastNameJa',
  'firstNameJa',
  'lastNameKana',
  'firstNameKana',
  'lastNameEn',
  'firstNameEn',
  'email',
  'departmentJa',
  'postalCode',
  'prefecture',
  'city',
  'street',
  'phone',
  'couponPart1',
  'couponPart2',
  'proxyMode',
];

describe(parseRegistration.name, () => {
  describe('a complete form', () => {
    it('accepts the seed example and returns the registration and the 16-digit coupon number', () => {
      const result = parse();
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.couponNumber).toBe('4111111111111111');
      expect(result.value.registration).toEqual({
        orgNameJa: '八重洲商事株式会社',
        orgNameKana: 'ヤエスショウジカブシキガイシャ',
        orgNameEn: 'Yaesu Shoji Co., Ltd.',
        hqAddress: '東京都中央区八重洲2-8-1',
        hqPhone: '0332717011',
        representativeLastName: '日本辺',
        representativeFirstName: '理沙',
        lastNameJa: '辺野',
        firstNameJa: '太郎',
        lastNameKana: 'ヘノ',
        firstNameKana: 'タロウ',
        lastNameEn: 'Heno',
        firstNameEn: 'Taro',
        email: 'taro_veri@example.co.jp',
        titleJa: '部長',
        departmentJa: '経理部',
        titleRomaji: 'Senior Manager, Accounting Dept.',
        postalCode: '1040028',
        prefecture: '東京都',
        city: '中央区',
        street: '八重洲2-8-1',
        building: '日東ビル13F',
        phone: '0350001111',
        proxyMode: 'entered',
        proxyLastNameJa: '左院',
        proxyFirstNameJa: '花子',
        proxyLastNameKana: 'サイン',
        proxyFirstNameKana: 'ハナコ',
        proxyDepartment: '経理部',
        proxyPhone: '0330001111',
      });
    });

    it('returns the normalised values on success too, one per field name', () => {
      const result = parse({ phone: '０３-５０００-１１１１' });
      expect(result.ok).toBe(true);
      expect(Object.keys(result.values)).toEqual([...fieldNames]);
      expect(result.values.phone).toBe('0350001111');
    });

    it('never puts the coupon number into the registration', () => {
      const result = parse();
      if (!result.ok) throw new Error('expected a valid form');
      expect(Object.keys(result.value.registration).some((k) => k.startsWith('coupon'))).toBe(false);
    });

    it('leaves empty optional fields out of the registration', () => {
      const result = parse({ tdbCode: '', titleJa: '', titleRomaji: '', building: '', proxyDepartment: '' });
      if (!result.ok) throw new Error('expected a valid form');
      const registration = result.value.registration;
      for (const key of ['tdbCode', 'titleJa', 'titleRomaji', 'building', 'proxyDepartment']) {
        expect(key in registration).toBe(false);
      }
    });

    it('treats a missing key like an empty field', () => {
      const { titleJa: _titleJa, ...withoutTitle } = validForm;
      expect(parseRegistration(withoutTitle, { lockedNames: false }).ok).toBe(true);
    });
  });

  describe('required fields', () => {
    it.each(requiredFields)('reports field.required when %s is empty', (field) => {
      expect(errorOf(field, '')).toBe('field.required');
    });

    it('reports field.required for a value of only half- and full-width spaces', () => {
      expect(errorOf('departmentJa', ' \u3000 ')).toBe('field.required');
      expect(errorOf('lastNameJa', '\u3000')).toBe('field.required');
    });

    it('reports every failing field at once and keeps every value as typed', () => {
      const result = parse({ email: 'not-an-address', phone: '', city: '中央区' });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toEqual({ email: 'email.format', phone: 'field.required' });
      expect(result.values.email).toBe('not-an-address');
      expect(result.values.city).toBe('中央区');
      expect(result.values.orgNameJa).toBe('八重洲商事株式会社');
    });

    it('accepts 「なし」 as the department of someone without one', () => {
      expect(errorOf('departmentJa', 'なし')).toBeUndefined();
    });
  });

  describe('maximum lengths', () => {
    const sample = (field: FieldName): string => {
      if (field === 'email') return 'a';
      if (field.endsWith('Kana')) return 'ア';
      if (field.endsWith('En') || field === 'titleRomaji') return 'a';
      return '髙';
    };
    const limited = Object.entries(fieldMaxLengths).filter(([field]) => field !== 'email') as [FieldName, number][];

    it.each(limited)('accepts %s at exactly %i characters and refuses one more', (field, max) => {
      expect(errorOf(field, sample(field).repeat(max))).toBeUndefined();
      expect(errorOf(field, sample(field).repeat(max + 1))).toBe('field.tooLong');
    });

    it('counts code points, so 40 supplementary-plane ideographs fit a 40-character name', () => {
      const name = '𠮷'.repeat(40);
      expect(name.length).toBe(80);
      expect(errorOf('lastNameJa', name)).toBeUndefined();
      expect(errorOf('lastNameJa', name + '𠮷')).toBe('field.tooLong');
    });

    it('accepts an email address of 254 characters and refuses 255', () => {
      const domain = (lastLabel: number) => `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(lastLabel)}.jp`;
      const at254 = `${'a'.repeat(64)}@${domain(58)}`;
      expect(at254).toHaveLength(254);
      expect(errorOf('email', at254)).toBeUndefined();
      expect(errorOf('email', `${'a'.repeat(64)}@${domain(59)}`)).toBe('field.tooLong');
    });
  });

  describe('personal and organisation names', () => {
    it('keeps 髙 (U+9AD9) and 﨑 (U+FA11) byte for byte', () => {
      const result = parse({ lastNameJa: '髙﨑', representativeLastName: '山﨑', proxyLastNameJa: '髙橋' });
      if (!result.ok) throw new Error('expected a valid form');
      expect(result.value.registration.lastNameJa).toBe('\u9AD9\uFA11');
      expect(result.value.registration.representativeLastName).toBe('山\uFA11');
      expect(result.value.registration.proxyMode === 'entered' && result.value.registration.proxyLastNameJa).toBe(
        '\u9AD9橋',
      );
    });

    it('does not NFC-normalise a compatibility ideograph in a name', () => {
      // U+FA30 becomes U+4FAE under NFC; the name must stay as typed.
      const result = parse({ firstNameJa: '\uFA30' });
      if (!result.ok) throw new Error('expected a valid form');
      expect(result.value.registration.firstNameJa).toBe('\uFA30');
    });

    it('trims surrounding full-width spaces from a name and nothing else', () => {
      const result = parse({ lastNameJa: '\u3000辺野 ', orgNameJa: ' 八重洲　商事 ' });
      expect(result.values.lastNameJa).toBe('辺野');
      expect(result.values.orgNameJa).toBe('八重洲　商事');
    });

    it.each([
      ['an ideographic variation sequence', '葛\u{E0100}城'],
      ['a supplementary-plane ideograph', '𠮷田'],
      ['々 〆 ヶ', '佐々木〆ヶ'],
      ['hiragana and katakana', 'さくら・マリア'],
      ['Latin letters', 'Smith'],
      ['an internal space', 'ジョン スミス'],
    ])('accepts %s in a Japanese name', (_label, name) => {
      expect(errorOf('firstNameJa', name)).toBeUndefined();
    });

    it.each([
      ['an emoji', '太郎😀'],
      ['an emoji ZWJ sequence', '太郎👨\u200D👩'],
      ['a private-use character', '太\uE000郎'],
      ['a control character', '太郎\u0007'],
      ['a zero-width space (format)', '太\u200B郎'],
      ['an unassigned code point', '太\u0378郎'],
      ['a squared katakana symbol', '㌀'],
      ['a circled katakana symbol', '㋐'],
      ['digits', '太郎2'],
      ['a lone surrogate', '太\uD800郎'],
    ])('rejects %s in a Japanese name with name.invalidCharacters', (_label, name) => {
      expect(errorOf('firstNameJa', name)).toBe('name.invalidCharacters');
      expect(errorOf('representativeFirstName', name)).toBe('name.invalidCharacters');
      expect(errorOf('proxyFirstNameJa', name)).toBe('name.invalidCharacters');
    });

    it('accepts digits and company punctuation in an organisation name', () => {
      expect(errorOf('orgNameJa', 'セブン＆アイ・ホールディングス株式会社')).toBeUndefined();
      expect(errorOf('orgNameJa', '株式会社3M(ジャパン)')).toBeUndefined();
    });

    it('rejects emoji and private-use characters in an organisation name', () => {
      expect(errorOf('orgNameJa', '八重洲商事🏢')).toBe('name.invalidCharacters');
      expect(errorOf('orgNameJa', '\uE001商事')).toBe('name.invalidCharacters');
    });
  });

  describe('kana fields', () => {
    it('converts half-width katakana and hiragana to full-width katakana', () => {
      const result = parse({ lastNameKana: 'ﾍﾉ', firstNameKana: 'たろう' });
      expect(result.ok).toBe(true);
      expect(result.values.lastNameKana).toBe('ヘノ');
      expect(result.values.firstNameKana).toBe('タロウ');
    });

    it('accepts ー, ・ and a full-width space', () => {
      expect(errorOf('orgNameKana', 'ニホン　ジョーンズ・カブシキガイシャ')).toBeUndefined();
    });

    it.each([
      ['kanji', '辺野'],
      ['Latin letters', 'Heno'],
      ['digits', 'ヘノ1'],
      ['an emoji', 'ヘノ😀'],
    ])('rejects %s with kana.katakanaOnly', (_label, value) => {
      expect(errorOf('lastNameKana', value)).toBe('kana.katakanaOnly');
      expect(errorOf('proxyLastNameKana', value)).toBe('kana.katakanaOnly');
    });
  });

  describe('English names', () => {
    it.each(["O'Brien", 'Mary-Jane', 'St. John', 'van der Berg'])('accepts %s', (name) => {
      expect(errorOf('lastNameEn', name)).toBeUndefined();
    });

    it.each(['太郎', 'Taro1', 'Taro!', 'Zoë', '---', 'Ｔａｒｏ'])('rejects %s with romaji.invalidCharacters', (name) => {
      expect(errorOf('firstNameEn', name)).toBe('romaji.invalidCharacters');
    });

    it('accepts "Co., Ltd." and digits in the English organisation name but not Japanese', () => {
      expect(errorOf('orgNameEn', 'Seven & i Holdings Co., Ltd. (Japan) 3M/A')).toBeUndefined();
      expect(errorOf('orgNameEn', '八重洲商事')).toBe('romaji.invalidCharacters');
      expect(errorOf('orgNameEn', '123')).toBe('romaji.invalidCharacters');
    });
  });

  describe('full-width text fields', () => {
    const textFields: readonly FieldName[] = [
      'hqAddress',
      'titleJa',
      'departmentJa',
      'city',
      'street',
      'building',
      'proxyDepartment',
    ];

    it('tolerates half-width digits and letters, as in the seed example 八重洲2-8-1', () => {
      expect(errorOf('street', '八重洲2-8-1')).toBeUndefined();
      expect(errorOf('building', '日東ビル13F')).toBeUndefined();
    });

    it('converts half-width katakana to full-width', () => {
      expect(parse({ building: 'ﾆｯﾄｳﾋﾞﾙ13F' }).values.building).toBe('ニットウビル13F');
    });

    it.each(textFields)('rejects emoji, private-use, control and format characters in %s', (field) => {
      for (const bad of ['経理😀', '経\uE000理', '経理\t部', '経\n理', '経\u200D理', '🇯🇵', '経\uD800理', '経\u0378理']) {
        expect(errorOf(field, bad)).toBe('text.invalidCharacters');
      }
    });
  });

  describe('phone numbers', () => {
    it.each(['hqPhone', 'phone', 'proxyPhone'] as const)('accepts 10 and 11 digits starting with 0 in %s', (field) => {
      expect(errorOf(field, '0332717011')).toBeUndefined();
      expect(errorOf(field, '09012345678')).toBeUndefined();
    });

    it.each([
      ['9 digits', '033271701'],
      ['12 digits', '090123456789'],
      ['a number not starting with 0', '3332717011'],
      ['letters', '03327170aa'],
      ['an international prefix', '+81332717011'],
    ])('rejects %s with phone.format', (_label, value) => {
      expect(errorOf('phone', value)).toBe('phone.format');
    });

    it('normalises full-width digits, hyphens and parentheses rather than rejecting them', () => {
      const result = parse({ hqPhone: '０３-３２７１-７０１１', phone: '03(5000)1111', proxyPhone: '03 3000 1111' });
      expect(result.ok).toBe(true);
      expect(result.values.hqPhone).toBe('0332717011');
      expect(result.values.phone).toBe('0350001111');
      expect(result.values.proxyPhone).toBe('0330001111');
    });
  });

  describe('postal code and prefecture', () => {
    it('strips a hyphen, a postal mark and full-width digits from the postal code', () => {
      expect(parse({ postalCode: '104-0028' }).values.postalCode).toBe('1040028');
      expect(parse({ postalCode: '〒１０４－００２８' }).values.postalCode).toBe('1040028');
      expect(errorOf('postalCode', '〒104-0028')).toBeUndefined();
    });

    it.each(['104002', '10400281', '104OO28'])('rejects %s with postalCode.format', (value) => {
      expect(errorOf('postalCode', value)).toBe('postalCode.format');
    });

    it('accepts each of the 47 prefectures and rejects anything else with prefecture.unknown', () => {
      expect(errorOf('prefecture', '北海道')).toBeUndefined();
      expect(errorOf('prefecture', '沖縄県')).toBeUndefined();
      expect(errorOf('prefecture', '東京')).toBe('prefecture.unknown');
      expect(errorOf('prefecture', 'Tokyo')).toBe('prefecture.unknown');
    });
  });

  describe('email address', () => {
    it.each([
      'taro_veri@example.co.jp',
      'taro.veri+cert@mail.example.com',
      "o'brien@example.jp",
      'x@xn--wgv71a.jp',
    ])('accepts %s', (address) => {
      expect(errorOf('email', address)).toBeUndefined();
    });

    it('folds full-width characters and lower-cases only the domain', () => {
      expect(parse({ email: ' Taro.Veri＠ＥＸＡＭＰＬＥ.CO.JP\u3000' }).values.email).toBe('Taro.Veri@example.co.jp');
    });

    it.each([
      'taro',
      'taro@',
      '@example.jp',
      'taro@localhost',
      'taro..veri@example.jp',
      '.taro@example.jp',
      'taro.@example.jp',
      'taro veri@example.jp',
      '"taro veri"@example.jp',
      '太郎@example.jp',
      'taro@例え.jp',
      'taro@-example.jp',
      'taro@example-.jp',
      'taro@example..jp',
      'taro@example.123',
      'taro@[192.0.2.1]',
      `${'a'.repeat(65)}@example.jp`,
    ])('rejects %s with email.format', (address) => {
      expect(errorOf('email', address)).toBe('email.format');
    });
  });

  describe('coupon number', () => {
    it('normalises full-width digits and stray hyphens in each box', () => {
      const result = parse({ couponPart1: '４１１１-１１１１', couponPart2: ' 1111 1111 ' });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.couponNumber).toBe('4111111111111111');
    });

    it('splits a whole coupon number pasted into the first box', () => {
      const result = parse({ couponPart1: '41111111-11111111', couponPart2: '' });
      expect(result.ok).toBe(true);
      expect(result.values.couponPart1).toBe('41111111');
      expect(result.values.couponPart2).toBe('11111111');
    });

    it.each(['4111111', '411111111', '4111111a'])('rejects %s with coupon.format', (value) => {
      expect(errorOf('couponPart1', value)).toBe('coupon.format');
      expect(errorOf('couponPart2', value)).toBe('coupon.format');
    });

    it('reports coupon.checksum on the first box when the Luhn digit is wrong', () => {
      expect(errorsOf({ couponPart2: '11111112' })).toEqual({ couponPart1: 'coupon.checksum' });
    });

    it('does not add a checksum error when a box is already malformed', () => {
      expect(errorsOf({ couponPart2: '1111111' })).toEqual({ couponPart2: 'coupon.format' });
    });
  });

  describe('optional codes and romaji title', () => {
    it('accepts an empty Teikoku Databank code and 1 to 9 digits', () => {
      expect(errorOf('tdbCode', '')).toBeUndefined();
      expect(errorOf('tdbCode', '1')).toBeUndefined();
      expect(errorOf('tdbCode', '９８７６５４３２１')).toBeUndefined();
    });

    it.each(['9876543210', '12345678A'])('rejects %s with tdbCode.format', (value) => {
      expect(errorOf('tdbCode', value)).toBe('tdbCode.format');
    });

    it("accepts letters, digits, spaces and , . - & ' ( ) / in the romaji title", () => {
      expect(errorOf('titleRomaji', "R&D Dept. (No.2), Sales/Marketing - O'Neil")).toBeUndefined();
    });

    it('folds full-width letters in the romaji title with NFKC', () => {
      expect(parse({ titleRomaji: 'Ｓｅｎｉｏｒ　Ｍａｎａｇｅｒ' }).values.titleRomaji).toBe('Senior Manager');
    });

    it.each(['部長', 'Manager!', 'Manager; Sales', 'Zoë'])('rejects %s with titleRomaji.invalidCharacters', (value) => {
      expect(errorOf('titleRomaji', value)).toBe('titleRomaji.invalidCharacters');
    });
  });

  describe('proxy contact', () => {
    const requiredWhenEntered = proxyFieldNames.filter((f) => f !== 'proxyDepartment');

    it.each(requiredWhenEntered)("requires %s when proxyMode is 'entered'", (field) => {
      expect(errorsOf({ proxyMode: 'entered', [field]: '' })).toEqual({ [field]: 'field.required' });
    });

    it("leaves the proxy's department optional", () => {
      expect(errorsOf({ proxyMode: 'entered', proxyDepartment: '' })).toEqual({});
    });

    it("ignores and clears every proxy field when proxyMode is 'none'", () => {
      const result = parse({
        proxyMode: 'none',
        proxyLastNameJa: '😀',
        proxyFirstNameJa: '',
        proxyLastNameKana: 'abc',
        proxyPhone: '12',
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.registration).toMatchObject({ proxyMode: 'none' });
      for (const field of proxyFieldNames) {
        expect(result.values[field]).toBe('');
        expect(field in result.value.registration).toBe(false);
      }
    });

    it('reports field.required when proxyMode is neither value, and skips the proxy fields', () => {
      expect(errorsOf({ proxyMode: 'maybe', proxyPhone: '12' })).toEqual({ proxyMode: 'field.required' });
    });
  });

  describe('renewal with locked names', () => {
    it('does not read the names from the form and leaves their values empty', () => {
      const result = parseRenewal({ orgNameJa: 'なりすまし株式会社', lastNameJa: '別人' });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      for (const field of lockedFieldNames) {
        expect(result.values[field]).toBe('');
        expect(field in result.value.registration).toBe(false);
      }
    });

    it('does not validate the names, even when they are missing or invalid', () => {
      const blankNames = Object.fromEntries(lockedFieldNames.map((f) => [f, f.endsWith('Ja') ? '😀' : '']));
      expect(errorsOf(blankNames, true)).toEqual({});
    });

    it('still validates every other field', () => {
      expect(errorsOf({ representativeLastName: '', couponPart1: '' }, true)).toEqual({
        representativeLastName: 'field.required',
        couponPart1: 'field.required',
      });
    });
  });
});
