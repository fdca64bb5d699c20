import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownPath } from '../../src/web/own-path.js';

/** Where a browser goes with `Location: <path>` on this site. */
const landing = (path: string) => new URL(path, 'https://certdesk.example.jp');

describe(ownPath.name, () => {
  it('keeps a path of this site, with its query', () => {
    expect(ownPath('/renew/form?x=1')).toBe('/renew/form?x=1');
    expect(ownPath('/help/../renew')).toBe('/renew');
  });

  it('refuses anything that could leave the site or break the header', () => {
    for (const next of [
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/%09/evil.example',
      'https://evil.example/',
      '/\n/evil',
      // Issue #6 defect 1: dot segments that resolve to a scheme-relative URL.
      '/..//evil.example',
      '/./../..//evil.example',
      '/.%2e//evil.example',
      '/%2e%2e//evil.example',
      '/..\\/evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'http:evil.example',
      '/x/../\\evil.example',
      undefined,
    ]) {
      const path = ownPath(next);
      expect(landing(path).origin, String(next)).toBe('https://certdesk.example.jp');
      expect(path.startsWith('//'), String(next)).toBe(false);
      expect(path).not.toMatch(/[\x00-\x20\\]/);
    }
    expect(ownPath('/..//evil.example')).toBe('/');
  });

  it('never leads off the site, whatever it is given (property)', () => {
    const pieces = fc.constantFrom('/', '//', '\\', '.', '..', '%2e', '%2E', '%2f', '%5c', '%09', '\t', '\n', '@', ':', 'evil.example', 'http:', '?', '#', 'x', '%00', ' ');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')), (next) => {
        const path = ownPath(next);
        return landing(path).origin === 'https://certdesk.example.jp' && !path.startsWith('//') && !/[\x00-\x20\\]/.test(path);
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });
});
