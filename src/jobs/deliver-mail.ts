import { DELIVERY_BATCH_SIZE, deliverDueMail, type DeliverMailDeps } from '../mail/outbox.js';

/** At most this many batches per run: the next scheduled run picks up whatever is left. */
export const DELIVER_MAIL_MAX_ROUNDS = 20;

export interface DeliverMailJobOptions {
  batchSize?: number;
  maxRounds?: number;
}

/**
 * The mail-delivery job (SPEC 5): send what is due, batch after batch, until a batch
 * comes back short. Running it twice at once, or again after a crash, is harmless: the
 * outbox leases each mail to one sender.
 */
export function deliverMailJob(deps: DeliverMailDeps, options?: DeliverMailJobOptions): () => Promise<void> {
  const batchSize = options?.batchSize ?? DELIVERY_BATCH_SIZE;
  const maxRounds = options?.maxRounds ?? DELIVER_MAIL_MAX_ROUNDS;
  return async () => {
    for (let round = 0; round < maxRounds; round++) {
      const report = await deliverDueMail(deps, { limit: batchSize });
      // Failed mails were moved into the future, so a full batch means more may be due now.
      if (report.sent + report.failed + report.gaveUp < batchSize) return;
    }
  };
}
