import { describe, expect, it } from 'vitest';
import { findPrefecture, isPrefecture, prefectures } from '../../../src/domain/input/prefectures.js';

describe('prefectures', () => {
  it('lists the 47 prefectures in JIS order, 01 北海道 to 47 沖縄県', () => {
    expect(prefectures).toHaveLength(47);
    expect(prefectures[0]).toEqual({ code: '01', nameJa: '北海道', nameEn: 'Hokkaido' });
    expect(prefectures[12]).toEqual({ code: '13', nameJa: '東京都', nameEn: 'Tokyo' });
    expect(prefectures[46]).toEqual({ code: '47', nameJa: '沖縄県', nameEn: 'Okinawa' });
    expect(prefectures.map((p) => p.code)).toEqual(
      Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
  });

  it('has unique Japanese and English names', () => {
    expect(new Set(prefectures.map((p) => p.nameJa)).size).toBe(47);
    expect(new Set(prefectures.map((p) => p.nameEn)).size).toBe(47);
  });
});

describe(isPrefecture.name, () => {
  it('accepts every Japanese prefecture name', () => {
    for (const p of prefectures) {
      expect(isPrefecture(p.nameJa)).toBe(true);
    }
  });

  it.each(['東京', 'Tokyo', '', ' 東京都', '大阪都'])('rejects %s', (name) => {
    expect(isPrefecture(name)).toBe(false);
  });
});

describe(findPrefecture.name, () => {
  it('finds the entry with its English name', () => {
    expect(findPrefecture('大阪府')?.nameEn).toBe('Osaka');
    expect(findPrefecture('Osaka')).toBeUndefined();
  });
});
