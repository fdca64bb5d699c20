import type { Lang } from '../../env.js';
import type { FlowText } from '../application-views.js';

/** Text of the new-application flow (SPEC 1.2): the renewal screens' words, for a first application. */
export const newApplicationText: Record<Lang, FlowText> = {
  ja: {
    flow: '新規申請',
    stepForm: '申請情報の入力',
    stepConfirm: '申請内容の確認',
    stepAccepted: '新規申請の仮受付完了',
    errorSummary: '入力内容に誤りがあります。以下の項目をご確認ください。',
    formIntro: '各入力項目に情報を入力して「次へ」ボタンをクリックしてください。',
    couponImportant: '【重要】「クーポン番号(8桁 - 8桁)」には、ご購入いただいたクーポン券に記載された16桁の番号を入力してください。',
    passwordSection: '申請パスワード',
    passwordKeepNote:
      '申請パスワードは、申請の取り消しや証明書の取得・更新の際に、お客様ご本人であることを確認するために使用します。確認のため2回入力してください。',
    passwordEnteredBefore: '申請パスワードは入力済みです。変更する場合のみ、新しい申請パスワードを2回入力してください。',
    newPassword: '申請パスワード',
    newPasswordConfirm: '申請パスワード(確認)',
    passwordRules: '(半角英数字・記号 8〜64文字。英字・数字・記号のうち2種類以上)',
    confirmQuestion: 'この内容で新規の申請を行いますか？',
    confirmIntro: '申請内容を送信する前に内容を十分ご確認ください。よろしければ「送信」ボタンをクリックしてください。',
    passwordExplain:
      '申請パスワードは、本申請完了後に、当サービスにおいてお客様本人を確認するための情報です。当サービスを利用する際に、この申請パスワードが必要になります。そのため他人に教えたり、忘れてしまわないようにしてください。',
    password: '申請パスワード',
    passwordChanged: '●●●●●●●●(入力済み)',
    passwordKept: '●●●●●●●●(入力済み)',
    privacy:
      '提供いただいた情報は当社のプライバシーポリシーに沿って厳重に管理いたします。頂いた情報に基づき、当社ならびに当社の業務委託先、当社が提携している販売事業者より、個人用電子証明書の発行およびサービスに関するご連絡をさせていただく場合がございます。',
    acceptedLead: '新規申請を仮受付しました。',
    acceptanceNumber: '受付番号',
    acceptedAt: '仮受付日時',
    finalAt: '本受付日時(この時刻を過ぎると取り消しできません)',
    pleaseRead: 'お読みください',
    acceptedNotes: [
      '新規申請に使用したクーポン番号は一旦ロックされました。',
      '新規申請の仮受付から1時間以内であれば、当申請を取り消すことができ、当申請で使用したクーポン番号を再度使用して申請を行うことが可能です。',
      '新規申請の仮受付から1時間を経過すると、本受付となり当申請を取り消すことができなくなります。※本受付後は申請内容に不備があり、認証されなかった場合でも再申請用にクーポンを再度購入いただく必要があります。',
      '本受付以降に順次、審査業務を開始いたします。※混み具合により審査業務開始まで数日の営業日数をいただく場合がございます。予めご了承ください。',
      '審査が無事完了しますと、さきほど当申請で入力した電子メールアドレス宛に、電子メールが届きます。',
      '届いた電子メール本文中に、個人用電子証明書の取得や各種申請に必要な「証明書コード」が記載されていますので、電子メールは大事に保管してください。※迷惑メールとして受信トレイから除外されないよう事前にメールソフトの設定をご確認ください。',
    ],
    cancelMenuNote: '当申請の取消は「新規・更新 申請の取り消し」メニューからお手続きください。',
  },
  en: {
    flow: 'New application',
    stepForm: 'Enter the application details',
    stepConfirm: 'Confirm your application',
    stepAccepted: 'Application provisionally accepted',
    errorSummary: 'There is a problem with what you entered. Please check these fields.',
    formIntro: 'Fill in each field and click “Next”.',
    couponImportant: 'Important: enter the 16-digit number printed on the coupon you bought in “Coupon number (8 digits - 8 digits)”.',
    passwordSection: 'Application password',
    passwordKeepNote:
      'The application password confirms it is you when you cancel this application or pick up and renew your certificate. Enter it twice.',
    passwordEnteredBefore: 'An application password has been entered. Re-enter it twice only to change it.',
    newPassword: 'Application password',
    newPasswordConfirm: 'Application password (again)',
    passwordRules: '(8–64 ASCII characters, at least two of letters, digits and symbols)',
    confirmQuestion: 'Submit this application?',
    confirmIntro: 'Please check everything before you submit. If it is correct, click “Submit”.',
    passwordExplain:
      'The application password identifies you in this service after the application. You will need it whenever you use the service, so keep it to yourself and do not forget it.',
    password: 'Application password',
    passwordChanged: '●●●●●●●● (entered)',
    passwordKept: '●●●●●●●● (entered)',
    privacy:
      'We handle the information you provide according to our privacy policy. We, our contractors and our reseller partners may contact you about issuing your personal certificate and related services.',
    acceptedLead: 'Your application has been provisionally accepted.',
    acceptanceNumber: 'Acceptance number',
    acceptedAt: 'Provisionally accepted at',
    finalAt: 'Final at (cannot be cancelled after this time)',
    pleaseRead: 'Please read',
    acceptedNotes: [
      'The coupon number you used is now locked.',
      'Within one hour of provisional acceptance you can cancel this application, and then use the same coupon number again.',
      'One hour after provisional acceptance the application becomes final and can no longer be cancelled. After that, the coupon is used up even if the application cannot be approved.',
      'Review starts after final acceptance. Depending on demand it may take a few business days.',
      'When the review is complete, we will email the address you entered in this application.',
      'That email contains the certificate code you need to pick up your certificate, so please keep it. Check that your mail software does not file it as spam.',
    ],
    cancelMenuNote: 'To cancel, use the “Cancel an application” menu.',
  },
};
