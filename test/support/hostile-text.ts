import fc from 'fast-check';

/*
 * Field values for the portal's fuzz suites: markup that every page and mail must show as
 * text, text PostgreSQL cannot store, and anything at all.
 */

/** Markup in a value: every page and mail must show it as text. */
export const markup = fc.constantFrom('<script>fz</script>', '"><img src=x onerror=fz>', "'><script>fz</script>", '中央区<script>fz</script>');

/**
 * What PostgreSQL cannot store or a page must not show as is: NUL, lone surrogates,
 * controls, bidi and format characters, U+FFFD (issue #6 defect 4), alone or inside text.
 */
export const unstorableText = fc
  .tuple(fc.constantFrom('', '中央区', 'a'), fc.constantFrom('\u0000', '\u0000', '\u0000', '\uD800', '\uDFFF', '\uD83D', '\u0007', '\u001b[31m', '\r\n', '\u202E\u2066', '\uFEFF', '\uFFFD', '\u2028'), fc.constantFrom('', 'b', '区'))
  .map((parts) => parts.join(''));

/** Values of any kind: odd, unstorable, arbitrary code points, arbitrary UTF-16 units (lone surrogates). */
export const hostileText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('', ' ', "'", '&amp;', '%', '%41', '+', 'ｶﾀｶﾅ', '𠮷野家', '🙂', '髙﨑', '__proto__', '[object Object]', '1e309', '０３−５０００−１１１１', '<script>fz</script>', '"><img src=x onerror=fz>'),
  },
  { weight: 3, arbitrary: unstorableText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 }) },
);
