import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { ReviewPolicy } from './domain/review.js';
import type { Site } from './domain/site.js';

/**
 * Environment → Config, read once by the composition root (STYLE §6). Every setting
 * has a safe default, so the embedded PGlite mode starts without any variables.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  /**
   * Where relying parties fetch CA certificates, CRLs and OCSP, written into every certificate:
   * plain http (S/MIME BR 7.1.2.3), an origin on a host outside HSTS. Default: PUBLIC_URL as http.
   */
  PKI_BASE_URL: z.string().optional(),
  /** The CA's certificates and encrypted keys; default DATA_DIR/ca. Shared by every process on one database. */
  CA_DIR: z.string().min(1).optional(),
  CA_KEY_PASSPHRASE: z.string().min(12, 'must be at least 12 characters').optional(),
  BRAND_NAME: z.string().min(1).max(40).default('certdesk'),
  PRODUCT_NAME: z.string().min(1).max(80).default('個人用電子証明書 Class2 スタンダード'),
  CA_NAME: z.string().min(1).default('certdesk Demo CA'),
  // SPEC 1.8: who we are and where to ask. The defaults say plainly that this is a demo.
  OPERATOR_NAME: z.string().min(1).max(80).default('certdesk デモ運営株式会社(架空)'),
  SUPPORT_URL: z.url({ protocol: /^https?$/ }).optional(),
  SUPPORT_PHONE: z
    .string()
    .regex(/^[0-9０-９+()\- ]{6,20}$/, 'must be a phone number, e.g. 03-1234-5678')
    .optional(),
  SUPPORT_HOURS: z.string().min(1).max(80).default('平日9:00〜18:00(土日祝・年末年始を除く)'),
  REPOSITORY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Distinct operators who must approve an application (issue #7: four-eyes with 2). */
  REVIEW_APPROVALS: z.coerce.number().int().min(1).max(3).default(1),
  /** How long the certificate code of an approval can be used to pick the certificate up. */
  PICKUP_CODE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** IPv6 clients are counted by this prefix (issue #6 defect 9): one subscriber's network is a /64. */
  IPV6_CLIENT_PREFIX: z.coerce.number().int().min(32).max(128).default(64),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How many reverse proxies of ours stand in front: 0 (none), 1 (one, the usual), up to 5. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'must be an smtp:// or smtps:// URL')
    .refine((value) => URL.canParse(value), 'must be a valid URL')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be a mail address, e.g. certdesk <no-reply@example.jp>')
    .default('certdesk <no-reply@certdesk.invalid>'),
  MAIL_VIEWER: z.enum(['0', '1']).optional(),
  DEMO_DATA: z.enum(['0', '1']).optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  caDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  /** The origin the /pki URLs in certificates start with: http only (PKI_BASE_URL). */
  pkiBaseUrl: string;
  /** Cookies get Secure and the __Host- prefix unless the site is plain http off loopback. */
  isSecureCookie: boolean;
  caKeyPassphrase: string | undefined;
  /** Brand, product, operator and support desk (SPEC 1.8). */
  site: Site;
  caName: string;
  /** Prefix length by which IPv6 clients are counted for rate limits. */
  ipv6ClientPrefix: number;
  /** How applications are reviewed and approved (issue #7). */
  review: ReviewPolicy;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** How many proxies of ours add to X-Forwarded-For (0: use the socket's address). */
  proxyHops: number;
  /** Where the outbox sends mail; undefined: mail stays in the outbox (see the mail viewer). */
  smtpUrl: string | undefined;
  /** The From header of every mail. */
  mailFrom: string;
  /** Serve the development mail viewer at /dev/mail (on by default only without SMTP_URL). */
  isMailViewerEnabled: boolean;
  /** Load the demo subscribers and coupons into an empty database on start. */
  isDemoDataEnabled: boolean;
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; problems: string[] };

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://${hostForUrl(e.HOST)}:${e.PORT}`).replace(/\/+$/, '');
  if (!URL.canParse(publicUrl)) return { ok: false, problems: [`HOST: ${e.HOST} cannot be part of an address; set PUBLIC_URL`] };
  const url = new URL(publicUrl);
  const pkiBaseUrl = pkiBaseUrlFrom(e.PKI_BASE_URL, publicUrl);
  if (!pkiBaseUrl.ok) return { ok: false, problems: [pkiBaseUrl.problem] };
  const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const isListeningOnLoopback = ['localhost', '127.0.0.1', '::1'].includes(e.HOST);
  const site: Site = {
    brandName: e.BRAND_NAME,
    productName: e.PRODUCT_NAME,
    publicUrl,
    operator: {
      name: e.OPERATOR_NAME,
      supportUrl: e.SUPPORT_URL ?? `${publicUrl}/help/contact`,
      supportPhone: e.SUPPORT_PHONE,
      supportHours: e.SUPPORT_HOURS,
      repositoryUrl: e.REPOSITORY_URL ?? `${publicUrl}/help/repository`,
    },
  };
  return {
    ok: true,
    value: {
      port: e.PORT,
      host: e.HOST,
      dataDir: path.resolve(e.DATA_DIR),
      caDir: path.resolve(e.CA_DIR ?? path.join(e.DATA_DIR, 'ca')),
      databaseUrl: e.DATABASE_URL,
      publicUrl,
      pkiBaseUrl: pkiBaseUrl.value,
      isSecureCookie: url.protocol === 'https:' || isLoopback,
      caKeyPassphrase: e.CA_KEY_PASSPHRASE,
      site,
      caName: e.CA_NAME,
      ipv6ClientPrefix: e.IPV6_CLIENT_PREFIX,
      review: { requiredApprovals: e.REVIEW_APPROVALS, pickupCodeTtlDays: e.PICKUP_CODE_TTL_DAYS },
      logLevel: e.LOG_LEVEL,
      proxyHops: e.TRUST_PROXY,
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      // On by default only for the embedded demo (no SMTP, no PostgreSQL server, nobody but
      // this machine can reach it): a deployment that forgets SMTP_URL must not publish its
      // mail. A PUBLIC_URL means a proxy may publish the site, so then only MAIL_VIEWER=1 does.
      isMailViewerEnabled:
        (e.MAIL_VIEWER ??
          (e.SMTP_URL === undefined && e.DATABASE_URL === undefined && e.PUBLIC_URL === undefined && isLoopback && isListeningOnLoopback ? '1' : '0')) === '1',
      // Demo subscribers and free coupons belong to the embedded demo only, never by default
      // to a PostgreSQL deployment, whose CA is real.
      isDemoDataEnabled: (e.DEMO_DATA ?? (e.DATABASE_URL === undefined ? '1' : '0')) === '1',
    },
  };
}

