import { describe, expect, it } from 'vitest';
import { ownPath } from '../../src/web/app.js';

describe(ownPath.name, () => {
  const site = 'https://certdesk.example.jp';
  it('keeps a path of this site, with its query', () => {
    expect(ownPath('/renew/form?x=1', site)).toBe('/renew/form?x=1');
  });
  it('refuses anything that could leave the site or break the header', () => {
    for (const next of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/%09/evil.example', 'https://evil.example/', '/\n/evil', 'renew', undefined]) {
      const path = ownPath(next, site);
      expect(new URL(path, site).origin, String(next)).toBe(site);
      expect(path).not.toMatch(/[\x00-\x1f]/);
    }
    expect(ownPath('/\t/evil.example', site)).toBe('/');
  });
});
