/**
 * Who runs this CA and where subscribers can ask (SPEC 1.8): configuration, shown in the
 * header, footer, privacy note and every mail's signature, as a Japanese CA shows it.
 */
export interface Site {
  /** The short brand, e.g. 「certdesk」: the header's first line, 【…】 in mail subjects. */
  brandName: string;
  /** The product, e.g. 「個人用電子証明書 Class2 スタンダード」: the header's second line. */
  productName: string;
  /** The portal's base URL, without a trailing slash. */
  publicUrl: string;
  operator: OperatorIdentity;
}

export interface OperatorIdentity {
  /** The operating company, e.g. 〇〇株式会社: 「〇〇株式会社(以下、当社)」 in the privacy note. */
  name: string;
  /** The support desk's page (absolute URL). */
  supportUrl: string;
  /** The support desk's phone number; absent when there is none to publish. */
  supportPhone: string | undefined;
  /** e.g. 平日9:00〜18:00(土日祝・年末年始を除く) */
  supportHours: string;
  /** Where the CP/CPS and the subscriber agreement are published (absolute URL). */
  repositoryUrl: string;
}

/** Brand and product together, as a title or a sentence names the service. */
export function fullProductName(site: Pick<Site, 'brandName' | 'productName'>): string {
  return `${site.brandName} ${site.productName}`;
}