/**
 * PKI_BASE_URL, or PUBLIC_URL with http (what certificates named before the setting
 * existed). Relying parties fetch CRLs and OCSP without TLS (S/MIME BR 7.1.2.3: http
 * only; RFC 5280 4.2.1.13 and RFC 6960 A.1 forbid circular TLS dependencies), so https
 * is refused, and so is a path: the /pki/… paths are added to the origin.
 */
function pkiBaseUrlFrom(setting: string | undefined, publicUrl: string): { ok: true; value: string } | { ok: false; problem: string } {
  if (setting === undefined) return { ok: true, value: publicUrl.replace(/^https:/, 'http:') };
  const trimmed = setting.trim().replace(/\/+$/, '');
  if (!URL.canParse(trimmed)) return { ok: false, problem: `PKI_BASE_URL: ${JSON.stringify(setting)} is not a URL; set an http:// origin such as http://pki.example.jp` };
  const url = new URL(trimmed);
  if (url.protocol === 'https:') {
    return { ok: false, problem: 'PKI_BASE_URL: must be plain http://, not https:// (S/MIME BR 7.1.2.3: relying parties fetch CRLs and OCSP without TLS; keep its host outside HSTS)' };
  }
  if (url.protocol !== 'http:') return { ok: false, problem: `PKI_BASE_URL: must be an http:// URL, not ${url.protocol}` };
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return { ok: false, problem: 'PKI_BASE_URL: must be an origin only (http://host[:port]), without user, path, query or fragment: /pki/… is added to it' };
  }
  return { ok: true, value: url.origin };
}

/** A listening address as the host part of a URL: IPv6 in brackets, the wildcards as loopback. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return net.isIPv6(host) ? `[${host}]` : host;
}
