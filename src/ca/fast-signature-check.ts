import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { canonicalObjectIdentifier, contentOf, rawOf, readStrictChildren, readStrictFields, readStrictRoot } from './strict-der.js';

/**
 * Whether `certificateDer` carries a valid signature by the issuing CA's key: what the
 * issuer's step 8 asks of `X509Certificate.verify({ signatureOnly: true })`, checked by
 * OpenSSL directly — the TBSCertificate bytes as they are, the signatureAlgorithm the
 * certificate names, the signatureValue as DER. False for anything else, which the issuer
 * treats as a failed check.
 *
 * `issuerKey` is the issuing CA certificate's SubjectPublicKeyInfo, or the CA signer's
 * public CryptoKey: bootstrap.ts refuses to load a CA whose signer's public key is not the
 * certificate's (file and token keys alike), so both name the same key, and a signer that
 * signs with some other private key is caught either way. The CryptoKey saves parsing the
 * key for every certificate.
 */
export function isCertificateSignedBy(certificateDer: Uint8Array, issuerKey: CryptoKey | ArrayBuffer | Uint8Array): boolean {
  const [tbs, algorithm, signature] = readStrictFields(certificateDer, readStrictRoot(certificateDer, 0x30), [0x30, 0x30, 0x03]) ?? [];
  if (tbs === undefined || algorithm === undefined || signature === undefined) return false;
  const bits = contentOf(certificateDer, signature);
  if (bits.length < 2 || bits[0] !== 0) return false;
  const [oid, parameters, ...rest] = readStrictChildren(certificateDer, algorithm) ?? [];
  const algorithmOid = oid === undefined ? undefined : canonicalObjectIdentifier(certificateDer, oid);
  const hasNull = parameters !== undefined && parameters.tag === 0x05 && parameters.end === parameters.contentStart;
  if (algorithmOid === undefined || rest.length > 0 || (parameters !== undefined && !hasNull)) return false;
  try {
    const key = issuerKey instanceof ArrayBuffer || ArrayBuffer.isView(issuerKey)
      ? createPublicKey({ key: Buffer.from(new Uint8Array(issuerKey)), format: 'der', type: 'spki' })
      : KeyObject.from(issuerKey);
    const digest = digestFor(algorithmOid, hasNull, key.asymmetricKeyType);
    if (digest === undefined) return false;
    return verify(digest === 'none' ? null : digest, rawOf(certificateDer, tbs), { key, dsaEncoding: 'der' }, bits.subarray(1));
  } catch {
    // A key OpenSSL cannot load (or a CryptoKey from another provider) or a signature it
    // cannot read does not verify; the issuer then stops with its own message.
    return false;
  }
}

/** The signature algorithms a CA signs with (signature-algorithm.ts), with the parameters each must have. */
function digestFor(oid: string, hasNull: boolean, keyType: string | undefined): 'sha256' | 'sha384' | 'sha512' | 'none' | undefined {
  const byOid: Readonly<Record<string, readonly [string, boolean, 'sha256' | 'sha384' | 'sha512' | 'none']>> = {
    '1.2.840.10045.4.3.2': ['ec', false, 'sha256'],
    '1.2.840.10045.4.3.3': ['ec', false, 'sha384'],
    '1.2.840.10045.4.3.4': ['ec', false, 'sha512'],
    '1.2.840.113549.1.1.11': ['rsa', true, 'sha256'],
    '1.2.840.113549.1.1.12': ['rsa', true, 'sha384'],
    '1.2.840.113549.1.1.13': ['rsa', true, 'sha512'],
    '1.3.101.112': ['ed25519', false, 'none'],
  };
  const entry = byOid[oid];
  return entry !== undefined && entry[0] === keyType && entry[1] === hasNull ? entry[2] : undefined;
}
