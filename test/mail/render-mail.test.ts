import { describe, expect, it } from 'vitest';
import { renderMail, type MailContext, type MailMessage } from '../../src/mail/templates/render-mail.js';
import { testSite } from '../support/site.js';

// 2026-11-27 17:06 and 18:06 in Japan (UTC+9).
const provisionalAt = new Date('2026-11-27T08:06:00Z');
const finalAt = new Date('2026-11-27T09:06:00Z');
const productName = 'certdesk 個人用電子証明書 Class2 スタンダード';
const site = testSite();
const ja: MailContext = { site, lang: 'ja' };
const en: MailContext = { ...ja, lang: 'en' };
const recipient = (name: string) => ({ organisation: '株式会社試験', department: '総務部', name });
const cancelUrl = 'https://portal.example.jp/cancel/link/AAAA';

const provisional = (kind: 'new' | 'renewal', name = '試験 太郎'): MailMessage => ({
  template: 'application.provisional',
  kind,
  recipient: recipient(name),
  acceptanceNumber: 'U261127-482913',
  provisionalAt,
  finalAt,
  cancelUrl,
});
const cancelled = (kind: 'new' | 'renewal', name = '試験 太郎'): MailMessage => ({
  template: 'application.cancelled',
  kind,
  recipient: recipient(name),
  acceptanceNumber: 'N261127-000042',
  cancelledAt: new Date('2026-11-27T08:30:00Z'),
});
const final = (kind: 'new' | 'renewal', name = '試験 太郎'): MailMessage => ({
  template: 'application.final',
  kind,
  recipient: recipient(name),
  acceptanceNumber: 'U261127-482913',
  finalisedAt: finalAt,
});

