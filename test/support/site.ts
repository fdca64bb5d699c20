import type { IssuingCa } from '../../src/ca/issuing-ca.js';
import type { Site } from '../../src/domain/site.js';

/** A deployment's identity for tests that render mail or pages without a whole world. */
export function testSite(overrides: Partial<Site> = {}): Site {
  return {
    brandName: 'certdesk',
    productName: '個人用電子証明書 Class2 スタンダード',
    publicUrl: 'https://portal.example.jp',
    operator: {
      name: '試験認証サービス株式会社',
      supportUrl: 'https://support.example.jp/',
      supportPhone: '03-1234-5678',
      supportHours: '平日9:00〜18:00(土日祝・年末年始を除く)',
      repositoryUrl: 'https://repository.example.jp/',
    },
    ...overrides,
  };
}

/** For web tests that never sign: any use of the CA fails the test loudly. */
export const absentCa: IssuingCa = {
  get material(): IssuingCa['material'] {
    throw new Error('this test has no CA');
  },
  pkiBaseUrl: 'http://localhost',
};
