import type { Problem } from '../problem.js';
import type { SubscriberProfile } from '../profile.js';
import type { ParsedTbs } from './parsed-tbs.js';

/**
 * Pre-issuance lints (SPEC §4): small named checks run in a fixed order on the
 * exact TBSCertificate bytes before the real signature (smallstep's validator
 * pipeline; names follow zlint so a finding can be compared with zlint output).
 */
export interface Lint {
  /** zlint's name where zlint has the same rule; a `certdesk` source marks our own. */
  readonly name: string;
  readonly source: LintSource;
  readonly citation: string;
  readonly check: (tbs: ParsedTbs, context: LintContext) => Problem | undefined;
}

/**
 * Where a lint's name comes from. zlint lints keep zlint's name even when we
 * are stricter (a zlint `w_`/`n_` finding refuses issuance here too).
 */
export type LintSource =
  | 'zlint/cabf_smime_br'
  | 'zlint/cabf_br'
  | 'zlint/rfc'
  | 'zlint/community'
  | 'zlint/mozilla'
  | 'certdesk';

export interface LintContext {
  readonly profile: SubscriberProfile;
  /** The CA that will sign: its subject bytes and subjectKeyIdentifier. */
  readonly issuer: {
    readonly subjectDer: Uint8Array;
    readonly keyIdentifier: Uint8Array;
  };
}

/** Builds a lint from a finder that returns a message when the rule is broken. */
export function defineLint(
  meta: Omit<Lint, 'check'>,
  find: (tbs: ParsedTbs, context: LintContext) => string | undefined,
): Lint {
  return {
    ...meta,
    check: (tbs, context) => {
      const message = find(tbs, context);
      return message === undefined ? undefined : { code: meta.name, citation: meta.citation, message };
    },
  };
}

/** An absolute http:// URL with a host (S/MIME BR 7.1.2.3(b)(c): "URI scheme HTTP"). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.hostname.length > 0;
  } catch {
    // Not a URL at all, so not an HTTP URL.
    return false;
  }
}
