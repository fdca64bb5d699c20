import type { MailDocument } from './mail-document.js';

/**
 * What a mail says, as typed data: the use case that causes a mail picks the template and
 * its values; wording, language and layout live in the templates (immich style: mails
 * are rendered apart from sending).
 */
export type MailMessage =
  | {
      template: 'application.provisional';
      kind: 'new' | 'renewal';
      name: string;
      acceptanceNumber: string;
      provisionalAt: Date;
      finalAt: Date;
    }
  | { template: 'application.cancelled'; kind: 'new' | 'renewal'; name: string; acceptanceNumber: string; cancelledAt: Date }
  | { template: 'application.final'; kind: 'new' | 'renewal'; name: string; acceptanceNumber: string; finalisedAt: Date };

export type MailTemplateName = MailMessage['template'];

/** What every mail needs to know about the deployment and the recipient. */
export interface MailContext {
  productName: string;
  /** The portal's base URL, without a trailing slash. */
  publicUrl: string;
  lang: 'ja' | 'en';
}

/** One language's templates: a function per template name, each given its own message type. */
export type MailTemplates = {
  [K in MailTemplateName]: (message: Extract<MailMessage, { template: K }>, context: MailContext) => MailDocument;
};
