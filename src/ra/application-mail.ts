import type { ApplicationKind } from '../domain/application-state.js';
import { enqueueMail } from '../mail/outbox.js';
import type { MailMessage, MailRecipient } from '../mail/templates/mail-message.js';
import type { Tx } from '../store/db.js';
import type { RegistrationJson } from '../store/schema/tables.js';
import type { Site } from './deps.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ApplicationMail = DistributiveOmit<MailMessage, 'kind' | 'recipient' | 'acceptanceNumber'>;

/** The addressee of an application's mails, from its registration. */
export function recipientOf(registration: RegistrationJson): MailRecipient {
  return {
    organisation: registration['orgNameJa'] ?? '',
    department: registration['departmentJa'] ?? '',
    name: [registration['lastNameJa'], registration['firstNameJa']].filter(Boolean).join(' '),
  };
}

/**
 * Queue the mail that an application's state change causes, in that change's
 * transaction (SPEC 5: the outbox survives restarts). One mail per application and
 * template: the dedupe key makes a retried transition send nothing twice.
 */
export async function queueApplicationMail(
  tx: Tx,
  site: Site,
  application: { id: string; kind: ApplicationKind; acceptanceNumber: string; email: string; lang: 'ja' | 'en'; registration: RegistrationJson },
  mail: ApplicationMail,
  now: Date,
  /** What makes this mail one of a kind when an application gets several of it (default: the application). */
  cause: string = application.id,
): Promise<void> {
  const message = { ...mail, kind: application.kind, recipient: recipientOf(application.registration), acceptanceNumber: application.acceptanceNumber } as MailMessage;
  await enqueueMail(tx, {
    dedupeKey: `${mail.template}:${cause}`,
    to: application.email,
    message,
    context: { site, lang: application.lang },
    now,
  });
}
