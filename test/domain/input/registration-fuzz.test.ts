/**
 * Properties of the form's pure parts (the hardening issue's fuzz suite): every field
 * normaliser is idempotent, a valid form survives being posted back as shown, and the RA
 * never keeps a value longer than its field allows.
 *
 * Fixed seed; replay another with FUZZ_SEED=<n>. fast-check prints the seed, the path and
 * the shrunk counterexample of a failure.
 */
import fc from 'fast-check';
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
import { prefectures } from '../../../src/domain/input/prefectures.js';
import {
  fieldNames,
  lockedFieldNames,
  makeCouponNumber,
  parseRegistration,
  registrationFields,
  type FieldName,
} from '../../../src/domain/input/registration.js';
import { prepareRegistration } from '../../../src/ra/prepare-registration.js';
import { fuzzSeedFrom } from '../../support/fuzz-seed.js';

const seed = fuzzSeedFrom(process.env['FUZZ_SEED']);
const runs = { normaliser: 3000, roundTrip: 500, bounded: 500 };

const count = (s: string) => [...s].length;

// ---------------------------------------------------------------------------
// Input as people (and scripts) type it

/**
 * Characters the normalisers treat specially, weighted over anything else: digits in
 * both widths, every dash and space they know, 〒, half-width kana and the loose voiced
 * marks, combining marks, compatibility characters NFKC rewrites, ASCII letters, @, and
 * what the request decoder hands over for broken input (U+FFFD, NUL, lone surrogates).
 */
const interesting = [
  ...'0123456789０１２３４５６７８９',
  ...'-‐‑‒–—―−─ー﹣－ｰ',
  ' ', '\u3000', '\t', '\n', '\u00A0', '\u2003', '\uFEFF', '\u2028',
  ...'()（）〒〶',
  ...'ｶｷﾀﾊﾍｳﾞﾟ゛゜', '\u3099', '\u309A',
  ...'かがはぱゝゞゟアカガヽヾヴ',
  ...'aAzZＡｚ@＠._+',
  '¨', '\u0301', 'é', 'e', 'İ', 'K', '\u212A', 'ß', 'ﬁ', '①', '㈱', 'Ⅱ',
  ...'髙﨑侮', '\uFA30', '𠮷',
  '\uFFFD', '\u0000', '\uD800', '\uDC00',
];
const inputChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...interesting) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
);
const typed = (maxLength: number) => fc.array(inputChar, { maxLength }).map((chars) => chars.join(''));

// ---------------------------------------------------------------------------

const normalisers = {
  trimSpaces,
  normaliseName,
  normaliseDigits,
  normalisePhone,
  normalisePostalCode,
  normaliseCouponPart,
  normaliseTdbCode,
  normaliseKana,
  normaliseFullWidthText,
  normaliseRomajiText,
  normaliseEmail,
} satisfies Record<string, (s: string) => string>;

describe(`field normalisers (seed ${seed})`, () => {
  for (const [name, normalise] of Object.entries(normalisers)) {
    it(`${name} gives its own output back unchanged`, () => {
      fc.assert(
        fc.property(typed(12), (s) => {
          const once = normalise(s);
          expect(normalise(once)).toBe(once);
        }),
        { seed, numRuns: runs.normaliser },
      );
    });
  }

  it('every registration field normalises to a value it keeps when posted again', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fieldNames), typed(12), (field, s) => {
        const { normalise } = registrationFields[field];
        const once = normalise(s);
        expect(normalise(once)).toBe(once);
      }),
      { seed, numRuns: runs.normaliser },
    );
  });
});

// ---------------------------------------------------------------------------
// Valid forms, typed loosely: what the normalisers accept and then must keep

const join = (arb: fc.Arbitrary<string[]>) => arb.map((parts) => parts.join(''));
const pieces = (alphabet: readonly string[], minLength: number, maxLength: number) => join(fc.array(fc.constantFrom(...alphabet), { minLength, maxLength }));

