import { fullProductName } from '../../domain/site.js';
import { formatMailInstant, type MailDocument, type MailSignature } from './mail-document.js';
import type { RejectionReason } from '../../domain/rejection-reasons.js';
import type { MailContext, MailMessage, MailRecipient, MailTemplates } from './mail-message.js';

/** English mail text: the same facts and promises as the Japanese templates. */

const kindLabel = (kind: MailMessage['kind']) => (kind === 'renewal' ? 'renewal application' : 'new application');
const at = (instant: Date) => formatMailInstant(instant, 'en');
const subjectOf = (context: MailContext, text: string, acceptanceNumber: string) => `[${context.site.brandName}] ${text} (acceptance number ${acceptanceNumber})`;
const greetingOf = (r: MailRecipient): string[] => [r.organisation, r.department === 'なし' ? '' : r.department, `Dear ${r.name},`].filter((line) => line !== '');

function signature(context: MailContext): MailSignature {
  const { site } = context;
  const operator = site.operator;
  return {
    productName: fullProductName(site),
    publicUrl: site.publicUrl,
    lines: [
      { text: operator.name },
      { text: 'Support desk', href: operator.supportUrl },
      ...(operator.supportPhone === undefined ? [] : [{ text: `Phone: ${operator.supportPhone}` }]),
      { text: `Hours: ${operator.supportHours}` },
    ],
    notes: [
      'This email was sent from a send-only address. Replies to it are not read.',
      'If you did not apply, someone may be using your email address by mistake or without your permission. Please tell the support desk above.',
    ],
  };
}

const reviewStartNote = 'Review starts after final acceptance. Depending on demand it may take a few business days to begin. Thank you for your patience.';

const certificateCodeNote =
  'When the review is complete, we will email the address in your application the certificate code you need to pick up your certificate. Please keep that email, and check that your mail software does not file it as spam.';

export const rejectionReasonsEn: Record<RejectionReason, string> = {
  'identity.unverifiable': 'We could not confirm your identity.',
  'organisation.unverifiable': 'We could not confirm that your organisation exists.',
  'employment.unverifiable': 'We could not confirm that you belong to the organisation.',
  'email.unverifiable': 'We could not confirm that the email address is yours.',
  'information.incorrect': 'The application contained incorrect information.',
  duplicate: 'An application with the same details had already been accepted.',
  other: 'For another reason.',
};

