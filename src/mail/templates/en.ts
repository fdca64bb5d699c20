import { formatMailInstant, type MailDocument, type MailSignature } from './mail-document.js';
import type { MailContext, MailMessage, MailTemplates } from './mail-message.js';

/** English mail text: the same facts and promises as the Japanese templates. */

const kindLabel = (kind: MailMessage['kind']) => (kind === 'renewal' ? 'renewal application' : 'new application');
const at = (instant: Date) => formatMailInstant(instant, 'en');

const signature = (context: MailContext): MailSignature => ({
  productName: context.productName,
  publicUrl: context.publicUrl,
  notes: [
    'This email was sent from a send-only address. Replies to it are not read.',
    'If you did not expect this email, please delete it.',
  ],
});

const certificateCodeNote =
  'When the review is complete, we will email the address in your application the certificate code you need to pick up your certificate. Please keep that email, and check that your mail software does not file it as spam.';

export const enTemplates: MailTemplates = {
  'application.provisional': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'en',
      subject: `${context.productName}: ${kind} provisionally accepted (acceptance number ${m.acceptanceNumber})`,
      greeting: `Dear ${m.name},`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `Thank you for your ${kind} for ${context.productName}.` },
            { text: 'We have provisionally accepted it with these details:' },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Provisionally accepted at', at(m.provisionalAt)],
            ['Final at', at(m.finalAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'Please note',
          items: [
            { text: 'The coupon number you used is now locked.' },
            {
              text: `Until ${at(m.finalAt)} you can cancel this application on the "Cancel an application" page below; the same coupon number can then be used again. You will need the acceptance number, your email address and your application password.`,
              href: `${context.publicUrl}/cancel`,
            },
            {
              text: 'After that time the application is final and can no longer be cancelled. From then on the coupon is used up, even if the application cannot be approved in the review.',
            },
            { text: 'Review starts after final acceptance. Depending on demand it may take a few business days to begin.' },
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
      lang: 'en',
      subject: `${context.productName}: ${kind} cancelled (acceptance number ${m.acceptanceNumber})`,
      greeting: `Dear ${m.name},`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [{ text: `As you requested, we have cancelled this ${kind} for ${context.productName}.` }],
        },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Cancelled at', at(m.cancelledAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'About your coupon',
          items: [
            { text: 'The coupon number you used has been released. You can use the same coupon number again for a new application.' },
            {
              text: m.kind === 'renewal' ? 'To apply for the renewal again, use the renewal page:' : 'To apply again, use the new application page:',
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
      lang: 'en',
      subject: `${context.productName}: ${kind} finally accepted (acceptance number ${m.acceptanceNumber})`,
      greeting: `Dear ${m.name},`,
      blocks: [
        {
          kind: 'paragraph',
          lines: [{ text: `Your ${kind} for ${context.productName} is now final.` }],
        },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Final at', at(m.finalisedAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'What happens next',
          items: [
            { text: 'The application is final and can no longer be cancelled. The coupon number you used is now used up.' },
            { text: 'Review starts now. Depending on demand it may take a few business days. Thank you for your patience.' },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signature(context),
    };
  },
};
