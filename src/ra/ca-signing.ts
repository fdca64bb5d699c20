import type { IssuanceAuditEvent, IssueCertificateDeps } from '../ca/issuer.js';
import type { IssuingCa } from '../ca/issuing-ca.js';
import { appendAudit } from '../store/audit-store.js';
import { isKeyCompromised, recordSignedSerial, reserveSerialNumber } from '../store/ca-store.js';
import type { CoreDeps } from './deps.js';

/** What a use case that has certificates signed gets: the CA besides the usual adapters. */
export type CaDeps = CoreDeps & { ca: IssuingCa };

/**
 * The CA's bookkeeping for one signature (issue #8): the serial reserved in the database,
 * an audit entry before and after the signature and the signed certificate kept with its
 * serial, each committed on its own, so that neither a refused nor a crashed signature can
 * erase the trace it left. `isStillWanted`, asked just before the serial is reserved, lets
 * a caller that lost its claim meanwhile stop the signature.
 */
export function signingDepsOf(deps: CaDeps, reservedFor: string, options: { isStillWanted?: () => Promise<boolean> } = {}): IssueCertificateDeps {
  return {
    ca: deps.ca.material,
    clock: deps.clock,
    serials: {
      reserve: async (serialNumber) => {
        if (options.isStillWanted !== undefined && !(await options.isStillWanted())) throw new SignatureNoLongerWanted(reservedFor);
        return reserveSerialNumber(deps.db, serialNumber, reservedFor, deps.clock.now());
      },
      recordSigned: (serialNumber, der) => recordSignedSerial(deps.db, serialNumber, der, deps.clock.now()),
    },
    keyHistory: { isCompromised: (spkiSha256) => isKeyCompromised(deps.db, spkiSha256) },
    audit: async (event: IssuanceAuditEvent) => {
      const { kind, at, serialNumber, ...digest } = event;
      await appendAudit(deps.db, {
        at,
        actor: 'system:ca',
        action: kind === 'signing' ? 'certificate.signing' : 'certificate.signed',
        subjectType: 'serial',
        subjectId: serialNumber,
        after: { ...digest, reservedFor },
      });
    },
  };
}

/** The caller's claim on this signature ended before the CA signed: nothing was signed. */
export class SignatureNoLongerWanted extends Error {
  constructor(readonly reservedFor: string) {
    super(`the signature for ${reservedFor} is no longer wanted`);
    this.name = 'SignatureNoLongerWanted';
  }
}
