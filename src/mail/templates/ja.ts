import { formatMailInstant, type MailDocument, type MailSignature } from './mail-document.js';
import type { MailContext, MailMessage, MailTemplates } from './mail-message.js';

/** Japanese mail text: polite business Japanese (です・ます), the subscriber addressed as 「〇〇 様」. */

const kindLabel = (kind: MailMessage['kind']) => (kind === 'renewal' ? '更新申請' : '新規申請');
const at = (instant: Date) => formatMailInstant(instant, 'ja');

const signature = (context: MailContext): MailSignature => ({
  productName: context.productName,
  publicUrl: context.publicUrl,
  notes: [
    '※このメールは送信専用アドレスからお送りしています。ご返信いただいてもお答えできませんので、あらかじめご了承ください。',
    '※このメールにお心当たりのない場合は、恐れ入りますが、このメールを破棄してくださいますようお願いいたします。',
  ],
});

const certificateCodeNote =
  '審査が完了しましたら、お申し込みの電子メールアドレス宛に、証明書の取得に必要な「証明書コード」を記載した電子メールをお送りいたします。大切に保管してください。※迷惑メールとして受信トレイから除外されないよう、メールソフトの設定をご確認ください。';

export const jaTemplates: MailTemplates = {
  'application.provisional': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: `${context.productName} ${kind}の仮受付完了のお知らせ(受付番号: ${m.acceptanceNumber})`,
      greeting: `${m.name} 様`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            {
              text:
                m.kind === 'renewal'
                  ? `このたびは、${context.productName}の更新をお申し込みいただき、誠にありがとうございます。`
                  : `このたびは、${context.productName}をお申し込みいただき、誠にありがとうございます。`,
            },
            { text: `以下の内容で${kind}を仮受付いたしました。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['仮受付日時', at(m.provisionalAt)],
            ['本受付日時', at(m.finalAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'ご注意ください',
          items: [
            { text: `${kind}に使用されたクーポン番号は、現在ロックされています。` },
            {
              text: '上記の本受付日時までは、次の「新規・更新 申請の取り消し」ページから当申請を取り消すことができます。取り消した場合は、同じクーポン番号を再度ご利用いただけます。取り消しには、受付番号、電子メールアドレス、申請パスワードが必要です。',
              href: `${context.publicUrl}/cancel`,
            },
            {
              text: '本受付日時を過ぎると本受付となり、当申請を取り消すことはできなくなります。本受付後は、審査の結果、認証されなかった場合でもクーポンは使用済みとなり、再度ご利用いただくことはできません。',
            },
            { text: '本受付以降、順次審査を開始いたします。混み具合により、審査の開始まで数営業日をいただく場合がございます。' },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signature(context),
    };
  },

  'application.cancelled': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: `${context.productName} ${kind}の取り消し完了のお知らせ(受付番号: ${m.acceptanceNumber})`,
      greeting: `${m.name} 様`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${context.productName}をご利用いただき、誠にありがとうございます。` },
            { text: `お手続きいただいたとおり、以下の${kind}を取り消しました。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['取り消し日時', at(m.cancelledAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'クーポン番号について',
          items: [
            { text: '当申請に使用されたクーポン番号のロックは解除されました。同じクーポン番号を、新たなお申し込みに再度ご利用いただけます。' },
            {
              text:
                m.kind === 'renewal'
                  ? '改めて更新をお申し込みいただく場合は、次の更新申請ページからお手続きください。'
                  : '改めてお申し込みいただく場合は、次の新規申請ページからお手続きください。',
              href: `${context.publicUrl}/${m.kind === 'renewal' ? 'renew' : 'new'}`,
            },
          ],
        },
      ],
      signature: signature(context),
    };
  },

  'application.final': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: `${context.productName} ${kind}の本受付完了のお知らせ(受付番号: ${m.acceptanceNumber})`,
      greeting: `${m.name} 様`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${context.productName}をご利用いただき、誠にありがとうございます。` },
            { text: `以下の${kind}は、本受付となりました。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['本受付日時', at(m.finalisedAt)],
          ],
        },
        {
          kind: 'notes',
          heading: '今後の流れ',
          items: [
            { text: '本受付となったため、当申請を取り消すことはできません。お申し込みに使用されたクーポン番号は使用済みとなりました。' },
            { text: 'これより順次、審査を開始いたします。混み具合により、審査の完了まで数営業日をいただく場合がございます。あらかじめご了承ください。' },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signature(context),
    };
  },
};
