import type { CaDeps } from '../ra/ca-signing.js';
import { publishDueCrls } from '../ra/publish-crl.js';

/**
 * The CRL job (S/MIME BR 4.9.7): every run publishes the issuing CRL if it is due (a day
 * old, or listing fewer certificates than are revoked), so it is reissued well before its
 * seven-day nextUpdate whichever processes restart. Two workers at once cost at most a
 * CRL number: each signs its own, and the higher one is served.
 */
export function publishCrlJob(deps: CaDeps): () => Promise<void> {
  return async () => {
    await publishDueCrls(deps);
  };
}
