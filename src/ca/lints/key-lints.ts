import { toHex } from '../der.js';
import { keyRefusalReason } from '../profile.js';
import { defineLint } from './lint.js';

/** Lints on the subject public key. */

/**
 * S/MIME BR 7.1.3.1 lists the exact DER encodings of the allowed
 * SubjectPublicKeyInfo AlgorithmIdentifiers (v1.0.10, before the PQC additions).
 */
const allowedSpkiAlgorithmIdentifiers: ReadonlySet<string> = new Set([
  '300d06092a864886f70d0101010500', // rsaEncryption, NULL parameters
  '301306072a8648ce3d020106082a8648ce3d030107', // id-ecPublicKey, P-256
  '301006072a8648ce3d020106052b81040022', // id-ecPublicKey, P-384
  '301006072a8648ce3d020106052b81040023', // id-ecPublicKey, P-521
  '300506032b6570', // id-Ed25519
  '300506032b6571', // id-Ed448
]);

export const invalidSpkiAlgoid = defineLint(
  { name: 'e_invalid_spki_algoid', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.3.1' },
  (tbs) => {
    const encoded = toHex(tbs.subjectPublicKeyAlgorithm);
    return allowedSpkiAlgorithmIdentifiers.has(encoded)
      ? undefined
      : `SubjectPublicKeyInfo algorithm ${encoded} is not one of the encodings S/MIME BR 7.1.3.1 allows`;
  },
);

export const rsaModLessThan2048Bits = defineLint(
  { name: 'e_rsa_mod_less_than_2048_bits', source: 'zlint/cabf_br', citation: 'S/MIME BR 6.1.5' },
  (tbs) =>
    tbs.subjectKey.kind === 'rsa' && tbs.subjectKey.modulusBits < 2048
      ? `RSA modulus is ${tbs.subjectKey.modulusBits} bits; at least 2048 are required`
      : undefined,
);

export const modulusMustBeDivisibleBy8 = defineLint(
  { name: 'e_mp_modulus_must_be_divisible_by_8', source: 'zlint/mozilla', citation: 'S/MIME BR 6.1.5; Mozilla Root Store Policy 5.1' },
  (tbs) =>
    tbs.subjectKey.kind === 'rsa' && tbs.subjectKey.modulusBits % 8 !== 0
      ? `RSA modulus is ${tbs.subjectKey.modulusBits} bits, not a multiple of 8`
      : undefined,
);

/** SPEC §4 offers fewer key types than the BRs allow (no P-521, no Ed448). */
export const subjectKeyAllowedByProfile = defineLint(
  { name: 'e_subject_key_allowed_by_profile', source: 'certdesk', citation: 'SPEC §4; S/MIME BR 6.1.5' },
  (tbs, context) => keyRefusalReason(tbs.subjectKey, context.profile),
);
