import type { ApplicationKind } from '../domain/application-state.js';
import { enqueueMail } from '../mail/outbox.js';
import type { MailMessage } from '../mail/templates/render-mail.js';
import type { Tx } from '../store/db.js';
import type { RegistrationJson } from '../store/schema/tables.js';
import type { Site } from './deps.js';

type ApplicationMail =
  | { template: 'application.provisional'; provisionalAt: Date; finalAt: Date }
  | { template: 'application.cancelled'; cancelledAt: Date }
  | { template: 'application.final'; finalisedAt: Date };

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
): Promise<void> {
  const name = [application.registration['lastNameJa'], application.registration['firstNameJa']].filter(Boolean).join(' ');
  const message = { ...mail, kind: application.kind, name, acceptanceNumber: application.acceptanceNumber } as MailMessage;
  await enqueueMail(tx, {
    dedupeKey: `${mail.template}:${application.id}`,
    to: application.email,
    message,
    context: { productName: site.productName, publicUrl: site.publicUrl, lang: application.lang },
    now,
  });
}
