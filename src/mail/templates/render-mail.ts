import { enTemplates } from './en.js';
import { jaTemplates } from './ja.js';
import { renderHtml, renderText, type MailDocument } from './mail-document.js';
import type { MailContext, MailMessage, MailTemplates } from './mail-message.js';

export type { MailContext, MailMessage, MailTemplateName } from './mail-message.js';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const templates: Record<MailContext['lang'], MailTemplates> = { ja: jaTemplates, en: enTemplates };

/** Subject, plain text and HTML of one mail; pure, so the outbox stores exactly what is sent. */
export function renderMail(message: MailMessage, context: MailContext): RenderedMail {
  const doc = documentOf(message, context);
  return { subject: doc.subject, text: renderText(doc), html: renderHtml(doc) };
}

function documentOf(message: MailMessage, context: MailContext): MailDocument {
  const t = templates[context.lang];
  const publicContext = { ...context, site: { ...context.site, publicUrl: context.site.publicUrl.replace(/\/+$/, '') } };
  switch (message.template) {
    case 'application.provisional':
      return t[message.template](message, publicContext);
    case 'application.cancelled':
      return t[message.template](message, publicContext);
    case 'application.final':
      return t[message.template](message, publicContext);
    case 'application.approved':
      return t[message.template](message, publicContext);
    case 'application.rejected':
      return t[message.template](message, publicContext);
    case 'pickup.mailboxValue':
      return t[message.template](message, publicContext);
    case 'certificate.issued':
      return t[message.template](message, publicContext);
  }
}
