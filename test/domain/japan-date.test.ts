import { describe, expect, it } from 'vitest';
import { isJapanDate, japanDateOf, sameDayYearsLater, startOfJapanDay, startOfNextJapanDay } from '../../src/domain/japan-date.js';

describe(japanDateOf.name, () => {
  it('turns the date over at midnight in Japan, 15:00 UTC', () => {
    expect(japanDateOf(new Date('2027-03-31T14:59:59.999Z'))).toBe('2027-03-31');
    expect(japanDateOf(new Date('2027-03-31T15:00:00.000Z'))).toBe('2027-04-01');
  });
});

describe(isJapanDate.name, () => {
  it.each(['2027-03-31', '2028-02-29', '2030-12-01'])('accepts %s', (date) => {
    expect(isJapanDate(date)).toBe(true);
  });
  it.each(['2027-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-3-31', '2027/03/31', '20270331', ' 2027-03-31', '２０２７-03-31', ''])(
    'refuses %j',
    (date) => {
      expect(isJapanDate(date)).toBe(false);
    },
  );
});

describe(startOfJapanDay.name, () => {
  it('is 15:00 UTC the day before', () => {
    expect(startOfJapanDay('2027-04-01').toISOString()).toBe('2027-03-31T15:00:00.000Z');
  });
  it('refuses what is not a date: a bug in the caller', () => {
    expect(() => startOfJapanDay('2027-02-30')).toThrow(/YYYY-MM-DD/);
  });
});

describe(startOfNextJapanDay.name, () => {
  it('crosses month and year ends', () => {
    expect(startOfNextJapanDay('2027-03-31').toISOString()).toBe('2027-03-31T15:00:00.000Z');
    expect(startOfNextJapanDay('2027-12-31').toISOString()).toBe('2027-12-31T15:00:00.000Z');
    expect(startOfNextJapanDay('2028-02-28').toISOString()).toBe('2028-02-28T15:00:00.000Z');
  });
});

describe(sameDayYearsLater.name, () => {
  it('keeps month and day, and compares in date order even from 29 February', () => {
    expect(sameDayYearsLater('2026-11-27', 5)).toBe('2031-11-27');
    const bound = sameDayYearsLater('2028-02-29', 5);
    expect('2033-02-28' <= bound).toBe(true);
    expect('2033-03-01' <= bound).toBe(false);
  });
});
