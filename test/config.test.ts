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

  it('listens on IPv6 addresses, the wildcard as loopback in links (issue #6 defect 13)', () => {
    expect(load({ HOST: '::' }).site.publicUrl).toBe('http://[::1]:3000');
    expect(load({ HOST: '::1' }).site.publicUrl).toBe('http://[::1]:3000');
    expect(load({ HOST: '::1' }).isSecureCookie).toBe(true);
    expect(load({ HOST: 'fd00::5' }).site.publicUrl).toBe('http://[fd00::5]:3000');
  });

  it('reports a HOST that cannot be part of an address as a configuration problem', () => {
    const result = loadConfig({ HOST: 'bad host' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join()).toContain('HOST');
  });

  it('turns the mail viewer on behind a PUBLIC_URL only when asked (a proxy may publish the site)', () => {
    expect(load({ PUBLIC_URL: 'http://127.0.0.1:3000' }).isMailViewerEnabled).toBe(false);
    expect(load({ PUBLIC_URL: 'https://certs.example.jp', MAIL_VIEWER: '1' }).isMailViewerEnabled).toBe(true);
  });

  it('names the operator and the support desk, with honest demo defaults (SPEC 1.8)', () => {
    const { site } = load({});
    expect(site.operator.name).toContain('架空');
    expect(site.operator.supportUrl).toBe('http://127.0.0.1:3000/help/contact');
    expect(site.operator.repositoryUrl).toBe('http://127.0.0.1:3000/help/repository');
    expect(site.operator.supportPhone).toBeUndefined();
    const custom = load({ OPERATOR_NAME: '八重洲認証株式会社', SUPPORT_URL: 'https://support.example.jp/', SUPPORT_PHONE: '03-1234-5678', REPOSITORY_URL: 'https://repo.example.jp/' }).site;
    expect(custom.operator).toMatchObject({ name: '八重洲認証株式会社', supportUrl: 'https://support.example.jp/', supportPhone: '03-1234-5678', repositoryUrl: 'https://repo.example.jp/' });
    expect(loadConfig({ SUPPORT_URL: 'javascript:alert(1)' }).ok).toBe(false);
  });
});
