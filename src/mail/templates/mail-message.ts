import type { RejectionReason } from '../../domain/rejection-reasons.js';
import type { Site } from '../../domain/site.js';
import type { MailDocument } from './mail-document.js';

/**
 * Who a mail is addressed to. A business certificate's mail opens with the organisation
 * and department above 〇〇 様, as Japanese business mail does.
 */
export interface MailRecipient {
  organisation: string;
  department: string;
  name: string;
}

/**
 * What a mail says, as typed data: the use case that causes a mail picks the template and
 * its values; wording, language and layout live in the templates (immich style: mails
 * are rendered apart from sending).
 */
export type MailMessage =
  | {
      template: 'application.provisional';
      kind: 'new' | 'renewal';
      recipient: MailRecipient;
      acceptanceNumber: string;
      provisionalAt: Date;
      finalAt: Date;
      /** The one-time link that cancels without the lookup (issue #6 defect 8). */
      cancelUrl: string;
    }
  | { template: 'application.cancelled'; kind: 'new' | 'renewal'; recipient: MailRecipient; acceptanceNumber: string; cancelledAt: Date }
  | { template: 'application.final'; kind: 'new' | 'renewal'; recipient: MailRecipient; acceptanceNumber: string; finalisedAt: Date }
  | {
      template: 'application.approved';
      kind: 'new' | 'renewal';
      recipient: MailRecipient;
      acceptanceNumber: string;
      /** The certificate code (証明書コード), shown once, here. */
      certificateCode: string;
      pickupUrl: string;
      codeExpiresAt: Date;
    }
  | {
      template: 'pickup.mailboxValue';
      kind: 'new' | 'renewal';
      recipient: MailRecipient;
      acceptanceNumber: string;
      /** The one-time value of mailbox control (S/MIME BR 3.2.2.1), shown once, here. */
      value: string;
      expiresAt: Date;
      pickupUrl: string;
    }
  | {
      template: 'certificate.issued';
      kind: 'new' | 'renewal';
      recipient: MailRecipient;
      acceptanceNumber: string;
      serialNumber: string;
      notBefore: Date;
      notAfter: Date;
      pickupUrl: string;
    }
  | {
      template: 'application.rejected';
      kind: 'new' | 'renewal';
      recipient: MailRecipient;
      acceptanceNumber: string;
      reason: RejectionReason;
      note: string;
    };

export type MailTemplateName = MailMessage['template'];

/** What every mail needs to know about the deployment and the recipient. */
export interface MailContext {
  site: Site;
  lang: 'ja' | 'en';
}

/** One language's templates: a function per template name, each given its own message type. */
export type MailTemplates = {
  [K in MailTemplateName]: (message: Extract<MailMessage, { template: K }>, context: MailContext) => MailDocument;
};