export const enTemplates: MailTemplates = {
  'application.provisional': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'en',
      subject: subjectOf(context, `${kind} provisionally accepted`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        {
          kind: 'paragraph',
          lines: [
            { text: `Thank you for your ${kind} for ${fullProductName(context.site)}.` },
            { text: 'We have provisionally accepted it with these details. You need the acceptance number to cancel the application or check its status, so please keep this email.' },
          ],
        },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Provisionally accepted at', at(m.provisionalAt)],
            ['Final at (cancellation deadline)', at(m.finalAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'Please note',
          items: [
            { text: 'The coupon number you used is now locked.' },
            {
              text: `Until ${at(m.finalAt)} you can cancel this application with the link below; the same coupon number can then be used again. The link only cancels this application: do not share it.`,
              href: m.cancelUrl,
            },
            { text: 'You can also cancel on the "Cancel an application" page with the acceptance number, your email address and your application password.', href: `${context.site.publicUrl}/cancel` },
            { text: 'After that time the application is final and can no longer be cancelled. From then on the coupon is used up, even if the application is not approved.' },
            { text: reviewStartNote },
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
      subject: subjectOf(context, `${kind} cancelled`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        { kind: 'paragraph', lines: [{ text: `As you requested, we have cancelled this ${kind} for ${fullProductName(context.site)}.` }] },
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
              href: `${context.site.publicUrl}/${m.kind === 'renewal' ? 'renew' : 'new'}`,
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
      subject: subjectOf(context, `${kind} finally accepted`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        { kind: 'paragraph', lines: [{ text: `Your ${kind} for ${fullProductName(context.site)} is now final.` }] },
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
            { text: reviewStartNote },
            { text: 'You can see where your application stands on the "Application status" page, with the acceptance number, your email address and your application password.', href: `${context.site.publicUrl}/status` },
            { text: certificateCodeNote },
          ],
        },
      ],
      signature: signature(context),
    };
  },

  'application.approved': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'en',
      subject: subjectOf(context, `${kind} approved`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        { kind: 'paragraph', lines: [{ text: `The review of your ${kind} for ${fullProductName(context.site)} is complete. Pick up your certificate with the certificate code below and your application password.` }] },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Certificate code', m.certificateCode],
            ['Pick up by', at(m.codeExpiresAt)],
          ],
        },
        {
          kind: 'notes',
          heading: 'Picking up your certificate',
          items: [
            { text: 'Enter the certificate code and your application password on the pick-up page:', href: m.pickupUrl },
            { text: 'You also need the certificate code to renew the certificate later. Keep this email, and do not share the code.' },
            { text: 'The code picks up one certificate, once. If it expires or too many wrong attempts are made, please contact the support desk.' },
            { text: 'The key pair is made inside your browser when you pick up the certificate; we never hold your private key.' },
          ],
        },
      ],
      signature: signature(context),
    };
  },

  'pickup.mailboxValue': (m, context): MailDocument => ({
    lang: 'en',
    subject: subjectOf(context, 'Your email confirmation code', m.acceptanceNumber),
    greeting: greetingOf(m.recipient),
    blocks: [
      {
        kind: 'paragraph',
        lines: [
          { text: `Before we issue your ${fullProductName(context.site)} certificate, we confirm that the email address in your application is yours.` },
          { text: 'Enter the confirmation code below on the pick-up page.' },
        ],
      },
      { kind: 'facts', rows: [['Acceptance number', m.acceptanceNumber], ['Confirmation code', m.value], ['Valid until', at(m.expiresAt)]] },
      {
        kind: 'notes',
        heading: 'Please note',
        items: [
          { text: 'The confirmation code is not your certificate code. Enter it in the "Confirmation code" field of the pick-up page.', href: m.pickupUrl },
          { text: 'The code is valid for 24 hours from this email. After that, ask for a new code on the pick-up page.' },
          { text: 'Do not share the code. We never ask for it by phone or any other way.' },
        ],
      },
    ],
    signature: signature(context),
  }),

  'certificate.issued': (m, context): MailDocument => ({
    lang: 'en',
    subject: subjectOf(context, 'Your certificate has been issued', m.acceptanceNumber),
    greeting: greetingOf(m.recipient),
    blocks: [
      { kind: 'paragraph', lines: [{ text: `Thank you for using ${fullProductName(context.site)}. We have issued the certificate of your ${kindLabel(m.kind)}.` }] },
      { kind: 'facts', rows: [['Acceptance number', m.acceptanceNumber], ['Serial number', m.serialNumber], ['Valid', `${at(m.notBefore)} – ${at(m.notAfter)}`]] },
      {
        kind: 'notes',
        heading: 'After issuance',
        items: [
          { text: 'Keep the PKCS#12 file (.p12) you saved and its password safe. The private key was made in your browser; we do not hold it.' },
          { text: 'The certificate alone (without the private key) can be downloaded again on the pick-up page with your certificate code and application password.', href: m.pickupUrl },
          { text: 'If you did not pick up a certificate, contact the support desk at once.' },
        ],
      },
    ],
    signature: signature(context),
  }),

  'application.rejected': (m, context): MailDocument => {
    const kind = kindLabel(m.kind);
    return {
      lang: 'en',
      subject: subjectOf(context, `${kind} not approved`, m.acceptanceNumber),
      greeting: greetingOf(m.recipient),
      blocks: [
        { kind: 'paragraph', lines: [{ text: `We are sorry: after review, we could not issue a certificate for your ${kind} for ${fullProductName(context.site)}.` }] },
        {
          kind: 'facts',
          rows: [
            ['Acceptance number', m.acceptanceNumber],
            ['Reason', rejectionReasonsEn[m.reason]],
            ...(m.note === '' ? [] : ([['Details', m.note]] as const)),
          ],
        },
        {
          kind: 'notes',
          heading: 'Your coupon, and applying again',
          items: [
            { text: 'The application was final, so its coupon number is used up. To apply again, please buy a new coupon.' },
            { text: 'You can apply again on the new application page:', href: `${context.site.publicUrl}/new` },
            { text: 'If anything is unclear, please contact the support desk below.' },
          ],
        },
      ],
      signature: signature(context),
    };
  },
};
