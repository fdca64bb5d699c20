/**
 * Per-field normalisers for the application/renewal form (SPEC §3).
 *
 * SPEC §3: "Normalise what is unambiguous … rather than reject it: NFKC per field plus
 * a maintained converter (jaconv); each field gets its own dash map (NFKC leaves
 * ー ‐ − 〜 alone). Never normalise personal or organisation names." Each exported
 * function below belongs to one kind of field; registration.ts says which field uses which.
 * All of them are pure and total: they never reject, validation comes afterwards.
 */
import jaconvImport from 'jaconv';

/**
 * jaconv ships its types beside the CommonJS build, so under NodeNext TypeScript types
 * the default import as the whole CommonJS module (`.default` holding the converters),
 * while Node and Vite load the ESM build, whose default export is the converters.
 * Accept either shape.
 */
type Jaconv = typeof jaconvImport.default;
const jaconv: Jaconv =
  (jaconvImport as unknown as { default?: Jaconv }).default ?? (jaconvImport as unknown as Jaconv);

/**
 * Strips surrounding white space, half- and full-width (U+0020, U+3000, tabs, NBSP …).
 * `String.prototype.trim` removes every Unicode White_Space character plus U+FEFF.
 */
/**
 * `step` applied until the text no longer changes (at most a few times): removing a
 * separator can bring a combining mark next to its base, and NFKC then composes it; a
 * second pass must find nothing left to do (a property test holds every normaliser to it).
 */
function settled(s: string, step: (value: string) => string): string {
  let out = step(s);
  for (let i = 0; i < 4; i++) {
    const again = step(out);
    if (again === out) return out;
    out = again;
  }
  return out;
}

export function trimSpaces(s: string): string {
  return s.trim();
}

/**
 * Personal and organisation names are only trimmed: NFC/NFKC would rewrite compatibility
 * ideographs (U+FA30 侮 → U+4FAE 侮) and the subject name must be what the person typed
 * (SPEC §3). 髙 (U+9AD9) and 﨑 (U+FA11) therefore come out byte for byte.
 */
export function normaliseName(s: string): string {
  return trimSpaces(s);
}

/**
 * Characters that people type for a hyphen or a long vowel mark. NFKC folds － (U+FF0D),
 * ﹣ (U+FE63) and ｰ (U+FF70) but leaves ‐ ‑ ‒ – — ― − ー ─ alone, so we list them all.
 */
const dashLike = '\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u30FC\uFE63\uFF0D\uFF70';

const digitSeparators = new RegExp(`[${dashLike}\\s]`, 'gu');

/**
 * Number-only fields (phone, postal code, coupon, TDB code): NFKC turns full-width digits
 * into ASCII ("０３" → "03"), then hyphen-like dashes and spaces are removed, so
 * "０３-３２７１-７０１１" becomes "0332717011".
 */
export function normaliseDigits(s: string): string {
  return settled(s, (v) => trimSpaces(v).normalize('NFKC').replace(digitSeparators, ''));
}

/**
 * Phone numbers: as {@link normaliseDigits}, and also drops the parentheses of the
 * common Japanese notation "03(3271)7011", which is equally unambiguous.
 */
export function normalisePhone(s: string): string {
  return settled(s, (v) => normaliseDigits(v).replace(/[()]/gu, ''));
}

/** Postal codes: as {@link normaliseDigits}, and a leading postal mark 〒 is dropped. */
export function normalisePostalCode(s: string): string {
  return settled(s, (v) => normaliseDigits(v).replace(/^〒+/u, ''));
}

/** One 8-digit box of the coupon number. */
export function normaliseCouponPart(s: string): string {
  return normaliseDigits(s);
}

/** Teikoku Databank company code (optional digits). */
export function normaliseTdbCode(s: string): string {
  return normaliseDigits(s);
}

/** Dash variants that mean the long vowel mark ー inside a kana field. */
const kanaLongVowelVariants = new RegExp(`[${dashLike}]`, 'gu');

/**
 * Kana fields (カナ): half-width katakana → full-width (jaconv), decomposed or
 * stand-alone voiced marks composed (NFKC), hiragana → katakana, dash variants → ー, and
 * every run of spaces → one full-width space. "ﾍﾞﾘ  たろう" → "ベリ　タロウ".
 */
export function normaliseKana(s: string): string {
  return settled(s, kanaStep);
}

function kanaStep(s: string): string {
  const fullWidth = jaconv
    .toZenKana(trimSpaces(s))
    // jaconv turns a lone ﾞ/ﾟ into the spacing ゛/゜; NFKC would then insert a space
    // before the combining mark. The combining form composes with the preceding kana.
    .replace(/\u309B/gu, '\u3099')
    .replace(/\u309C/gu, '\u309A')
    .normalize('NFKC');
  return trimSpaces(
    jaconv
      .toKatakana(fullWidth)
      .replace(/\u309D/gu, '\u30FD') // ゝ → ヽ (jaconv stops at ゖ)
      .replace(/\u309E/gu, '\u30FE') // ゞ → ヾ
      .replace(kanaLongVowelVariants, 'ー')
      // NFKC can put a space where there was none (¨ → space + mark): trimmed again here.
      .replace(/\s+/gu, '\u3000'),
  );
}

/**
 * Full-width (全角) text fields: addresses, department, title, building. Half-width
 * katakana becomes full-width and the text is NFC-composed; half-width digits and
 * letters stay as typed (the seed's own example is 「八重洲2-8-1」).
 */
export function normaliseFullWidthText(s: string): string {
  return settled(s, normaliseFullWidthTextStep);
}

function normaliseFullWidthTextStep(s: string): string {
  return jaconv.toZenKana(trimSpaces(s)).normalize('NFC');
}

/**
 * Romaji (half-width) text: the romaji title/department. NFKC folds full-width letters,
 * digits, symbols and the full-width space to ASCII; validation follows.
 */
export function normaliseRomajiText(s: string): string {
  return settled(s, normaliseRomajiTextStep);
}

function normaliseRomajiTextStep(s: string): string {
  return trimSpaces(trimSpaces(s).normalize('NFKC'));
}

/**
 * Email: trimmed, NFKC (full-width ＠ and letters → ASCII), domain lower-cased. The local
 * part keeps its case: RFC 5321 §2.4 lets the receiving host treat it case-sensitively.
 */
export function normaliseEmail(s: string): string {
  return settled(s, normaliseEmailStep);
}

function normaliseEmailStep(s: string): string {
  const folded = trimSpaces(trimSpaces(s).normalize('NFKC'));
  const at = folded.lastIndexOf('@');
  if (at < 0) {
    return folded;
  }
  return folded.slice(0, at + 1) + folded.slice(at + 1).toLowerCase();
}
