import { fullProductName } from '../../domain/site.js';
import { formatMailInstant, type MailDocument, type MailSignature } from './mail-document.js';
import type { RejectionReason } from '../../domain/rejection-reasons.js';
import type { MailContext, MailMessage, MailRecipient, MailTemplates } from './mail-message.js';

/** Japanese mail text: polite business Japanese (です・ます), the subscriber addressed as 「〇〇 様」. */

const kindLabel = (kind: MailMessage['kind']) => (kind === 'renewal' ? '更新申請' : '新規申請');
const at = (instant: Date) => formatMailInstant(instant, 'ja');

/** 【brand】 first, then what happened, then the acceptance number (issue #9). */
const subjectOf = (context: MailContext, text: string, acceptanceNumber: string) => `【${context.site.brandName}】${text}(受付番号: ${acceptanceNumber})`;

/** Organisation and department above 〇〇 様. */
const greetingOf = (r: MailRecipient): string[] => [r.organisation, r.department === 'なし' ? '' : r.department, `${r.name} 様`].filter((line) => line !== '');

export function signatureJa(context: MailContext): MailSignature {
  const { site } = context;
  const operator = site.operator;
  return {
    productName: fullProductName(site),
    publicUrl: site.publicUrl,
    lines: [
      { text: operator.name },
      { text: 'お問い合わせ窓口', href: operator.supportUrl },
      ...(operator.supportPhone === undefined ? [] : [{ text: `電話: ${operator.supportPhone}` }]),
      { text: `受付時間: ${operator.supportHours}` },
    ],
    notes: [
      '※このメールは送信専用アドレスからお送りしています。ご返信いただいてもお答えできませんので、あらかじめご了承ください。',
      '※このメールにお心当たりのない場合は、どなたかがお客様の電子メールアドレスを誤って、または無断で使用している可能性があります。お手数ですが、上記のお問い合わせ窓口までご連絡ください。',
    ],
  };
}

/** The same sentence in both mails that speak of it (issue #9: one thing, said one way). */
const reviewStartNote = '本受付以降、順次審査を開始いたします。混み具合により、審査の開始まで数営業日をいただく場合がございます。あらかじめご了承ください。';

const certificateCodeNote =
  '審査が完了しましたら、当社から、申請時の電子メールアドレス宛に、証明書の取得に必要な「証明書コード」を記載した電子メールをお送りいたします。大切に保管してください。※迷惑メールとして受信トレイから除外されないよう、メールソフトの設定をご確認ください。';

/** The reasons a reviewer chooses from, as the applicant reads them. */
export const rejectionReasonsJa: Record<RejectionReason, string> = {
  'identity.unverifiable': 'ご本人様の確認ができませんでした。',
  'organisation.unverifiable': 'ご所属の組織の実在を確認できませんでした。',
  'employment.unverifiable': 'ご所属の組織への在籍を確認できませんでした。',
  'email.unverifiable': '電子メールアドレスがご本人様のものであることを確認できませんでした。',
  'information.incorrect': '申請内容に誤りがありました。',
  duplicate: '同じ内容の申請がすでに受け付けられています。',
  other: 'その他の理由によります。',
};

