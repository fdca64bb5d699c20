import type { Lang } from '../../env.js';

/** A how-to step: its text, an optional caution, and an optional link to go on with. */
export interface HelpStep {
  text: string;
  note?: string;
  link?: { href: string; label: string };
}

/** Text of the help pages (SPEC 1.6). Japanese first; the English says the same. */
export interface HelpText {
  flow: string;
  backToIndex: string;
  /** Put before a step's caution (the seed's ※). */
  notePrefix: string;
  /** The index page. */
  indexLead: string;
  topics: {
    environment: { title: string; summary: string };
    renew: { title: string; summary: string };
    cancel: { title: string; summary: string };
    maintenance: { title: string; summary: string };
    romaji: { title: string; summary: string };
  };
  /** /help/environment (SPEC 1.4). */
  environmentIntro: string;
  browsersHeading: string;
  browsers: string[];
  browsersNote: string;
  settingsHeading: string;
  settings: string[];
  keyHeading: string;
  keyBody: string;
  fileHeading: string;
  fileIntro: string;
  fileStandardName: string;
  fileStandardFor: string;
  fileCompatibleName: string;
  fileCompatibleFor: string;
  fileChoiceNote: string;
  wrongPasswordHeading: string;
  wrongPasswordBody: string;
  filePasswordHeading: string;
  filePasswordBody: string;
  toPickup: string;
  /** /help/renew (SPEC 1.1, the seed's steps). */
  renewIntro: string;
  renewCouponImportant: string;
  renewSteps: (productName: string) => HelpStep[];
  renewFixNote: string;
  renewMaintenanceNote: string;
  toRenew: string;
  toNew: string;
  /** /help/cancel (SPEC 1.3). */
  cancelIntro: string;
  cancelNeedHeading: string;
  cancelNeeds: string[];
  cancelStepsHeading: string;
  cancelSteps: string[];
  cancelAfterHeading: string;
  cancelAfter: string[];
  cancelMaintenanceNote: string;
  toCancel: string;
  /** /help/maintenance (SPEC 1.5). */
  maintenanceIntro: string;
  maintenanceUnavailableHeading: string;
  maintenanceUnavailable: string;
  maintenanceAvailable: string;
  maintenancePendingHeading: string;
  maintenancePending: string[];
  maintenanceWarningHeading: string;
  maintenanceWarning: string;
  toMaintenance: string;
  /** /help/romaji-characters (SPEC 3). */
  romajiBody: string;
  romajiExample: string;
  symbolColumn: string;
  symbolNameColumn: string;
  symbolNames: Record<string, string>;
}