const kanji = [...'八重洲商事株式会社東京都中央区日本辺理沙野太郎花子髙﨑山田渡邊齋藤'];
const nameJa = fc.oneof(pieces(kanji, 1, 6), fc.tuple(pieces(kanji, 1, 3), fc.constantFrom(' ', '\u3000', '・'), pieces(kanji, 1, 3)).map((p) => p.join('')));
/** Kana as typed: half-width, hiragana, katakana; normaliseKana makes full-width katakana of it. */
const kanaInput = pieces(['ヤ', 'エ', 'ス', 'ショ', 'ウ', 'ジ', 'ガ', 'ー', 'ｶﾞ', 'ﾀﾛｳ', 'ﾊﾟ', 'やま', 'だ', 'ゞ', 'ヴ'], 1, 8);
const orgNameEn = join(fc.array(fc.constantFrom('Yaesu', 'Shoji', 'Co.,', 'Ltd.', '3M', '&', '(Japan)', "O'Neil", 'K/K'), { minLength: 1, maxLength: 5 }).map((words) => [['Minato', ...words].join(' ')]));
const personNameEn = pieces(['Taro', 'Heno', 'O', "'", 'Mc', '-', '.', 'Ann', 'Lee'], 1, 4).filter((s) => /[A-Za-z]/.test(s));
/** 全角 text: the seed's own examples mix full-width text with half-width digits. */
const text = (maxPieces: number) => pieces([...'東京都中央区八重洲ビル階号', '2-8-1', '－', '1F', 'ｶﾞ', '（株）', '　'], 1, maxPieces).map((s) => `中${s}`);
const romaji = pieces(['Senior', ' ', 'Manager', ',', '.', 'Dept', '&', '(1)', '/', "'", '-'], 1, 8).filter((s) => /[A-Za-z0-9]/.test(s.trim()));

/** Digits as people type them: some full-width, with hyphens or spaces between groups. */
const looseDigits = (digits: fc.Arbitrary<string>) =>
  fc.tuple(digits, fc.boolean(), fc.constantFrom('', '-', '－', ' ', 'ー')).map(([d, isWide, sep]) => {
    const shown = isWide ? [...d].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('') : d;
    return shown.length > 4 ? `${shown.slice(0, 3)}${sep}${shown.slice(3, 7)}${sep}${shown.slice(7)}` : shown;
  });
const digitString = (min: number, max: number) => join(fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }));
const phone = looseDigits(digitString(9, 10).map((d) => `0${d}`));
const postalCode = fc.tuple(fc.constantFrom('', '〒'), looseDigits(digitString(7, 7))).map(([mark, d]) => `${mark}${d}`);
const email = fc
  .tuple(pieces(['taro', '_', 'veri', '.x', '+tag', 'A1'], 1, 4), fc.constantFrom('@', '＠'), fc.constantFrom('example.co.jp', 'Example.JP', 'mail.example.com'))
  .filter(([local]) => !local.startsWith('.'))
  .map((p) => p.join(''));
const coupon = digitString(15, 15).map(makeCouponNumber);
const couponFields = fc.tuple(coupon, fc.constantFrom('split', 'pasted', 'spaced')).map(([n, how]) => {
  switch (how) {
    case 'split':
      return { couponPart1: n.slice(0, 8), couponPart2: n.slice(8) };
    case 'pasted':
      return { couponPart1: n, couponPart2: '' };
    case 'spaced':
      return { couponPart1: ` ${n.slice(0, 4)}-${n.slice(4, 8)} `, couponPart2: n.slice(8) };
  }
});
const optional = (arb: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), arb);

/** A complete form that the rules accept, typed the loose ways they allow. */
const validRaw = fc
  .record({
    tdbCode: optional(digitString(1, 9)),
    orgNameJa: nameJa,
    orgNameKana: kanaInput,
    orgNameEn,
    hqAddress: text(8),
    hqPhone: phone,
    representativeLastName: nameJa,
    representativeFirstName: nameJa,
    lastNameJa: nameJa,
    firstNameJa: nameJa,
    lastNameKana: kanaInput,
    firstNameKana: kanaInput,
    lastNameEn: personNameEn,
    firstNameEn: personNameEn,
    email,
    titleJa: optional(text(4)),
    departmentJa: text(4),
    titleRomaji: optional(romaji),
    postalCode,
    prefecture: fc.constantFrom(...prefectures.map((p) => p.nameJa)),
    city: text(4),
    street: text(4),
    building: optional(text(4)),
    phone,
    proxyMode: fc.constantFrom('entered', 'none'),
    proxyLastNameJa: nameJa,
    proxyFirstNameJa: nameJa,
    proxyLastNameKana: kanaInput,
    proxyFirstNameKana: kanaInput,
    proxyDepartment: optional(text(4)),
    proxyPhone: phone,
  })
  .chain((fields) => couponFields.map((c) => ({ ...fields, ...c })));

