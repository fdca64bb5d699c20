/**
 * Why the CA refused to sign. `code` is a stable string: the lint name for
 * pre-issuance lints (zlint style, e.g. `e_subscribers_crl_distribution_points_are_http`),
 * or a dotted code (`issuance.validityTooLong`) for the profile limits the CA re-checks.
 * `message` names both the requested and the allowed value (smallstep style).
 */
export interface Problem {
  readonly code: string;
  /** Where the rule comes from, e.g. "S/MIME BR 7.1.2.3(b)". */
  readonly citation: string;
  readonly message: string;
}
