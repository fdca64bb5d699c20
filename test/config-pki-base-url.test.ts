import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
};

describe('PKI_BASE_URL', () => {
  it('defaults to PUBLIC_URL over plain http, as certificates named it before the setting', () => {
    const https = loadConfig({ PUBLIC_URL: 'https://certs.example.jp' });
    expect(https.ok && https.value.pkiBaseUrl).toBe('http://certs.example.jp');
    const local = loadConfig({});
    expect(local.ok && local.value.pkiBaseUrl).toBe('http://127.0.0.1:3000');
  });

  it('takes an http origin, without a trailing slash', () => {
    const result = loadConfig({ PUBLIC_URL: 'https://certs.example.jp', PKI_BASE_URL: 'http://pki.example.jp/' });
    expect(result.ok && result.value.pkiBaseUrl).toBe('http://pki.example.jp');
    const port = loadConfig({ PKI_BASE_URL: 'http://127.0.0.1:8080' });
    expect(port.ok && port.value.pkiBaseUrl).toBe('http://127.0.0.1:8080');
  });

  it('refuses https, saying why (S/MIME BR 7.1.2.3)', () => {
    expect(problemsOf({ PKI_BASE_URL: 'https://pki.example.jp' })).toEqual([expect.stringMatching(/^PKI_BASE_URL: must be plain http:\/\/, not https:\/\/ \(S\/MIME BR 7\.1\.2\.3/)]);
  });

  it('refuses other schemes, paths, queries, credentials and what is no URL', () => {
    for (const value of ['ftp://pki.example.jp', 'http://pki.example.jp/ca', 'http://pki.example.jp/?a=1', 'http://user:pw@pki.example.jp', 'pki.example.jp', '']) {
      expect(problemsOf({ PKI_BASE_URL: value }), value).toEqual([expect.stringMatching(/^PKI_BASE_URL: /)]);
    }
  });
});