describe(`${parseRegistration.name} (seed ${seed})`, () => {
  it('keeps a valid form valid, and the same, when its values are posted back as the form shows them', () => {
    fc.assert(
      fc.property(validRaw, fc.boolean(), (raw, lockedNames) => {
        const first = parseRegistration(raw, { lockedNames });
        if (!first.ok) throw new Error(`the generator made an invalid form: ${JSON.stringify(first.errors)}`);
        const again = parseRegistration(first.values, { lockedNames });
        expect(again.ok).toBe(true);
        expect(again.values).toEqual(first.values);
        if (again.ok) expect(again.value).toEqual(first.value);
      }),
      { seed, numRuns: runs.roundTrip },
    );
  });
});

// ---------------------------------------------------------------------------

/** Anything at all in any field, up to a few hundred code points (astral ones count once). */
const anyValue = fc.oneof(
  typed(20),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('a', '𠮷', 'ｶﾞ', '0', ' ', '\u3099', '－'), fc.integer({ min: 0, max: 400 })).map(([c, n]) => c.repeat(n)),
);
const anyForm = fc.dictionary(fc.constantFrom(...fieldNames, 'applicationPassword', 'applicationPasswordConfirm'), anyValue);

describe(`${prepareRegistration.name} (seed ${seed})`, () => {
  it('never returns a value longer than its field allows, whatever was posted', () => {
    const storedRegistration = validRaw.map((raw) => {
      const parsed = parseRegistration(raw, { lockedNames: false });
      if (!parsed.ok) throw new Error('the generator made an invalid form');
      return parsed.value.registration as unknown as Record<string, string>;
    });
    fc.assert(
      fc.property(
        fc.constantFrom('new', 'renewal'),
        fc.oneof(anyForm, validRaw.chain((valid) => anyForm.map((noise) => ({ ...valid, ...noise })))),
        storedRegistration,
        fc.option(fc.string({ maxLength: 70 }), { nil: undefined }),
        (kind, raw, stored, draftPassword) => {
          const prepared = prepareRegistration({ kind, raw, stored: kind === 'renewal' ? stored : undefined, draftPassword });
          for (const field of fieldNames) {
            expect(count(prepared.values[field]), field).toBeLessThanOrEqual(registrationFields[field].maxLength);
          }
          if (kind === 'renewal') {
            for (const field of lockedFieldNames) expect(prepared.values[field]).toBe(stored[field] ?? '');
          }
          if (prepared.ok) {
            for (const [field, value] of Object.entries(prepared.value.registration)) {
              expect(count(value), field).toBeLessThanOrEqual(registrationFields[field as FieldName].maxLength);
            }
          }
        },
      ),
      { seed, numRuns: runs.bounded },
    );
  });
});

// ---------------------------------------------------------------------------

/**
 * The smallest inputs the idempotence properties above found. Each shows one cause; the
 * other digit normalisers fail through normaliseDigits.
 */
describe('defects found by fuzzing', () => {
  it('normaliseDigits composes a voiced mark the first time, not only the second (separator between kana and mark)', () => {
    // NFKC runs before the separators go, so カ + U+3099 meet only afterwards, uncomposed.
    const once = normaliseDigits('カ \u3099');
    expect(normaliseDigits(once)).toBe(once);
  });

  it('normalisePostalCode drops a repeated leading 〒 in one pass', () => {
    const once = normalisePostalCode('〒〒1040028');
    expect(normalisePostalCode(once)).toBe(once);
  });

  it('normaliseKana leaves no full-width space at the edge that a second pass trims (NFKC of ¨ starts with a space)', () => {
    const once = normaliseKana('\u00A8');
    expect(normaliseKana(once)).toBe(once);
  });
});
