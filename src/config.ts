import path from 'node:path';
import { z } from 'zod';

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
  CA_KEY_PASSPHRASE: z.string().min(12, 'must be at least 12 characters').optional(),
  PRODUCT_NAME: z.string().min(1).default('certdesk 個人用電子証明書 Class2 スタンダード'),
  CA_NAME: z.string().min(1).default('certdesk Demo CA'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
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
  databaseUrl: string | undefined;
  publicUrl: string;
  /** Cookies get Secure and the __Host- prefix unless the site is plain http off loopback. */
  isSecureCookie: boolean;
  caKeyPassphrase: string | undefined;
  productName: string;
  caName: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Take the client address from X-Forwarded-For (only behind a proxy we run). */
  isBehindProxy: boolean;
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
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  const url = new URL(publicUrl);
  const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const isListeningOnLoopback = ['localhost', '127.0.0.1', '::1'].includes(e.HOST);
  return {
    ok: true,
    value: {
      port: e.PORT,
      host: e.HOST,
      dataDir: path.resolve(e.DATA_DIR),
      databaseUrl: e.DATABASE_URL,
      publicUrl,
      isSecureCookie: url.protocol === 'https:' || isLoopback,
      caKeyPassphrase: e.CA_KEY_PASSPHRASE,
      productName: e.PRODUCT_NAME,
      caName: e.CA_NAME,
      logLevel: e.LOG_LEVEL,
      isBehindProxy: e.TRUST_PROXY === '1',
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      // On by default only for the embedded demo (no SMTP, no PostgreSQL server): a production
      // deployment that forgets SMTP_URL must not publish its mail.
      isMailViewerEnabled: (e.MAIL_VIEWER ?? (e.SMTP_URL === undefined && e.DATABASE_URL === undefined && isLoopback && isListeningOnLoopback ? '1' : '0')) === '1',
      // Demo subscribers and free coupons belong to the embedded demo only, never by default
      // to a PostgreSQL deployment, whose CA is real.
      isDemoDataEnabled: (e.DEMO_DATA ?? (e.DATABASE_URL === undefined ? '1' : '0')) === '1',
    },
  };
}
