/**
 * How a certificate stands, for every page that shows it: revoked, else expired once its
 * notAfter has passed (RFC 5280 4.1.2.5: the validity period includes notAfter), else valid.
 */
export type CertificateStanding = 'valid' | 'expired' | 'revoked';

export function certificateStanding(certificate: { readonly status: 'valid' | 'revoked'; readonly notAfter: Date }, now: Date): CertificateStanding {
  if (certificate.status === 'revoked') return 'revoked';
  return now.getTime() > certificate.notAfter.getTime() ? 'expired' : 'valid';
}
