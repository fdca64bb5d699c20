import { describe, expect, it } from 'vitest';
import { isNoneMatchSatisfied } from '../../src/web/etag.js';

describe(isNoneMatchSatisfied.name, () => {
  const etag = '"abc123"';
  it('matches the tag itself, its weak form, within a list, and *', () => {
    for (const header of ['"abc123"', 'W/"abc123"', '"zzz", "abc123"', ' W/"x" ,W/"abc123" ', '*']) expect(isNoneMatchSatisfied(header, etag)).toBe(true);
  });
  it('does not match other tags, an unquoted value or nothing', () => {
    for (const header of [undefined, '', '"abc12"', 'abc123', '"abc123x"', 'W/"zzz"']) expect(isNoneMatchSatisfied(header, etag)).toBe(false);
  });
});