export const helpText: Record<Lang, HelpText> = {
  ja: {
    flow: 'ヘルプ',
    backToIndex: 'ヘルプの目次へ戻る',
    notePrefix: '※ ',
    indexLead: 'お手続きの前にお読みください。',
    topics: {
      environment: {
        title: 'ご利用いただける環境',
        summary: '対応しているブラウザー、必要な設定、証明書ファイルの形式についてご案内します。',
      },
      renew: {
        title: '更新申請の手順',
        summary: '更新通知メールが届いてから、証明書コードのメールが届くまでの流れをご案内します。',
      },
      cancel: {
        title: '申請の取り消し方法',
        summary: '仮受付から1時間以内の新規申請・更新申請を取り消す方法をご案内します。',
      },
      maintenance: {
        title: 'システムメンテナンスについて',
        summary: 'メンテナンス中にご利用いただけない機能と、申請中のお手続きへの影響をご案内します。',
      },
      romaji: {
        title: '「役職/部署(ローマ字)」に使用可能な文字',
        summary: '半角英数字のほかに使用できる記号の一覧です。',
      },
    },

    environmentIntro:
      '新規申請・更新申請・申請の取り消し・証明書の取得は、次の環境からお手続きください。特に証明書の取得では、お使いのブラウザーの中で鍵を作成するため、対応ブラウザーが必要です。',
    browsersHeading: '対応ブラウザー',
    browsers: ['Google Chrome(最新版)', 'Microsoft Edge(最新版)', 'Mozilla Firefox(最新版)', 'Safari(最新版)'],
    browsersNote: 'いずれも最新版をご利用ください。古いバージョンでは、証明書の取得ができない場合があります。',
    settingsHeading: '必要な設定',
    settings: ['JavaScript を有効にしてください。', 'Cookie を有効にしてください。'],
    keyHeading: '鍵の作成について',
    keyBody:
      '証明書の取得では、秘密鍵と公開鍵の組(鍵ペア)をお使いのブラウザーの中で作成し、公開鍵だけを当社に送信します。秘密鍵が当社に送られることはなく、当社で保管することもありません。取得した証明書と秘密鍵は、お客様のパソコンやスマートフォンに保存したファイルにのみ格納されます。',
    fileHeading: '証明書ファイル(PKCS#12)の形式',
    fileIntro:
      '取得した証明書と秘密鍵は、パスワードで保護された1つのファイル(PKCS#12 形式、拡張子 .p12)として保存します。ファイルは次の2種類から選べます。',
    fileStandardName: '標準',
    fileStandardFor:
      'Windows 10(バージョン 1709 以降)、Windows 11、Mozilla Firefox、Thunderbird。新しい暗号方式(AES-256)で保護します。',
    fileCompatibleName: '互換',
    fileCompatibleFor:
      'macOS、iPhone・iPad、Android、古い Windows(Windows Server 2016 以前など)。これらの環境から取得する場合は、あらかじめ「互換」が選ばれています。',
    fileChoiceNote: 'どちらの形式でも、証明書と秘密鍵の内容は同じです。',
    wrongPasswordHeading: '読み込みの際に「パスワードが違います」と表示される場合',
    wrongPasswordBody:
      'macOS、iPhone・iPad、Android などでは、「標準」のファイルを読み込もうとすると、正しいパスワードを入力しても「パスワードが違います」と表示されることがあります。これはパスワードの誤りではなく、お使いの環境が「標準」の形式に対応していないためです。取得画面で「互換」のファイルを保存し、そちらを読み込んでください。',
    filePasswordHeading: 'ファイルのパスワード',
    filePasswordBody:
      'ファイルのパスワードには、半角英数字と記号を使用します。取得画面で自動作成されたパスワードは一度しか表示されませんので、コピーして大切に保管してください。ご自身で決めたパスワードを入力することもできます。',
    toPickup: '証明書を取得する',

    renewIntro:
      'お持ちの証明書を更新する手順です。更新申請を行った後も、お持ちの証明書は有効期限まで引き続きご利用いただけます。',
    renewCouponImportant:
      '【重要】更新申請を行うには、新しいクーポン券が必要です。事前にクーポン券をご購入ください。ご購入については、前回クーポン券をご購入されたクーポン再販パートナーにお問い合わせください。',
    renewSteps: (productName) => [
      {
        text: `証明書の有効期限の30日前と10日前に、「${productName} 証明書有効期限切れに関するご案内」という件名の更新通知メールが届きます。メールには、更新申請ページの URL と証明書コードが記載されています。`,
        note: '2回目のメールが届く前に更新後の証明書を取得した場合、2回目のメールは送信されません。',
      },
      {
        text: '証明書の更新は、有効期限の30日前から、有効期限が切れてから365日後まで行えます。この期間内に更新申請ページにアクセスしてください。',
      },
      {
        text: '更新申請ページで、前回の申請時に登録した電子メールアドレスと申請パスワード、および更新通知メールに記載されている証明書コードを入力して検索し、更新する証明書を選択します。',
        note: '「更新申請が可能な電子証明書が存在しません。」と表示された場合は、入力した内容に誤りがあるか、更新できる期間内の証明書がありません。',
      },
      {
        text: '申請情報を入力します。各項目には前回の登録情報が表示されていますので、必要に応じて修正してください。「クーポン番号」には、新しくご購入いただいたクーポン番号を入力します。',
        note: '「組織名」と「お名前」は更新申請では変更できません。変更が必要な場合は、更新申請を中断し、新規申請を行ってください。',
        link: { href: '/new', label: '新規申請はこちら' },
      },
      {
        text: '確認画面で申請内容を確認し、よろしければ「送信」をクリックします。修正する場合は「戻る」をクリックすると、入力した内容を保ったまま入力画面に戻ります。',
      },
      {
        text: '「更新申請の仮受付完了」と表示され、受付番号が発行されます。同じ内容のメールもお送りします。このとき、使用したクーポン番号はロックされます。',
      },
      {
        text: '仮受付から1時間以内であれば、申請を取り消すことができます。取り消すとクーポン番号のロックが解除され、同じクーポン番号で申請し直せます。',
        link: { href: '/help/cancel', label: '申請の取り消し方法' },
      },
      {
        text: '仮受付から1時間を経過すると本受付となり、申請は取り消せなくなります。本受付後は、審査の結果承認されなかった場合でも、クーポン番号は使用済みとなります。',
      },
      {
        text: '本受付の後、順次審査を行います。審査が完了すると、申請時に入力した電子メールアドレスに、証明書の取得に必要な「証明書コード」を記載したメールが届きます。このメールは大切に保管してください。',
        note: '混み具合により、審査の開始まで数営業日いただく場合があります。メールが迷惑メールとして扱われないよう、あらかじめメールソフトの設定をご確認ください。',
      },
    ],
    renewFixNote:
      '送信した後は、申請内容を修正できません。修正が必要な場合は、仮受付から1時間以内に申請を取り消したうえで、改めて更新申請を行ってください。',
    renewMaintenanceNote:
      '仮受付から1時間以内にシステムメンテナンスが開始された場合、申請はメンテナンスの途中で本受付となり、取り消しはできません。事前にメンテナンスの予定をご確認のうえ、時間に余裕を持って申請してください。',
    toRenew: '更新申請を始める',
    toNew: '新規申請はこちら',

    cancelIntro:
      '新規申請・更新申請は、仮受付から1時間以内であれば取り消すことができます。取り消した申請で使用したクーポン番号は、再び申請に使用できます。',
    cancelNeedHeading: '必要なもの',
    cancelNeeds: [
      '受付番号(仮受付完了画面と、仮受付時にお送りしたメールに記載されています)',
      '申請時に入力した電子メールアドレス',
      '申請パスワード',
    ],
    cancelStepsHeading: '取り消しの手順',
    cancelSteps: [
      'メニューの「新規・更新 申請の取り消し」を開きます。',
      '受付番号、電子メールアドレス、申請パスワードを入力します。',
      '表示された申請の内容を確認し、取り消します。取り消しが完了すると、クーポン番号のロックが解除されます。',
    ],
    cancelAfterHeading: '取り消しができない場合',
    cancelAfter: [
      '仮受付から1時間を経過した申請は本受付となっているため、取り消しできません。本受付日時は、仮受付完了画面とメールに記載されています。',
      'システムメンテナンス中は、取り消しのお手続きをご利用いただけません。',
      '本受付後は、審査の結果承認されなかった場合でも、クーポン番号は使用済みとなります。',
    ],
    cancelMaintenanceNote:
      '仮受付から1時間以内にシステムメンテナンスが開始された場合、申請はメンテナンスの途中で本受付となり、取り消しはできません。',
    toCancel: '申請を取り消す',

    maintenanceIntro:
      'サービスの品質を保つため、システムメンテナンスを行うことがあります。実施の予定は「システムメンテナンスのお知らせ」でご案内します。',
    maintenanceUnavailableHeading: 'メンテナンス中にご利用いただけない機能',
    maintenanceUnavailable:
      'メンテナンス中は、新規申請・更新申請・申請の取り消し・証明書の取得をご利用いただけません。これらの画面を開くと、メンテナンス中である旨と終了予定の日時が表示されます。',
    maintenanceAvailable: 'ホーム、ヘルプ、メンテナンスのお知らせは、メンテナンス中もご覧いただけます。',
    maintenancePendingHeading: '申請中のお手続きへの影響',
    maintenancePending: [
      '仮受付済みの申請は、メンテナンス中も予定どおり、仮受付から1時間後に本受付となります。',
      '仮受付から1時間以内にメンテナンスが開始された場合、申請はメンテナンスの途中で本受付となり、取り消しはできません。',
    ],
    maintenanceWarningHeading: 'メンテナンス前に申請される方へ',
    maintenanceWarning:
      '送信後1時間以内にメンテナンスが始まる場合は、申請内容の確認画面に注意が表示されます。取り消しの可能性がある場合は、メンテナンスの終了後に申請されることをおすすめします。',
    toMaintenance: 'システムメンテナンスのお知らせを見る',

    romajiBody: '半角英字(A〜Z、a〜z)、半角数字(0〜9)、半角スペース、および次の記号を使用できます。',
    romajiExample: '入力例: Senior Manager, Accounting Dept.',
    symbolColumn: '記号',
    symbolNameColumn: '名称',
    symbolNames: {
      ',': 'カンマ',
      '.': 'ピリオド',
      '-': 'ハイフン',
      '&': 'アンパサンド',
      "'": 'アポストロフィ',
      '(': '左丸括弧',
      ')': '右丸括弧',
      '/': 'スラッシュ',
    },
  },
  en: {
    flow: 'Help',
    backToIndex: 'Back to the help index',
    notePrefix: 'Note: ',
    indexLead: 'Please read this before you start.',
    topics: {
      environment: {
        title: 'Supported environments',
        summary: 'Supported browsers, the settings you need, and the certificate file formats.',
      },
      renew: {
        title: 'How to renew',
        summary: 'From the renewal notice to the email with your certificate code.',
      },
      cancel: {
        title: 'How to cancel an application',
        summary: 'Cancel a new application or a renewal within one hour of provisional acceptance.',
      },
      maintenance: {
        title: 'About system maintenance',
        summary: 'What is unavailable during maintenance, and what happens to pending applications.',
      },
      romaji: {
        title: 'Characters allowed in “Title/department (romaji)”',
        summary: 'The symbols you may use besides letters and digits.',
      },
    },

    environmentIntro:
      'Please apply, renew, cancel and pick up your certificate from the environments below. Pickup in particular creates your key inside the browser, so it needs a supported browser.',
    browsersHeading: 'Supported browsers',
    browsers: ['Google Chrome (current version)', 'Microsoft Edge (current version)', 'Mozilla Firefox (current version)', 'Safari (current version)'],
    browsersNote: 'Please use the current version. Older versions may not be able to pick up a certificate.',
    settingsHeading: 'Settings you need',
    settings: ['Enable JavaScript.', 'Enable cookies.'],
    keyHeading: 'How your key is created',
    keyBody:
      'At pickup, your browser creates the key pair (private and public key) and sends us only the public key. Your private key is never sent to us and we never store it: only the file saved on your computer or phone holds your certificate and private key.',
    fileHeading: 'Certificate file formats (PKCS#12)',
    fileIntro:
      'Your certificate and private key are saved together in one password-protected file (PKCS#12, extension .p12). You can choose between two formats.',
    fileStandardName: 'Standard',
    fileStandardFor: 'Windows 10 (version 1709 or later), Windows 11, Mozilla Firefox, Thunderbird. Protected with modern encryption (AES-256).',
    fileCompatibleName: 'Compatible',
    fileCompatibleFor:
      'macOS, iPhone and iPad, Android, and older Windows (such as Windows Server 2016 and earlier). When you pick up from these systems, “Compatible” is preselected.',
    fileChoiceNote: 'Both formats hold the same certificate and private key.',
    wrongPasswordHeading: 'If importing the file says “wrong password”',
    wrongPasswordBody:
      'On macOS, iPhone, iPad, Android and similar systems, importing a “Standard” file may report a wrong password even though the password is right. The password is not the problem: the system cannot read the Standard format. Save the “Compatible” file on the pickup page and import that one instead.',
    filePasswordHeading: 'The file password',
    filePasswordBody:
      'The file password uses ASCII letters, digits and symbols. A password generated by the pickup page is shown only once, so copy it and keep it safe. You may also type a password of your own.',
    toPickup: 'Pick up a certificate',

    renewIntro: 'How to renew your certificate. After you apply for renewal, your current certificate stays valid until it expires.',
    renewCouponImportant:
      'Important: a renewal needs a new coupon. Please buy one beforehand from the coupon reseller you bought your previous coupon from.',
    renewSteps: (productName) => [
      {
        text: `30 days and 10 days before your certificate expires, we send a renewal notice with the subject “${productName} 証明書有効期限切れに関するご案内” (notice of certificate expiry). It contains the address of the renewal page and your certificate code.`,
        note: 'If you pick up the renewed certificate before the second notice is due, the second notice is not sent.',
      },
      { text: 'You can renew from 30 days before your certificate expires until 365 days after it has expired. Open the renewal page within that period.' },
      {
        text: 'On the renewal page, enter the email address and application password you registered last time and the certificate code from the notice, search, and choose the certificate to renew.',
        note: 'If the page says no certificate can be renewed, something you entered is wrong, or no certificate is within its renewal period.',
      },
      {
        text: 'Enter the application details. The form shows what you registered last time; correct anything that has changed. Enter the number of your new coupon.',
        note: 'The organisation name and your name cannot be changed by a renewal. If they need to change, stop the renewal and make a new application instead.',
        link: { href: '/new', label: 'New application' },
      },
      { text: 'Check everything on the confirmation screen and click “Submit”. To correct something, click “Back”: the form keeps what you entered.' },
      { text: 'The page shows that your renewal has been provisionally accepted, with an acceptance number; we also send it by email. The coupon is now locked.' },
      {
        text: 'Within one hour of provisional acceptance you can cancel the application. The coupon is then released and you can apply again with the same coupon.',
        link: { href: '/help/cancel', label: 'How to cancel an application' },
      },
      {
        text: 'One hour after provisional acceptance the application becomes final and can no longer be cancelled. From then on the coupon is used, even if the application does not pass review.',
      },
      {
        text: 'After final acceptance we review your application. When the review is complete, we send the certificate code you need for pickup to the email address you entered. Please keep that email.',
        note: 'Depending on demand, the review may start only after a few business days. Please make sure our email does not end up in your spam folder.',
      },
    ],
    renewFixNote:
      'Once submitted, an application cannot be edited. To correct it, cancel it within one hour of provisional acceptance and apply again.',
    renewMaintenanceNote:
      'If system maintenance starts within one hour of provisional acceptance, the application becomes final during the maintenance and cannot be cancelled. Please check the maintenance schedule and leave enough time when you apply.',
    toRenew: 'Start a renewal',
    toNew: 'New application',

    cancelIntro:
      'A new application or a renewal can be cancelled within one hour of provisional acceptance. The coupon it used can then be used again.',
    cancelNeedHeading: 'What you need',
    cancelNeeds: [
      'The acceptance number (on the provisional acceptance page and in the email we sent you)',
      'The email address you entered in the application',
      'Your application password',
    ],
    cancelStepsHeading: 'Steps',
    cancelSteps: [
      'Open “Cancel an application” in the menu.',
      'Enter the acceptance number, the email address and the application password.',
      'Check the application shown and cancel it. When the cancellation is complete, the coupon is released.',
    ],
    cancelAfterHeading: 'When an application cannot be cancelled',
    cancelAfter: [
      'One hour after provisional acceptance the application is final and cannot be cancelled. The time it becomes final is on the provisional acceptance page and in the email.',
      'Cancellation is not available during system maintenance.',
      'After final acceptance the coupon is used, even if the application does not pass review.',
    ],
    cancelMaintenanceNote:
      'If system maintenance starts within one hour of provisional acceptance, the application becomes final during the maintenance and cannot be cancelled.',
    toCancel: 'Cancel an application',

    maintenanceIntro: 'We occasionally carry out system maintenance to keep the service running well. Scheduled maintenance is announced on the maintenance notice page.',
    maintenanceUnavailableHeading: 'What is unavailable during maintenance',
    maintenanceUnavailable:
      'During maintenance, new applications, renewals, cancellations and certificate pickup are not available. These pages show that maintenance is in progress and when it is expected to end.',
    maintenanceAvailable: 'The home page, help and the maintenance notices remain available.',
    maintenancePendingHeading: 'What happens to pending applications',
    maintenancePending: [
      'A provisionally accepted application becomes final one hour after provisional acceptance, as usual, also during maintenance.',
      'If maintenance starts within one hour of provisional acceptance, the application becomes final during the maintenance and cannot be cancelled.',
    ],
    maintenanceWarningHeading: 'If you apply shortly before maintenance',
    maintenanceWarning:
      'If maintenance starts within one hour after you submit, the confirmation screen shows a caution. If you might need to cancel, we recommend applying after the maintenance has ended.',
    toMaintenance: 'See the maintenance notices',

    romajiBody: 'Letters A–Z and a–z, digits 0–9, the space, and these symbols.',
    romajiExample: 'Example: Senior Manager, Accounting Dept.',
    symbolColumn: 'Symbol',
    symbolNameColumn: 'Name',
    symbolNames: {
      ',': 'comma',
      '.': 'full stop',
      '-': 'hyphen',
      '&': 'ampersand',
      "'": 'apostrophe',
      '(': 'left parenthesis',
      ')': 'right parenthesis',
      '/': 'slash',
    },
  },
};
