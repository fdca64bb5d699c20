import { AsnConvert } from '@peculiar/asn1-schema';
import { encodeBitString, encodeSequence, toArrayBuffer } from './der.js';
import type { CaSigner } from './keys/signer.js';
import { signatureAlgorithmIdentifier, toX509SignatureValue } from './signature-algorithm.js';

/**
 * Signs the exact TBSCertificate bytes and wraps them, untouched, in a
 * Certificate (RFC 5280 4.1.1): SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }.
 * The TBS must already name `signer.algorithm` in its signature field.
 */
export async function signTbsCertificate(tbsDer: Uint8Array, signer: CaSigner): Promise<Uint8Array<ArrayBuffer>> {
  const signature = await signer.sign(toArrayBuffer(tbsDer));
  return encodeSequence([
    tbsDer,
    new Uint8Array(AsnConvert.serialize(signatureAlgorithmIdentifier(signer.algorithm))),
    encodeBitString(toX509SignatureValue(signer.algorithm, signature)),
  ]);
}
