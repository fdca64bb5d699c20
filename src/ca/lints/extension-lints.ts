import { accessMethodOids, smimeReservedPolicyOids } from '../oids.js';
import { defineLint, isHttpUrl } from './lint.js';
import type { Decoded, GeneralNameView, ParsedTbs } from './parsed-tbs.js';

/** Lints on the extension list as a whole, policies, CRL distribution points, AIA and basicConstraints. */

export const extDuplicateExtension = defineLint(
  { name: 'e_ext_duplicate_extension', source: 'zlint/rfc', citation: 'RFC 5280 4.2' },
  (tbs) => {
    const seen = new Set<string>();
    const duplicates = new Set<string>();
    for (const extension of tbs.extensions) {
      (seen.has(extension.oid) ? duplicates : seen).add(extension.oid);
    }
    return duplicates.size === 0 ? undefined : `extension ${[...duplicates].join(', ')} appears more than once`;
  },
);

export const extValueNotDecodable = defineLint(
  { name: 'e_ext_value_not_decodable', source: 'certdesk', citation: 'RFC 5280 4.2' },
  (tbs) => {
    const broken = decodedViews(tbs).flatMap(([label, view]) => (view !== undefined && !view.ok ? [`${label}: ${view.error}`] : []));
    return broken.length === 0 ? undefined : `extension does not decode (${broken.join('; ')})`;
  },
);

export const exactlyOneSmimePolicy = defineLint(
  { name: 'e_exactly_one_smime_policy', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(a), 7.1.6.1' },
  (tbs) => {
    const policies = tbs.certificatePolicies?.ok ? tbs.certificatePolicies.value : [];
    const reserved = policies.filter((oid) => smimeReservedPolicyOids.includes(oid));
    return reserved.length === 1 ? undefined : `certificatePolicies holds ${reserved.length} S/MIME BR policy OIDs; exactly one is required`;
  },
);

export const smimePolicyMatchesProfile = defineLint(
  { name: 'e_smime_policy_matches_profile', source: 'certdesk', citation: 'SPEC §4; S/MIME BR 7.1.6.1' },
  (tbs, context) => {
    const policies = tbs.certificatePolicies?.ok ? tbs.certificatePolicies.value : [];
    if (!policies.includes(context.profile.policyOid)) {
      return `certificatePolicies [${policies.join(', ')}] lacks ${context.profile.policyOid} (${context.profile.name})`;
    }
    return tbs.certificatePolicies?.critical ? 'certificatePolicies SHOULD NOT be critical' : undefined;
  },
);

export const subscribersShallHaveCrlDistributionPoints = defineLint(
  { name: 'e_subscribers_shall_have_crl_distribution_points', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(b)' },
  (tbs) =>
    tbs.crlDistributionPoints?.ok && tbs.crlDistributionPoints.value.length > 0
      ? undefined
      : 'cRLDistributionPoints SHALL be present with at least one URI',
);

export const subscribersCrlDistributionPointsAreHttp = defineLint(
  { name: 'e_subscribers_crl_distribution_points_are_http', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(b)' },
  (tbs) => {
    const names = tbs.crlDistributionPoints?.ok ? tbs.crlDistributionPoints.value : [];
    const bad = names.filter((name) => !isHttpName(name));
    return bad.length === 0 ? undefined : `CRL distribution point ${bad.map(describe).join(', ')} is not an http:// URL`;
  },
);

/** Applies to Strict and Multipurpose: every accessLocation SHALL be an HTTP URI. */
export const smimeStrictAiaShallHaveHttpOnly = defineLint(
  { name: 'e_smime_strict_aia_shall_have_http_only', source: 'zlint/cabf_smime_br', citation: 'S/MIME BR 7.1.2.3(c)' },
  (tbs) => {
    const access = tbs.authorityInfoAccess?.ok ? tbs.authorityInfoAccess.value : [];
    const bad = access.filter((description) => !isHttpName(description.location));
    return bad.length === 0 ? undefined : `authorityInfoAccess location ${bad.map((d) => describe(d.location)).join(', ')} is not an http:// URL`;
  },
);

/** SPEC §4 puts OCSP and CA issuers in every certificate; RFC 5280 4.2.2.1 forbids marking AIA critical. */
export const aiaOcspAndCaIssuersPresent = defineLint(
  { name: 'e_aia_ocsp_and_ca_issuers_present', source: 'certdesk', citation: 'SPEC §4; S/MIME BR 7.1.2.3(c); RFC 5280 4.2.2.1' },
  (tbs) => {
    const aia = tbs.authorityInfoAccess;
    if (aia === undefined || !aia.ok) {
      return 'authorityInfoAccess is missing';
    }
    const methods = new Set(aia.value.map((description) => description.method));
    const missing = [
      ...(methods.has(accessMethodOids.ocsp) ? [] : ['id-ad-ocsp']),
      ...(methods.has(accessMethodOids.caIssuers) ? [] : ['id-ad-caIssuers']),
    ];
    if (missing.length > 0) {
      return `authorityInfoAccess lacks ${missing.join(' and ')}`;
    }
    return aia.critical ? 'authorityInfoAccess MUST NOT be critical' : undefined;
  },
);

/** basicConstraints MAY be present in a Subscriber Certificate; if it is, cA SHALL be false. */
export const subscriberBasicConstraintsNotCa = defineLint(
  { name: 'e_smime_subscriber_basic_constraints_ca', source: 'certdesk', citation: 'S/MIME BR 7.1.2.3(d)' },
  (tbs) => (tbs.basicConstraints?.ok && tbs.basicConstraints.value.cA ? 'basicConstraints has cA=TRUE in a Subscriber Certificate' : undefined),
);

function isHttpName(name: GeneralNameView): boolean {
  return name.kind === 'uniformResourceIdentifier' && isHttpUrl(name.value);
}

function describe(name: GeneralNameView): string {
  return typeof name.value === 'string' ? JSON.stringify(name.value) : name.kind;
}

function decodedViews(tbs: ParsedTbs): ReadonlyArray<readonly [string, Decoded<unknown> | undefined]> {
  return [
    ['keyUsage', tbs.keyUsage],
    ['extKeyUsage', tbs.extKeyUsage],
    ['certificatePolicies', tbs.certificatePolicies],
    ['cRLDistributionPoints', tbs.crlDistributionPoints],
    ['authorityInfoAccess', tbs.authorityInfoAccess],
    ['subjectAltName', tbs.subjectAltName],
    ['authorityKeyIdentifier', tbs.authorityKeyIdentifier],
    ['subjectKeyIdentifier', tbs.subjectKeyIdentifier],
    ['basicConstraints', tbs.basicConstraints],
  ];
}