/** The visible text of the HTML part, roughly: tags dropped, the entities we write decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe(renderMail.name, () => {
  describe('application.provisional', () => {
    it('tells a renewal applicant in Japanese the acceptance number, both times in Japan time, and how to cancel', () => {
      const mail = renderMail(provisional('renewal'), ja);
      expect(mail.subject).toBe('【certdesk】更新申請 仮受付完了のお知らせ(受付番号: U261127-482913)');
      // A business mail opens with organisation and department above the name (issue #9).
      expect(mail.text.startsWith('株式会社試験\n総務部\n試験 太郎 様\n')).toBe(true);
      for (const body of [mail.text, htmlText(mail.html)]) {
        expect(body).toContain('更新申請を仮受付いたしました');
        expect(body).toContain('U261127-482913');
        expect(body).toContain('2026年11月27日 17:06(日本時間)');
        expect(body).toContain('2026年11月27日 18:06(日本時間)');
        expect(body).toContain('クーポン番号は、現在ロックされています');
        expect(body).toContain('https://portal.example.jp/cancel');
        expect(body).toContain(cancelUrl);
        expect(body).toContain('承認されなかった場合でもクーポン番号は使用済み');
        expect(body).toContain('審査を開始いたします');
        expect(body).toContain('証明書コード');
        expect(body).toContain('送信専用アドレス');
        expect(body).toContain(productName);
        // The signature names the operator and the support desk; a stranger is asked to tell it (issue #9).
        expect(body).toContain('試験認証サービス株式会社');
        expect(body).toContain('https://support.example.jp/');
        expect(body).toContain('電話: 03-1234-5678');
        expect(body).toContain('受付時間: 平日9:00〜18:00(土日祝・年末年始を除く)');
        expect(body).toContain('無断で使用している可能性があります');
        expect(body).not.toContain('破棄してください');
      }
      expect(mail.html).toContain('<a href="https://portal.example.jp/cancel"');
      expect(mail.html).toContain(`<a href="${cancelUrl}"`);
    });

    it('says 新規申請 for a new application', () => {
      const mail = renderMail(provisional('new'), ja);
      expect(mail.subject).toContain('【certdesk】新規申請 仮受付完了のお知らせ');
      expect(mail.text).toContain('新規申請を仮受付いたしました');
      expect(mail.text).not.toContain('更新申請');
    });

    it('tells the same in English, in Japan time', () => {
      const mail = renderMail(provisional('renewal'), en);
      expect(mail.subject).toBe('[certdesk] renewal application provisionally accepted (acceptance number U261127-482913)');
      expect(mail.text.startsWith('株式会社試験\n総務部\nDear 試験 太郎,\n')).toBe(true);
      for (const body of [mail.text, htmlText(mail.html)]) {
        expect(body).toContain('27 Nov 2026, 17:06 (Japan time)');
        expect(body).toContain('27 Nov 2026, 18:06 (Japan time)');
        expect(body).toContain('https://portal.example.jp/cancel');
        expect(body).toContain('coupon number you used is now locked');
        expect(body).toContain('even if the application is not approved');
        expect(body).toContain('send-only address');
        expect(body).toContain('Support desk');
        expect(body).toContain(cancelUrl);
      }
      expect(renderMail(provisional('new'), en).subject).toContain('new application provisionally accepted');
    });

    it('shows a time just after midnight UTC as the same day in Japan, and 00:xx as 00', () => {
      const mail = renderMail(
        { template: 'application.provisional', kind: 'renewal', recipient: recipient('試験 太郎'), acceptanceNumber: 'U270101-000001', provisionalAt: new Date('2026-12-31T15:00:00Z'), finalAt: new Date('2026-12-31T16:00:00Z'), cancelUrl },
        ja,
      );
      expect(mail.text).toContain('2027年1月1日 00:00(日本時間)');
      expect(mail.text).toContain('2027年1月1日 01:00(日本時間)');
    });
  });

  describe('application.cancelled', () => {
    it('tells in Japanese that the application is cancelled and the coupon can be used again', () => {
      const mail = renderMail(cancelled('renewal'), ja);
      expect(mail.subject).toBe('【certdesk】更新申請 取り消し完了のお知らせ(受付番号: N261127-000042)');
      for (const body of [mail.text, htmlText(mail.html)]) {
        expect(body).toContain('試験 太郎 様');
        expect(body).toContain('更新申請を取り消しました');
        expect(body).toContain('N261127-000042');
        expect(body).toContain('2026年11月27日 17:30(日本時間)');
        expect(body).toContain('ロックは解除されました');
        expect(body).toContain('再度ご利用いただけます');
        expect(body).toContain('https://portal.example.jp/renew');
        expect(body).toContain('送信専用アドレス');
      }
      const newMail = renderMail(cancelled('new'), ja);
      expect(newMail.subject).toContain('新規申請 取り消し完了のお知らせ');
      expect(newMail.text).toContain('https://portal.example.jp/new');
    });

    it('tells the same in English', () => {
      const mail = renderMail(cancelled('new'), en);
      expect(mail.subject).toBe('[certdesk] new application cancelled (acceptance number N261127-000042)');
      expect(mail.text).toContain('27 Nov 2026, 17:30 (Japan time)');
      expect(mail.text).toContain('use the same coupon number again');
      expect(mail.text).toContain('https://portal.example.jp/new');
    });
  });

  describe('application.final', () => {
    it('tells in Japanese that the application is final, cannot be cancelled, and review starts', () => {
      const mail = renderMail(final('renewal'), ja);
      expect(mail.subject).toBe('【certdesk】更新申請 本受付完了のお知らせ(受付番号: U261127-482913)');
      for (const body of [mail.text, htmlText(mail.html)]) {
        expect(body).toContain('試験 太郎 様');
        expect(body).toContain('更新申請は、本受付となりました');
        expect(body).toContain('U261127-482913');
        expect(body).toContain('2026年11月27日 18:06(日本時間)');
        expect(body).toContain('取り消すことはできません');
        expect(body).toContain('審査を開始いたします');
        expect(body).toContain('数営業日');
        expect(body).toContain('送信専用アドレス');
      }
      expect(renderMail(final('new'), ja).subject).toContain('新規申請 本受付完了のお知らせ');
    });

    it('says "until review starts" in the same words as the provisional mail (issue #9)', () => {
      const sentence = '混み具合により、審査の開始まで数営業日をいただく場合がございます。';
      expect(renderMail(final('new'), ja).text).toContain(sentence);
      expect(renderMail(provisional('new'), ja).text).toContain(sentence);
    });

    it('leaves the department out when it is なし', () => {
      const mail = renderMail({ ...final('new'), recipient: { organisation: '株式会社試験', department: 'なし', name: '試験 太郎' } } as MailMessage, ja);
      expect(mail.text.startsWith('株式会社試験\n試験 太郎 様\n')).toBe(true);
    });

    it('tells the same in English', () => {
      const mail = renderMail(final('renewal'), en);
      expect(mail.subject).toBe('[certdesk] renewal application finally accepted (acceptance number U261127-482913)');
      expect(mail.text).toContain('27 Nov 2026, 18:06 (Japan time)');
      expect(mail.text).toContain('can no longer be cancelled');
      expect(mail.text).toContain('a few business days');
    });
  });

  describe('HTML', () => {
    const hostile = '<script>alert("x")</script> & \'o\'';
    for (const context of [ja, en]) {
      for (const message of [provisional('renewal', hostile), cancelled('new', hostile), final('new', hostile)]) {
        it(`escapes a name like <script> in ${message.template} (${context.lang})`, () => {
          const mail = renderMail(message, context);
          expect(mail.html).not.toContain('<script');
          expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;o&#39;');
          // The plain text carries the name as it is: it is never interpreted.
          expect(mail.text).toContain(hostile);
        });
      }
    }

    it('escapes the product name and URL from configuration too, and loads nothing from outside', () => {
      const mail = renderMail(provisional('renewal'), { site: testSite({ productName: 'A&B <Co>', publicUrl: 'https://portal.example.jp/"x"/' }), lang: 'ja' });
      expect(mail.html).toContain('A&amp;B &lt;Co&gt;');
      expect(mail.html).toContain('href="https://portal.example.jp/&quot;x&quot;/cancel"');
      expect(mail.html).not.toMatch(/<(img|link|script|iframe|object)\b/i);
      expect(mail.html).not.toMatch(/src=|url\(/i);
      expect(mail.html).toContain('<html lang="ja">');
      expect(renderMail(provisional('renewal'), en).html).toContain('<html lang="en">');
    });
  });
});
