import { describe, expect, it } from 'vitest';
import {
  checkIssuanceLimits,
  isMailboxAddress,
  keyRefusalReason,
  keyUsageFor,
  subscriberProfile,
  subscriberSubjectAttributes,
  subscriberTemplate,
  validityEnd,
  validityPeriodMs,
  type IssuanceLimitsInput,
} from '../../src/ca/profile.js';
import type { SubjectKeyDescription } from '../../src/ca/subject-key.js';
import { subscriberSubject, subscriberUrls } from './ca-test-kit.js';

const now = new Date('2026-11-27T00:00:00Z');
const dayMs = 86_400_000;
const p256: SubjectKeyDescription = { kind: 'ec', curve: 'P-256' };

const limitsInput = (overrides: Partial<IssuanceLimitsInput> = {}): IssuanceLimitsInput => ({
  key: p256,
  email: 'taro@example.jp',
  notBefore: now,
  notAfter: validityEnd(now, 365),
  serialNumberHex: '1f'.repeat(20),
  issuerNotBefore: new Date('2026-01-01T00:00:00Z'),
  issuerNotAfter: new Date('2036-01-01T00:00:00Z'),
  ...overrides,
});
const codes = (input: IssuanceLimitsInput, allowBackdateForDemoOrImport = false): string[] =>
  checkIssuanceLimits(input, now, { allowBackdateForDemoOrImport }).map((problem) => problem.code);

describe(validityEnd.name, () => {
  it('ends a 365-day validity one second before the anniversary (inclusive notAfter)', () => {
    expect(validityEnd(now, 365).toISOString()).toBe('2027-11-26T23:59:59.000Z');
    expect(validityPeriodMs(now, validityEnd(now, 365))).toBe(365 * dayMs);
  });
});

describe(checkIssuanceLimits.name, () => {
  it('accepts the product default: one year, now, P-256', () => {
    expect(codes(limitsInput())).toEqual([]);
  });

  it('accepts exactly 825 days and refuses one second more', () => {
    expect(codes(limitsInput({ notAfter: validityEnd(now, 825) }))).toEqual([]);
    const problems = checkIssuanceLimits(
      limitsInput({ notAfter: new Date(validityEnd(now, 825).getTime() + 1000) }),
      now,
      { allowBackdateForDemoOrImport: false },
    );
    expect(problems.map((problem) => problem.code)).toEqual(['issuance.validityTooLong']);
    expect(problems[0]?.message).toMatch(/exceeds the maximum of 825 days/);
  });

  it('refuses notAfter equal to notBefore', () => {
    expect(codes(limitsInput({ notAfter: now }))).toEqual(['issuance.validityNotPositive']);
  });

  it('allows a backdate of exactly one hour and refuses one second more', () => {
    const hourAgo = new Date(now.getTime() - 3_600_000);
    expect(codes(limitsInput({ notBefore: hourAgo, notAfter: validityEnd(hourAgo, 365) }))).toEqual([]);
    const tooEarly = new Date(hourAgo.getTime() - 1000);
    expect(codes(limitsInput({ notBefore: tooEarly, notAfter: validityEnd(tooEarly, 365) }))).toEqual([
      'issuance.backdateTooFar',
    ]);
  });

  it('lets demo and import data lie entirely in the past when asked explicitly', () => {
    const notAfter = new Date(now.getTime() - 400 * dayMs);
    const notBefore = new Date(notAfter.getTime() - 365 * dayMs + 1000);
    const issuerNotBefore = new Date('2024-01-01T00:00:00Z');
    expect(codes(limitsInput({ notBefore, notAfter, issuerNotBefore }), true)).toEqual([]);
    expect(codes(limitsInput({ notBefore, notAfter, issuerNotBefore }), false)).toEqual(['issuance.backdateTooFar']);
  });

  it('refuses a validity outside the issuing CA validity', () => {
    expect(codes(limitsInput({ issuerNotAfter: new Date('2027-06-01T00:00:00Z') }))).toEqual([
      'issuance.outsideIssuerValidity',
    ]);
  });

  it('refuses keys the product does not offer', () => {
    expect(codes(limitsInput({ key: { kind: 'rsa', modulusBits: 1024 } }))).toEqual(['issuance.keyNotAllowed']);
    expect(codes(limitsInput({ key: { kind: 'ec', curve: 'P-521' } }))).toEqual(['issuance.keyNotAllowed']);
  });

  it('refuses a malformed serial and mailbox, reporting every problem', () => {
    expect(codes(limitsInput({ serialNumberHex: 'xyz', email: 'taro at example.jp' }))).toEqual([
      'issuance.serialMalformed',
      'issuance.emailMalformed',
    ]);
  });
});

