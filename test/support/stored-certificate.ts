import 'reflect-metadata';
import type { X509Certificate } from '@peculiar/x509';
import { issueCertificate } from '../../src/ca/issuer.js';
import { subscriberUrlsOf } from '../../src/ca/issuing-ca.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { signingDepsOf, type CaDeps } from '../../src/ra/ca-signing.js';
import { insertCertificate } from '../../src/store/certificate-store.js';
import { subscribers } from '../../src/store/schema/tables.js';

export interface StoredCertificate {
  id: string;
  serialNumber: string;
  certificate: X509Certificate;
}

/**
 * A subscriber certificate as pickup makes one, without the portal: signed by the CA
 * through the RA's bookkeeping (serial reserved, audited), valid from a minute ago for a
 * year, stored for the first subscriber of the database (the demo data has some). For
 * `publicKey`, or a key of its own.
 */
export async function issueStoredCertificate(deps: CaDeps, email: string, publicKey?: CryptoKey): Promise<StoredCertificate> {
  const keys = publicKey === undefined ? await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']) : { publicKey };
  const now = deps.clock.now();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + 365 * 86_400_000);
  const issued = await issueCertificate(signingDepsOf(deps, `test:${email}`), {
    publicKey: keys.publicKey,
    subject: { givenName: 'Taro', surname: 'Yamada', organizationName: 'Minato Seiki Co., Ltd.' },
    email,
    notBefore,
    notAfter,
    urls: subscriberUrlsOf(deps.ca.pkiBaseUrl),
  });
  if (!issued.ok) throw new Error(issued.problems.map((p) => p.code).join(', '));
  const [subscriber] = await deps.db.select({ id: subscribers.id }).from(subscribers).limit(1);
  if (subscriber === undefined) throw new Error('no subscriber to own the certificate');
  const id = await insertCertificate(deps.db, {
    subscriberId: subscriber.id,
    applicationId: null,
    renewsCertificateId: null,
    serialNumber: issued.serialNumber,
    subjectDn: issued.certificate.subject,
    email,
    notBefore,
    notAfter,
    certificateCodeHash: `test-${issued.serialNumber}`,
    der: new Uint8Array(issued.der),
    createdAt: now,
  });
  return { id, serialNumber: issued.serialNumber, certificate: issued.certificate };
}
