import type { Lang } from '../env.js';

/**
 * Text of the maintenance page, the public notice page and the confirmation-screen
 * warning (SPEC 1.5; the seed's closing paragraph on maintenance and cancellation).
 */
export interface MaintenanceText {
  /** The page subscribers see instead of a flow during a window. */
  activeTitle: string;
  activeLead: string;
  activeUnavailable: string;
  periodLabel: string;
  messageLabel: string;
  pendingHeading: string;
  pendingBody: string;
  comeBack: string;
  noticeLink: string;
  homeLink: string;
  /** The public notice page. */
  noticeTitle: string;
  noticeLead: string;
  noticeNone: string;
  columnPeriod: string;
  columnStatus: string;
  columnMessage: string;
  statusActive: string;
  statusUpcoming: string;
  noticePendingHeading: string;
  noticePendingBody: string;
  helpLink: string;
  /** The warning on confirmation screens (the period follows on its own line, under periodLabel). */
  warningHeading: string;
  warning: string;
  warningAdvice: string;
  /** The banner on the home page and on each flow's first page. */
  bannerActive: string;
  bannerUpcoming: string;
  /** How a period reads: start, separator, end, time zone. */
  periodSeparator: string;
  japanTime: string;
}

export const maintenanceText: Record<Lang, MaintenanceText> = {
  ja: {
    activeTitle: 'ただいまシステムメンテナンス中です',
    activeLead: 'ご不便をおかけして申し訳ございません。ただいまシステムメンテナンスを実施しております。',
    activeUnavailable: 'メンテナンス中は、新規申請・更新申請・申請の取り消し・証明書の取得をご利用いただけません。',
    periodLabel: 'メンテナンス日時',
    messageLabel: 'お知らせ',
    pendingHeading: '仮受付済みの申請について',
    pendingBody:
      '仮受付から1時間以内にシステムメンテナンスが開始された申請は、システムメンテナンスの途中で本受付となります。メンテナンス中は申請の取り消しはできませんので、あらかじめご了承ください。',
    comeBack: 'お手数ですが、メンテナンス終了後に改めてアクセスしてください。',
    noticeLink: 'システムメンテナンスのお知らせ',
    homeLink: 'ホームへ戻る',
    noticeTitle: 'システムメンテナンスのお知らせ',
    noticeLead:
      '下記の日時にシステムメンテナンスを実施いたします。メンテナンス中は、新規申請・更新申請・申請の取り消し・証明書の取得をご利用いただけません。ご不便をおかけいたしますが、ご理解とご協力をお願いいたします。',
    noticeNone: '現在予定されているメンテナンスはありません。',
    columnPeriod: '日時',
    columnStatus: '状況',
    columnMessage: '内容',
    statusActive: '実施中',
    statusUpcoming: '予定',
    noticePendingHeading: 'メンテナンス前に申請される方へ',
    noticePendingBody:
      '仮受付から1時間以内にシステムメンテナンスが開始された場合、システムメンテナンスの途中で本受付となり、申請の取り消しはできません。事前にシステムメンテナンスの日時をご確認のうえ、時間に余裕を持って申請を行ってください。',
    helpLink: 'システムメンテナンスについて(ヘルプ)',
    warningHeading: 'システムメンテナンスに関するご注意',
    warning: '送信後1時間以内にシステムメンテナンスが開始されるため、メンテナンス開始後は申請の取り消しができない場合があります。',
    warningAdvice:
      '仮受付から1時間以内にメンテナンスが開始された申請は、メンテナンスの途中で本受付となります。取り消しの可能性がある場合は、メンテナンス終了後に申請されることをおすすめします。',
    bannerActive: 'ただいまシステムメンテナンス中です。新規申請・更新申請・申請の取り消し・証明書の取得はご利用いただけません。',
    bannerUpcoming: '次の日時にシステムメンテナンスを予定しております。メンテナンス中は、新規申請・更新申請・申請の取り消し・証明書の取得をご利用いただけません。',
    periodSeparator: '〜',
    japanTime: '(日本時間)',
  },
  en: {
    activeTitle: 'The system is under maintenance',
    activeLead: 'We are sorry for the inconvenience. System maintenance is in progress.',
    activeUnavailable: 'During maintenance, new applications, renewals, cancellations and certificate pickup are not available.',
    periodLabel: 'Maintenance period',
    messageLabel: 'Notice',
    pendingHeading: 'Applications already provisionally accepted',
    pendingBody:
      'If maintenance started within one hour of an application’s provisional acceptance, the application becomes final during the maintenance. Applications cannot be cancelled during maintenance.',
    comeBack: 'Please come back after the maintenance has ended.',
    noticeLink: 'Maintenance notices',
    homeLink: 'Back to the home page',
    noticeTitle: 'Maintenance notices',
    noticeLead:
      'System maintenance is scheduled at the times below. During maintenance, new applications, renewals, cancellations and certificate pickup are not available. Thank you for your understanding.',
    noticeNone: 'No maintenance is currently scheduled.',
    columnPeriod: 'When',
    columnStatus: 'Status',
    columnMessage: 'Details',
    statusActive: 'In progress',
    statusUpcoming: 'Scheduled',
    noticePendingHeading: 'If you apply shortly before maintenance',
    noticePendingBody:
      'If maintenance starts within one hour of provisional acceptance, the application becomes final during the maintenance and can no longer be cancelled. Please check the maintenance schedule and leave enough time before it when you apply.',
    helpLink: 'About maintenance (help)',
    warningHeading: 'Scheduled maintenance',
    warning: 'System maintenance starts within one hour after you submit, so once it has started you may not be able to cancel this application.',
    warningAdvice:
      'If maintenance starts within one hour of provisional acceptance, the application becomes final during the maintenance. If you might need to cancel, we recommend applying after the maintenance has ended.',
    bannerActive: 'System maintenance is in progress. New applications, renewals, cancellations and pick-up are not available.',
    bannerUpcoming: 'System maintenance is scheduled for the time below. During it, new applications, renewals, cancellations and pick-up are not available.',
    periodSeparator: ' – ',
    japanTime: ' (Japan time)',
  },
};
