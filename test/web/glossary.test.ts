import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formText } from '../../src/web/portal/form-text.js';

/**
 * One term per thing (issue #9), so the wording does not drift: every Japanese message file
 * of the portal and the mails is read as text and searched for the variants we do not use.
 */
const root = path.resolve('src');
const pageFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name === 'messages.ts' || e.name === 'input-messages.ts' || e.name === 'form-text.ts'))
    .map((e) => path.join(e.parentPath, e.name));
// The subscriber's pages: the operators' console has words of its own.
const pages = pageFiles(path.join(root, 'web')).filter((file) => !file.includes(`${path.sep}console${path.sep}`));
const mails = [path.join(root, 'mail/templates/ja.ts')];

interface Rule {
  name: string;
  forbidden: RegExp;
  say: string;
  /** Where the rule holds: pages, mails, or both. */
  in: 'pages' | 'both';
}

const rules: Rule[] = [
  { name: '取り消し', forbidden: /取消/, say: '取り消し (never 取消)', in: 'both' },
  { name: 'あらかじめ', forbidden: /予め/, say: 'あらかじめ', in: 'both' },
  { name: '改めて', forbidden: /あらためて/, say: '改めて', in: 'both' },
  { name: 'いただいた', forbidden: /頂[いきくけ]/, say: 'いただく (in hiragana)', in: 'both' },
  { name: 'ない', forbidden: /無[いくかけ]/, say: 'ない (in hiragana)', in: 'both' },
  { name: 'すべて', forbidden: /全て/, say: 'すべて', in: 'both' },
  { name: '申請 on pages', forbidden: /お申し?込み|申込/, say: '申請', in: 'pages' },
  { name: 'クーポン券 is bought', forbidden: /クーポン番号を(ご)?購入|クーポン番号.{0,6}購入いただ/, say: 'クーポン券をご購入', in: 'both' },
  { name: 'クーポン番号 is entered, locked and used up', forbidden: /クーポン券(を|に)(入力|使用)|クーポン券.{0,4}(ロック|使用済)/, say: 'クーポン番号', in: 'both' },
  { name: 'a bare クーポン', forbidden: /クーポン(?![券番再])/, say: 'クーポン券 or クーポン番号', in: 'both' },
  { name: 'one name for the deadline', forbidden: /(?<!本受付日時\()取り消し期限/, say: '本受付日時(取り消し期限)', in: 'both' },
  { name: 'no jargon for refused characters', forbidden: /外字|制御文字/, say: 'the character itself, and what to type instead', in: 'both' },
];

/** The Japanese string literals of a file (what subscribers read), with their line numbers. */
function japaneseLiterals(file: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      // Comments are for developers; only what is quoted is shown.
      const code = line.replace(/\/\/.*$|^\s*\*.*$|\/\*.*\*\//g, '');
      for (const m of code.matchAll(/(['`"])((?:\\.|(?!\1).)*)\1/g)) {
        if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(m[2] ?? '')) out.push({ line: i + 1, text: m[2]! });
      }
    });
  return out;
}

describe('the glossary of issue #9', () => {
  it('finds the message files it checks', () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
  });

  for (const rule of rules) {
    it(`uses ${rule.say} (${rule.name})`, () => {
      const files = rule.in === 'pages' ? pages : [...pages, ...mails];
      const offences = files.flatMap((file) =>
        japaneseLiterals(file)
          .filter((l) => rule.forbidden.test(l.text))
          .map((l) => `${path.relative(root, file)}:${l.line}: ${l.text.slice(0, 80)}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it('calls the parts of the English name 姓 and 名 in Japanese too', () => {
    expect([formText.ja.lastNameEn, formText.ja.firstNameEn]).toEqual(['姓', '名']);
  });
});
