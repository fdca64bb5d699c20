import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const load = (env: Record<string, string>) => {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.value;
};

describe(loadConfig.name, () => {
  it('starts the embedded demo without any variable', () => {
    const config = load({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', publicUrl: 'http://127.0.0.1:3000', isSecureCookie: true, isDemoDataEnabled: true, isMailViewerEnabled: true });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('keeps demo data and the mail viewer away from a PostgreSQL deployment', () => {
    const config = load({ DATABASE_URL: 'postgres://u@db.example/certdesk', PUBLIC_URL: 'https://certs.example.jp' });
    expect(config).toMatchObject({ isDemoDataEnabled: false, isMailViewerEnabled: false, isSecureCookie: true });
  });

  it('turns the mail viewer off when the portal listens beyond loopback', () => {
    expect(load({ HOST: '0.0.0.0' }).isMailViewerEnabled).toBe(false);
  });

  it('reports every bad variable at once', () => {
    const result = loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CA_KEY_PASSPHRASE: 'short' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toHaveLength(3);
  });

  it('does not mark cookies Secure for plain http off loopback', () => {
    expect(load({ PUBLIC_URL: 'http://portal.internal:3000' }).isSecureCookie).toBe(false);
  });
});
