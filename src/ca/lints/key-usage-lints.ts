import { extKeyUsageOids } from '../oids.js';
import type { KeyUsageName } from '../profile.js';
import { defineLint } from './lint.js';
import type { ParsedTbs } from './parsed-tbs.js';

/** Lints on keyUsage and extKeyUsage, S/MIME BR 7.1.2.3(e)(f). */

export const keyUsagePresence = defineLint(
  { name: 'e_key_usage_presence', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(e)' },
  (tbs) => (tbs.keyUsage === undefined ? 'keyUsage SHALL be present' : undefined),
);

/** zlint warns; the product profile requires it (SPEC §4: "critical keyUsage"). */
export const keyUsageCriticality = defineLint(
  { name: 'w_key_usage_criticality', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(e); SPEC §4' },
  (tbs) => (tbs.keyUsage !== undefined && !tbs.keyUsage.critical ? 'keyUsage is not marked critical' : undefined),
);

/**
 * RSA, Legacy/Multipurpose: signing = digitalSignature [+nonRepudiation];
 * key management = keyEncipherment [+dataEncipherment]; dual use = both sets.
 */
export const rsaKeyUsageLegacyMultipurpose = defineLint(
  { name: 'e_rsa_key_usage_legacy_multipurpose', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(e)' },
  (tbs) => {
    const usages = keyUsagesFor(tbs, 'rsa');
    if (usages === undefined) {
      return undefined;
    }
    const signing = usages.has('digitalSignature');
    const keyManagement = usages.has('keyEncipherment');
    const allowed: KeyUsageName[] = [
      ...(signing ? (['digitalSignature', 'nonRepudiation'] as const) : []),
      ...(keyManagement ? (['keyEncipherment', 'dataEncipherment'] as const) : []),
    ];
    return verdict(usages, signing || keyManagement, allowed, 'RSA');
  },
);

/**
 * ECDSA: signing = digitalSignature [+nonRepudiation]; key management =
 * keyAgreement [+encipherOnly|decipherOnly]; dual use = both sets.
 */
export const ecPublicKeyKeyUsages = defineLint(
  { name: 'e_ecpublickey_key_usages', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(e)' },
  (tbs) => {
    const usages = keyUsagesFor(tbs, 'ec');
    if (usages === undefined) {
      return undefined;
    }
    const signing = usages.has('digitalSignature');
    const keyManagement = usages.has('keyAgreement');
    const allowed: KeyUsageName[] = [
      ...(signing ? (['digitalSignature', 'nonRepudiation'] as const) : []),
      ...(keyManagement ? (['keyAgreement', 'encipherOnly', 'decipherOnly'] as const) : []),
    ];
    return verdict(usages, signing || keyManagement, allowed, 'ECDSA');
  },
);

/** Ed25519: digitalSignature SHALL be set, nonRepudiation MAY, nothing else. */
export const edwardsPublicKeyKeyUsages = defineLint(
  { name: 'e_edwardspublickey_key_usages', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(e)' },
  (tbs) => {
    const usages = keyUsagesFor(tbs, 'ed25519');
    if (usages === undefined) {
      return undefined;
    }
    return verdict(usages, usages.has('digitalSignature'), ['digitalSignature', 'nonRepudiation'], 'Ed25519');
  },
);

/**
 * Legacy and Multipurpose: id-kp-emailProtection SHALL be present; serverAuth,
 * codeSigning, timeStamping and anyExtendedKeyUsage SHALL NOT be present.
 */
export const smimeLegacyMultipurposeEkuCheck = defineLint(
  { name: 'e_smime_legacy_multipurpose_eku_check', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(f)' },
  (tbs) => {
    const ekus = tbs.extKeyUsage?.ok ? tbs.extKeyUsage.value : [];
    if (!ekus.includes(extKeyUsageOids.emailProtection)) {
      return 'extKeyUsage SHALL contain id-kp-emailProtection';
    }
    const forbidden = ekus.filter((oid) => forbiddenEkus.has(oid));
    return forbidden.length === 0
      ? undefined
      : `extKeyUsage contains ${forbidden.map((oid) => forbiddenEkus.get(oid)).join(', ')}, which SHALL NOT be present`;
  },
);

const forbiddenEkus: ReadonlyMap<string, string> = new Map([
  [extKeyUsageOids.serverAuth, 'id-kp-serverAuth'],
  [extKeyUsageOids.codeSigning, 'id-kp-codeSigning'],
  [extKeyUsageOids.timeStamping, 'id-kp-timeStamping'],
  [extKeyUsageOids.anyExtendedKeyUsage, 'anyExtendedKeyUsage'],
]);

function keyUsagesFor(tbs: ParsedTbs, kind: ParsedTbs['subjectKey']['kind']): Set<KeyUsageName> | undefined {
  return tbs.subjectKey.kind === kind && tbs.keyUsage?.ok ? new Set(tbs.keyUsage.value) : undefined;
}

function verdict(
  usages: ReadonlySet<KeyUsageName>,
  hasPurpose: boolean,
  allowed: readonly KeyUsageName[],
  keyLabel: string,
): string | undefined {
  if (!hasPurpose) {
    return `keyUsage [${[...usages].join(', ')}] has neither a signing nor a key-management bit for an ${keyLabel} key`;
  }
  const extra = [...usages].filter((usage) => !allowed.includes(usage));
  return extra.length === 0 ? undefined : `keyUsage ${extra.join(', ')} is not allowed for an ${keyLabel} key here`;
}
