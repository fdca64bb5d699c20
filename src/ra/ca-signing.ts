import type { IssuanceAuditEvent, IssueCertificateDeps } from '../ca/issuer.js';
import type { IssuingCa } from '../ca/issuing-ca.js';
import { appendAudit } from '../store/audit-store.js';
import { reserveSerialNumber } from '../store/ca-store.js';
import type { CoreDeps } from './deps.js';

/** What a use case that has certificates signed gets: the CA besides the usual adapters. */
export type CaDeps = CoreDeps & { ca: IssuingCa };

/**
 * The CA's bookkeeping for one signature (issue #8): the serial reserved in the database
 * and an audit entry before and after the signature, each committed on its own, so that
 * neither a refused nor a crashed signature can erase the trace it left.
 */
export function signingDepsOf(deps: CaDeps, reservedFor: string): IssueCertificateDeps {
  return {
    ca: deps.ca.material,
    clock: deps.clock,
    serials: { reserve: (serialNumber) => reserveSerialNumber(deps.db, serialNumber, reservedFor, deps.clock.now()) },
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
