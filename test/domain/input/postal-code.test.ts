import { describe, expect, it } from 'vitest';
import { suggestAddress } from '../../../src/domain/input/postal-code.js';

describe(suggestAddress.name, () => {
  it('suggests prefecture, city and town for a known code (the seed: 1040028)', () => {
    expect(suggestAddress('1040028')).toEqual({ prefecture: '東京都', city: '中央区', town: '八重洲' });
  });

  it('suggests an empty town for a code that covers several towns', () => {
    expect(suggestAddress('4520961')).toEqual({ prefecture: '愛知県', city: '清須市', town: '' });
  });

  it('suggests nothing for an unknown code', () => {
    expect(suggestAddress('0000000')).toBeUndefined();
  });

  it.each(['104-0028', '104002', '', '１０４００２８'])('suggests nothing for %s, which is not 7 half-width digits', (code) => {
    expect(suggestAddress(code)).toBeUndefined();
  });
});
