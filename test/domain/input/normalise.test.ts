import { describe, expect, it } from 'vitest';
import {
  normaliseCouponPart,
  normaliseDigits,
  normaliseEmail,
  normaliseFullWidthText,
  normaliseKana,
  normaliseName,
  normalisePhone,
  normalisePostalCode,
  normaliseRomajiText,
  normaliseTdbCode,
  trimSpaces,
} from '../../../src/domain/input/normalise.js';

describe(trimSpaces.name, () => {
  it('strips surrounding half- and full-width spaces and keeps inner ones', () => {
    expect(trimSpaces(' \u3000辺野　太郎\t\u3000 ')).toBe('辺野　太郎');
  });
});

describe(normaliseName.name, () => {
  it('keeps 髙 and 﨑 byte for byte', () => {
    expect(normaliseName('髙﨑')).toBe('\u9AD9\uFA11');
  });

  it('leaves compatibility ideographs and full-width letters as typed', () => {
    expect(normaliseName('\uFA30')).toBe('\uFA30');
    expect(normaliseName('Ｔａｒｏ')).toBe('Ｔａｒｏ');
    expect(normaliseName('ﾀﾛｳ')).toBe('ﾀﾛｳ');
  });

  it('only trims surrounding spaces', () => {
    expect(normaliseName('\u3000日本辺 ')).toBe('日本辺');
  });
});

describe(normaliseDigits.name, () => {
  it('turns "０３-３２７１-７０１１" into "0332717011"', () => {
    expect(normaliseDigits('０３-３２７１-７０１１')).toBe('0332717011');
  });

  it.each([
    ['hyphen-minus', '-'],
    ['hyphen', '\u2010'],
    ['non-breaking hyphen', '\u2011'],
    ['minus sign', '\u2212'],
    ['en dash', '\u2013'],
    ['em dash', '\u2014'],
    ['horizontal bar', '\u2015'],
    ['long vowel mark', 'ー'],
    ['half-width long vowel mark', 'ｰ'],
    ['full-width hyphen-minus', '－'],
    ['half-width space', ' '],
    ['full-width space', '\u3000'],
  ])('removes a %s between digits', (_label, dash) => {
    expect(normaliseDigits(`03${dash}3271${dash}7011`)).toBe('0332717011');
  });

  it('leaves letters in place for validation to reject', () => {
    expect(normaliseDigits('03-ABCD')).toBe('03ABCD');
  });
});

describe(normalisePhone.name, () => {
  it('also removes the parentheses of 03(3271)7011', () => {
    expect(normalisePhone('03(3271)7011')).toBe('0332717011');
    expect(normalisePhone('０３（３２７１）７０１１')).toBe('0332717011');
  });
});

describe(normalisePostalCode.name, () => {
  it('removes the hyphen and a leading postal mark', () => {
    expect(normalisePostalCode('104-0028')).toBe('1040028');
    expect(normalisePostalCode('〒１０４ー００２８')).toBe('1040028');
  });
});

describe(normaliseCouponPart.name, () => {
  it('folds full-width digits and drops spaces and dashes', () => {
    expect(normaliseCouponPart(' １２３４ ５６７８ ')).toBe('12345678');
  });
});

describe(normaliseTdbCode.name, () => {
  it('folds full-width digits and drops dashes', () => {
    expect(normaliseTdbCode('９８７-６５４-３２１')).toBe('987654321');
  });
});

describe(normaliseKana.name, () => {
  it('converts half-width katakana, including voiced and semi-voiced marks, to full-width', () => {
    expect(normaliseKana('ﾍﾞﾘ ﾀﾛｳ')).toBe('ベリ　タロウ');
    expect(normaliseKana('ﾊﾟｰｸ')).toBe('パーク');
  });

  it('converts hiragana to katakana', () => {
    expect(normaliseKana('さいん はなこ')).toBe('サイン　ハナコ');
    expect(normaliseKana('いすゞ')).toBe('イスヾ');
  });

  it('composes decomposed and stand-alone voiced marks', () => {
    expect(normaliseKana('ヘ\u3099リ')).toBe('ベリ');
    expect(normaliseKana('カ゛')).toBe('ガ');
  });

  it.each(['ｰ', '-', '\u2212', '\u2010', '－', '\u2014', '\u2500'])('turns %s into the long vowel mark ー', (dash) => {
    expect(normaliseKana(`ジョ${dash}ジ`)).toBe('ジョージ');
  });

  it('collapses runs of half- and full-width spaces into one full-width space and trims the ends', () => {
    expect(normaliseKana('\u3000ベリ  \u3000 タロウ ')).toBe('ベリ　タロウ');
  });

  it('leaves kanji alone for validation to reject', () => {
    expect(normaliseKana('辺野')).toBe('辺野');
  });
});

describe(normaliseFullWidthText.name, () => {
  it('keeps half-width digits and letters as typed', () => {
    expect(normaliseFullWidthText('八重洲2-8-1')).toBe('八重洲2-8-1');
    expect(normaliseFullWidthText('日東ビル13F')).toBe('日東ビル13F');
  });

  it('converts half-width katakana to full-width', () => {
    expect(normaliseFullWidthText('ﾆｯﾄｳﾋﾞﾙ')).toBe('ニットウビル');
  });

  it('composes decomposed characters (NFC) and trims surrounding spaces', () => {
    expect(normaliseFullWidthText('\u3000ヒ\u3099ル ')).toBe('ビル');
  });
});

describe(normaliseRomajiText.name, () => {
  it('folds full-width letters, digits, symbols and spaces to ASCII', () => {
    expect(normaliseRomajiText('Ｓｅｎｉｏｒ　Ｍａｎａｇｅｒ，　Ｄｅｐｔ．２')).toBe('Senior Manager, Dept.2');
  });

  it('trims spaces left at the ends after folding', () => {
    expect(normaliseRomajiText('\u3000Manager\u3000')).toBe('Manager');
  });
});

describe(normaliseEmail.name, () => {
  it('folds a full-width @ and letters, and lower-cases only the domain', () => {
    expect(normaliseEmail(' Taro_Veri＠Example.CO.JP ')).toBe('Taro_Veri@example.co.jp');
  });

  it('leaves a value without @ as trimmed text for validation to reject', () => {
    expect(normaliseEmail(' Taro ')).toBe('Taro');
  });
});