describe(keyRefusalReason.name, () => {
  it.each<[SubjectKeyDescription, boolean]>([
    [{ kind: 'rsa', modulusBits: 2048 }, true],
    [{ kind: 'rsa', modulusBits: 3072 }, true],
    [{ kind: 'rsa', modulusBits: 2047 }, false],
    [{ kind: 'rsa', modulusBits: 2052 }, false],
    [{ kind: 'rsa', modulusBits: 1024 }, false],
    [{ kind: 'ec', curve: 'P-256' }, true],
    [{ kind: 'ec', curve: 'P-384' }, true],
    [{ kind: 'ec', curve: 'P-521' }, false],
    [{ kind: 'ec', curve: 'secp256k1' }, false],
    [{ kind: 'ed25519' }, true],
    [{ kind: 'unsupported', algorithm: 'x25519' }, false],
  ])('judges %o allowed: %s', (key, isAllowed) => {
    expect(keyRefusalReason(key) === undefined).toBe(isAllowed);
  });

  it('names the refused key and what is allowed', () => {
    expect(keyRefusalReason({ kind: 'rsa', modulusBits: 1024 })).toBe(
      'key RSA-1024 is not allowed (allowed: RSA ≥ 2048 bits (multiple of 8), ECDSA P-256/P-384, Ed25519)',
    );
  });
});

describe(keyUsageFor.name, () => {
  it('gives RSA signing and key encipherment, EC and Ed25519 signing only', () => {
    expect(keyUsageFor({ kind: 'rsa', modulusBits: 2048 })).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(keyUsageFor(p256)).toEqual(['digitalSignature', 'keyAgreement']);
    expect(keyUsageFor({ kind: 'ed25519' })).toEqual(['digitalSignature']);
  });
});

describe(subscriberSubjectAttributes.name, () => {
  it('orders C, ST, L, O, GN, SN, CN and builds CN from the given names', () => {
    expect(subscriberSubjectAttributes(subscriberSubject)).toEqual([
      { oid: '2.5.4.6', value: 'JP', encoding: 'printableString' },
      { oid: '2.5.4.8', value: '東京都', encoding: 'utf8String' },
      { oid: '2.5.4.7', value: '千代田区', encoding: 'utf8String' },
      { oid: '2.5.4.10', value: '株式会社サンプル', encoding: 'utf8String' },
      { oid: '2.5.4.42', value: '太郎', encoding: 'utf8String' },
      { oid: '2.5.4.4', value: '髙﨑', encoding: 'utf8String' },
      { oid: '2.5.4.3', value: '太郎 髙﨑', encoding: 'utf8String' },
    ]);
  });

  it('keeps a commonName given as is and never adds emailAddress', () => {
    const attributes = subscriberSubjectAttributes({
      givenName: 'Taro',
      surname: 'Yamada',
      commonName: 'YAMADA Taro',
      organizationName: 'Example',
    });
    expect(attributes.map((attribute) => attribute.value)).toEqual(['JP', 'Example', 'Taro', 'Yamada', 'YAMADA Taro']);
    expect(attributes.some((attribute) => attribute.oid === '1.2.840.113549.1.9.1')).toBe(false);
  });
});

describe(subscriberTemplate.name, () => {
  it('describes a Sponsor-validated Multipurpose certificate', () => {
    const template = subscriberTemplate({
      subject: subscriberSubject,
      email: 'taro@example.jp',
      key: { kind: 'rsa', modulusBits: 2048 },
      notBefore: new Date('2026-11-27T00:00:00.750Z'),
      notAfter: new Date('2027-11-26T23:59:59.999Z'),
      serialNumberHex: '01',
      urls: subscriberUrls,
    });
    expect(template).toMatchObject({
      notBefore: new Date('2026-11-27T00:00:00Z'),
      notAfter: new Date('2027-11-26T23:59:59Z'),
      emailAddresses: ['taro@example.jp'],
      policyOids: ['2.23.140.1.5.3.2'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsageOids: ['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.2'],
      crlDistributionPointUrls: [subscriberUrls.crl],
      ocspUrls: [subscriberUrls.ocsp],
      caIssuersUrls: [subscriberUrls.caIssuers],
    });
    expect(subscriberProfile.maxValidityDays).toBe(825);
  });
});

describe(isMailboxAddress.name, () => {
  it.each([
    ['taro@example.jp', true],
    ['taro.yamada+smime@mail.example.co.jp', true],
    ['taro@localhost', false],
    ['taro example@example.jp', false],
    ['太郎@example.jp', false],
    ['@example.jp', false],
    ['taro@@example.jp', false],
  ])('judges %s: %s', (value, expected) => {
    expect(isMailboxAddress(value)).toBe(expected);
  });
});
