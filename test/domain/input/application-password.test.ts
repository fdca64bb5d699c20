import { describe, expect, it } from 'vitest';
import { parseApplicationPassword } from '../../../src/domain/input/registration.js';

describe(parseApplicationPassword.name, () => {
  it('accepts a password of letters and digits that matches its confirmation', () => {
    expect(parseApplicationPassword('veri2024', 'veri2024')).toEqual({ ok: true, value: 'veri2024' });
  });

  it('keeps the password exactly as typed, surrounding spaces included', () => {
    expect(parseApplicationPassword(' pass word 1 ', ' pass word 1 ')).toEqual({ ok: true, value: ' pass word 1 ' });
  });

  it('accepts exactly 8 and exactly 64 characters', () => {
    expect(parseApplicationPassword('abcdef12', 'abcdef12').ok).toBe(true);
    const long = 'a1'.repeat(32);
    expect(parseApplicationPassword(long, long).ok).toBe(true);
  });

  it('reports password.required when the password is empty or missing', () => {
    expect(parseApplicationPassword('', '')).toEqual({ ok: false, code: 'password.required', field: 'applicationPassword' });
    expect(parseApplicationPassword(undefined, undefined)).toMatchObject({ code: 'password.required' });
  });

  it('reports password.tooShort for 7 characters', () => {
    expect(parseApplicationPassword('abcde12', 'abcde12')).toMatchObject({ code: 'password.tooShort' });
  });

  it('reports password.tooLong for 65 characters', () => {
    const tooLong = `${'a1'.repeat(32)}x`;
    expect(parseApplicationPassword(tooLong, tooLong)).toMatchObject({ code: 'password.tooLong' });
  });

  it.each([
    ['a full-width letter', 'ｐassword1'],
    ['kana', 'パスワード1234'],
    ['a full-width space', 'pass\u3000word1'],
    ['a tab', 'pass\tword1'],
    ['an emoji', 'password1😀'],
  ])('reports password.ascii for %s, without normalising it', (_label, pw) => {
    expect(parseApplicationPassword(pw, pw)).toMatchObject({ code: 'password.ascii' });
  });

  it.each(['abcdefgh', '12345678', '!@#$%^&*'])('reports password.weak for %s, a single kind of character', (pw) => {
    expect(parseApplicationPassword(pw, pw)).toMatchObject({ code: 'password.weak' });
  });

  it.each(['abcdefg!', '1234567!', 'abcd1234'])('accepts %s, two kinds of character', (pw) => {
    expect(parseApplicationPassword(pw, pw).ok).toBe(true);
  });

  it('reports password.required on the confirmation when it is empty', () => {
    expect(parseApplicationPassword('veri2024', '')).toEqual({
      ok: false,
      code: 'password.required',
      field: 'applicationPasswordConfirm',
    });
  });

  it('reports password.mismatch on the confirmation when the two differ, even only by a space', () => {
    expect(parseApplicationPassword('veri2024', 'veri2024 ')).toEqual({
      ok: false,
      code: 'password.mismatch',
      field: 'applicationPasswordConfirm',
    });
  });
});