export const jaTemplates: MailTemplates = {
  'application.provisional': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    const product = fullProductName(context.site);
    return {
      lang: 'ja',
      subject: subjectOf(context, `${kind} 仮受付完了のお知らせ`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            {
              text: m.kind === 'renewal' ? `このたびは、${product}の更新をお申し込みいただき、誠にありがとうございます。` : `このたびは、${product}をお申し込みいただき、誠にありがとうございます。`,
            },
            { text: `以下の内容で${kind}を仮受付いたしました。受付番号は、申請の取り消しや申請状況の確認に必要です。このメールを大切に保管してください。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['仮受付日時', at(m.provisionalAt)],
            ['本受付日時(取り消し期限)', at(m.finalAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'ご注意ください',
          items: [
            { text: `${kind}に使用されたクーポン番号は、現在ロックされています。` },
            {
              text: '上記の本受付日時(取り消し期限)までは、次のリンクから当申請を取り消すことができます。取り消した場合は、同じクーポン番号を再度ご利用いただけます。このリンクは当申請の取り消しにのみ使用でき、他の方には教えないでください。',
              href: m.cancelUrl,
            },
            {
              text: '「新規・更新 申請の取り消し」ページから、受付番号・電子メールアドレス・申請パスワードを入力して取り消すこともできます。',
              href: `${context.site.publicUrl}/cancel`,
            },
            {
              text: '本受付日時を過ぎると本受付となり、当申請を取り消すことはできなくなります。本受付後は、審査の結果、承認されなかった場合でもクーポン番号は使用済みとなり、再度ご利用いただくことはできません。',
            },
            { text: reviewStartNote },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signatureJa(context),
    };
  },

  'application.cancelled': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: subjectOf(context, `${kind} 取り消し完了のお知らせ`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${fullProductName(context.site)}をご利用いただき、誠にありがとうございます。` },
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
              text: m.kind === 'renewal' ? '改めて更新をお申し込みいただく場合は、次の更新申請ページからお手続きください。' : '改めてお申し込みいただく場合は、次の新規申請ページからお手続きください。',
              href: `${context.site.publicUrl}/${m.kind === 'renewal' ? 'renew' : 'new'}`,
            },
          ],
        },
      ],
      signature: signatureJa(context),
    };
  },

  'application.final': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: subjectOf(context, `${kind} 本受付完了のお知らせ`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${fullProductName(context.site)}をご利用いただき、誠にありがとうございます。` },
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
            { text: reviewStartNote },
            { text: '申請状況は「申請状況の確認」ページでご確認いただけます。受付番号・電子メールアドレス・申請パスワードが必要です。', href: `${context.site.publicUrl}/status` },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signatureJa(context),
    };
  },

  'application.approved': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: subjectOf(context, `${kind} 審査完了のお知らせ`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${fullProductName(context.site)}をご利用いただき、誠にありがとうございます。` },
            { text: `以下の${kind}の審査が完了しました。次の「証明書コード」と申請パスワードで、証明書を取得してください。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['証明書コード', m.certificateCode],
            ['取得期限', at(m.codeExpiresAt)],
          ],
        },
        {
          kind: 'notes',
          heading: '証明書の取得',
          items: [
            { text: '次の証明書取得ページから、証明書コードと申請パスワードを入力して証明書を取得してください。', href: m.pickupUrl },
            { text: '証明書コードは、証明書の取得のほか、更新申請などの各種申請にも必要です。このメールを大切に保管し、他の方には教えないでください。' },
            { text: '証明書コードで取得できるのは1回限りです。取得期限を過ぎた場合や、誤った入力が続いた場合は、お問い合わせ窓口までご連絡ください。' },
            { text: '鍵ペアは、証明書の取得時にお使いのブラウザーの中で作成されます。当社が秘密鍵をお預かりすることはありません。' },
          ],
        },
      ],
      signature: signatureJa(context),
    };
  },

  'pickup.mailboxValue': (m, context): MailDocument => ({
    lang: 'ja',
    subject: subjectOf(context, 'メールアドレス確認コードのお知らせ', m.acceptanceNumber),
    greeting: greetingOf(m.recipient),
    blocks: [
      {
        kind: 'paragraph',
        lines: [
          { text: `${fullProductName(context.site)}の証明書の取得にあたり、申請時の電子メールアドレスがお客様のものであることを確認いたします。` },
          { text: '証明書取得ページで、次の「確認コード」を入力してください。' },
        ],
      },
      { kind: 'facts', rows: [['受付番号', m.acceptanceNumber], ['確認コード', m.value], ['有効期限', at(m.expiresAt)]] },
      {
        kind: 'notes',
        heading: 'ご注意',
        items: [
          { text: '確認コードは証明書コードとは別のものです。証明書取得ページの「確認コード」欄に入力してください。', href: m.pickupUrl },
          { text: '確認コードの有効期限は、このメールの送信から24時間です。期限を過ぎた場合は、証明書取得ページで「確認コードを再送する」ボタンで、新しい確認コードをお受け取りください。' },
          { text: '確認コードは他の方には教えないでください。当社から電話などで確認コードをお尋ねすることはありません。' },
        ],
      },
    ],
    signature: signatureJa(context),
  }),

  'certificate.issued': (m, context): MailDocument => ({
    lang: 'ja',
    subject: subjectOf(context, '証明書発行のお知らせ', m.acceptanceNumber),
    greeting: greetingOf(m.recipient),
    blocks: [
      {
        kind: 'paragraph',
        lines: [
          { text: `${fullProductName(context.site)}をご利用いただき、誠にありがとうございます。` },
          { text: `${kindLabel(m.kind)}の証明書を発行しました。` },
        ],
      },
      { kind: 'facts', rows: [['受付番号', m.acceptanceNumber], ['シリアル番号', m.serialNumber], ['有効期間', `${at(m.notBefore)} 〜 ${at(m.notAfter)}`]] },
      {
        kind: 'notes',
        heading: '発行後のご案内',
        items: [
          { text: '保存したPKCS#12ファイル(.p12)と、そのパスワードは大切に保管してください。秘密鍵はお客様のブラウザーの中で作成されたもので、当社は保有しておりません。' },
          { text: '証明書のみ(秘密鍵を含まないファイル)は、証明書コードと申請パスワードで、証明書取得ページから再度ダウンロードできます。', href: m.pickupUrl },
          { text: '証明書を取得したお覚えがない場合は、直ちにお問い合わせ窓口までご連絡ください。' },
        ],
      },
    ],
    signature: signatureJa(context),
  }),

  'application.rejected': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'ja',
      subject: subjectOf(context, `${kind} 審査結果のお知らせ`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `${fullProductName(context.site)}をご利用いただき、誠にありがとうございます。` },
            { text: `以下の${kind}につきまして、審査の結果、誠に恐れ入りますが、証明書を発行することができませんでした。` },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['受付番号', m.acceptanceNumber],
            ['理由', rejectionReasonsJa[m.reason]],
            ...(m.note === '' ? [] : ([['補足', m.note]] as const)),
          ],
        },
        {
          kind: 'notes',
          heading: 'クーポン番号と再申請について',
          items: [
            { text: '本受付後の申請のため、お申し込みに使用されたクーポン番号は使用済みとなっております。再度お申し込みいただく場合は、クーポン券を改めてご購入ください。' },
            { text: '内容を確認のうえ、新規申請ページから改めてお申し込みいただけます。', href: `${context.site.publicUrl}/new` },
            { text: 'ご不明な点は、下記のお問い合わせ窓口までご連絡ください。' },
          ],
        },
      ],
      signature: signatureJa(context),
    };
  },
};
