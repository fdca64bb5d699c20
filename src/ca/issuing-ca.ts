import type { CaMaterial } from './bootstrap.js';
import type { SubscriberUrls } from './profile.js';

/** The issuing CA as the RA uses it: its key material and where relying parties reach it. */
export interface IssuingCa {
  material: CaMaterial;
  /** Plain-http base for the CRL, OCSP and CA certificate (S/MIME BR 7.1.2.3: http only). */
  pkiBaseUrl: string;
  /** CA_DIR, where the root's CRL is kept (ca/root-crl.ts); absent for a CA that is not on disk (tests). */
  caDir?: string;
}

export function subscriberUrlsOf(pkiBaseUrl: string): SubscriberUrls {
  const base = pkiBaseUrl.replace(/\/+$/, '');
  return {
    crl: `${base}/pki/issuing-ca.crl`,
    ocsp: `${base}/pki/ocsp`,
    caIssuers: `${base}/pki/issuing-ca.crt`,
  };
}
