import type { ProgressStep } from '../../../domain/application-progress.js';
import type { RejectionReason } from '../../../domain/rejection-reasons.js';
import type { Lang } from '../../env.js';

interface StepText {
  name: string;
  note: string;
  headline: string;
}

/** Text of 「申請状況の確認」 (SPEC 1.7). The steps are the seed's 「発行までの流れ」. */
export const statusText: Record<
  Lang,
  {
    flow: string;
    stepLookup: string;
    stepView: string;
    lookupIntro: string;
    acceptanceNumber: string;
    acceptanceNumberHint: string;
    email: string;
    password: string;
    search: string;
    notFound: string;
    notFoundCauses: string;
    kind: string;
    kindNew: string;
    kindRenewal: string;
    name: string;
    provisionalAt: string;
    finalAt: string;
    cancelledAt: string;
    stepsLabel: string;
    doneMark: string;
    steps: Record<ProgressStep, StepText>;
    cancelled: string;
    rejected: string;
    rejectionReasons: Record<RejectionReason, string>;
    cancellableUntil: (deadline: string) => string;
    cancelLink: string;
    flowHelp: string;
  }
> = {
  ja: {
    flow: '申請状況の確認',
    stepLookup: '申請の検索',
    stepView: '申請状況',
    lookupIntro:
      '仮受付完了画面または仮受付完了のお知らせメールに記載されている受付番号と、申請時に入力した電子メールアドレス・申請パスワードを入力して「検索する」ボタンをクリックしてください。',
    acceptanceNumber: '受付番号',
    acceptanceNumberHint: '(半角英数字 例: U261127-482913)',
    email: '電子メールアドレス',
    password: '申請パスワード',
    search: '検索する',
    notFound: '該当する申請が見つかりません。',
    notFoundCauses: '入力した受付番号、電子メールアドレス、あるいは申請パスワードに誤りがないかご確認ください。',
    kind: '申請の種類',
    kindNew: '新規申請',
    kindRenewal: '更新申請',
    name: 'お名前',
    provisionalAt: '仮受付日時',
    finalAt: '本受付日時(取り消し期限)',
    cancelledAt: '取り消し日時',
    stepsLabel: '発行までの流れ',
    doneMark: '(完了)',
    steps: {
      provisional: { name: '仮受付', note: '1時間以内は取り消しできます', headline: 'この申請は仮受付中です。本受付日時(取り消し期限)までは取り消すことができます。' },
      final: { name: '本受付', note: 'クーポン番号は使用済みになります', headline: 'この申請は本受付となりました。順次審査を開始いたします。' },
      review: { name: '審査中', note: '当社が申請内容を確認します', headline: 'この申請は審査中です。審査が完了しましたら電子メールでお知らせします。' },
      approved: { name: '審査完了', note: '証明書コードをメールでお送りします', headline: '審査が完了しました。証明書コードを記載した電子メールをお送りしましたので、証明書を取得してください。' },
      issued: { name: '取得済み', note: '証明書コードで証明書を取得します', headline: 'この申請の証明書は取得済みです。' },
    },
    cancelled: 'この申請は取り消し済みです。',
    rejected: 'この申請は、審査の結果、承認されませんでした(不承認)。理由は電子メールでもお知らせしています。',
    rejectionReasons: {
      'identity.unverifiable': '理由: ご本人様の確認ができませんでした。',
      'organisation.unverifiable': '理由: ご所属の組織の実在を確認できませんでした。',
      'employment.unverifiable': '理由: ご所属の組織への在籍を確認できませんでした。',
      'email.unverifiable': '理由: 電子メールアドレスがご本人様のものであることを確認できませんでした。',
      'information.incorrect': '理由: 申請内容に誤りがありました。',
      duplicate: '理由: 同じ内容の申請がすでに受け付けられています。',
      other: '理由: その他(詳しくは電子メールをご確認ください)。',
    },
    cancellableUntil: (deadline) => `${deadline}までは、この申請を取り消すことができます。`,
    cancelLink: '申請を取り消す',
    flowHelp: '発行までの流れ(ヘルプ)',
  },
  en: {
    flow: 'Application status',
    stepLookup: 'Find the application',
    stepView: 'Status',
    lookupIntro:
      'Enter the acceptance number from the acceptance page or the acceptance email, and the email address and application password you entered, then click “Search”.',
    acceptanceNumber: 'Acceptance number',
    acceptanceNumberHint: '(e.g. U261127-482913)',
    email: 'Email address',
    password: 'Application password',
    search: 'Search',
    notFound: 'No such application was found.',
    notFoundCauses: 'Please check the acceptance number, email address and application password.',
    kind: 'Type',
    kindNew: 'New application',
    kindRenewal: 'Renewal',
    name: 'Name',
    provisionalAt: 'Provisionally accepted at',
    finalAt: 'Final at (cancellation deadline)',
    cancelledAt: 'Cancelled at',
    stepsLabel: 'Steps to issuance',
    doneMark: '(done)',
    steps: {
      provisional: { name: 'Provisionally accepted', note: 'can be cancelled within the hour', headline: 'This application is provisionally accepted. It can be cancelled until the time it becomes final.' },
      final: { name: 'Final', note: 'the coupon is used up', headline: 'This application is final. Review will start shortly.' },
      review: { name: 'Under review', note: 'we check the application', headline: 'This application is under review. We will email you when the review is complete.' },
      approved: { name: 'Approved', note: 'we email the certificate code', headline: 'The review is complete. We have emailed you the certificate code: please pick up your certificate.' },
      issued: { name: 'Picked up', note: 'you pick up the certificate with the code', headline: 'The certificate of this application has been picked up.' },
    },
    cancelled: 'This application has been cancelled.',
    rejected: 'This application was not approved in the review. We have also emailed you the reason.',
    rejectionReasons: {
      'identity.unverifiable': 'Reason: we could not confirm your identity.',
      'organisation.unverifiable': 'Reason: we could not confirm that your organisation exists.',
      'employment.unverifiable': 'Reason: we could not confirm that you belong to the organisation.',
      'email.unverifiable': 'Reason: we could not confirm that the email address is yours.',
      'information.incorrect': 'Reason: the application contained incorrect information.',
      duplicate: 'Reason: an application with the same details had already been accepted.',
      other: 'Reason: another reason (see the email for details).',
    },
    cancellableUntil: (deadline) => `This application can be cancelled until ${deadline}.`,
    cancelLink: 'Cancel the application',
    flowHelp: 'Steps to issuance (help)',
  },
};
