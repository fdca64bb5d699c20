import type { IssueCertificateDeps, SignedRecord, SigningIntent } from '../ca/issuer.js';
import type { IssuingCa } from '../ca/issuing-ca.js';
import { recordSignedCertificates, reserveSerialsForSigning, type ReservationOutcome, type SignedCertificateRecord } from '../store/ca-store.js';
import type { Db } from '../store/db.js';
import { groupCommit } from '../store/group-commit.js';
import type { CoreDeps } from './deps.js';

/** What a use case that has certificates signed gets: the CA besides the usual adapters. */
export type CaDeps = CoreDeps & { ca: IssuingCa };

/**
 * The CA's bookkeeping for one signature (issue #8): before it, the key checked against
 * the compromised ones, the serial reserved and the signature audited; after it, the
 * signed certificate kept with its serial and audited. Each step is committed before the
 * CA goes on, so neither a refused nor a crashed signature can erase the trace it left.
 * Signatures in flight together share their statements (ledgerOf). `isStillWanted`,
 * asked just before the serial is reserved, lets a caller that lost its claim meanwhile
 * stop the signature.
 */
export function signingDepsOf(deps: CaDeps, reservedFor: string, options: { isStillWanted?: () => Promise<boolean> } = {}): IssueCertificateDeps {
  const ledger = ledgerOf(deps.db);
  return {
    ca: deps.ca.material,
    clock: deps.clock,
    ledger: {
      reserve: async (intent: SigningIntent) => {
        if (options.isStillWanted !== undefined && !(await options.isStillWanted())) throw new SignatureNoLongerWanted(reservedFor);
        return ledger.reserve({ ...intent, reservedFor });
      },
      recordSigned: (record: SignedRecord) => ledger.recordSigned(record),
    },
  };
}

interface Ledger {
  reserve(intent: SigningIntent & { reservedFor: string }): Promise<ReservationOutcome>;
  recordSigned(record: SignedCertificateRecord): Promise<void>;
}

/** At most this many signatures share a statement (its JSON stays under ~150 KiB). */
const maxBatch = 64;
const ledgers = new WeakMap<Db, Ledger>();

/**
 * One ledger per database handle: the reservations made while one is being written go
 * together in the next statement, and so do the records (store/group-commit.ts). A lone
 * signature waits for nobody.
 */
function ledgerOf(db: Db): Ledger {
  let ledger = ledgers.get(db);
  if (ledger === undefined) {
    const reserve = groupCommit((intents: readonly (SigningIntent & { reservedFor: string })[]) => reserveSerialsForSigning(db, intents), { maxBatch });
    const record = groupCommit(async (records: readonly SignedCertificateRecord[]) => {
      await recordSignedCertificates(db, records);
      return records.map(() => undefined);
    }, { maxBatch });
    ledger = { reserve, recordSigned: record };
    ledgers.set(db, ledger);
  }
  return ledger;
}

/** The caller's claim on this signature ended before the CA signed: nothing was signed. */
export class SignatureNoLongerWanted extends Error {
  constructor(readonly reservedFor: string) {
    super(`the signature for ${reservedFor} is no longer wanted`);
    this.name = 'SignatureNoLongerWanted';
  }
}
