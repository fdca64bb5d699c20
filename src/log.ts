import pino, { type Logger } from 'pino';

/** Secrets never reach the log (STYLE §6, §10): these paths are censored wherever they appear. */
export const redactedPaths = [
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'passwordHash',
  '*.passwordHash',
  'certificateCode',
  '*.certificateCode',
  'couponNumber',
  '*.couponNumber',
  'smtpUrl',
  '*.smtpUrl',
  'passphrase',
  '*.passphrase',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Errors from the database carry the query's parameters (drizzle puts them in the message
 * and in `params`): password hashes, coupon numbers, personal data. Keep the statement,
 * drop the values, all the way down the cause chain.
 */
export function scrubError(serialized: unknown, depth = 0): unknown {
  if (typeof serialized !== 'object' || serialized === null || depth > 8) return serialized;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized as Record<string, unknown>)) {
    if (key === 'params' || key === 'parameters' || key === 'values' || key === 'detail' || key === 'where') {
      // PostgreSQL's detail names the values too ("Key (email)=(…) already exists").
      out[key] = '[redacted]';
    } else if (typeof value === 'string' && (key === 'message' || key === 'stack')) {
      // Parameters may span lines (a PEM, a DER buffer): up to the stack's first frame.
      out[key] = value.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '\nparams: [redacted]');
    } else {
      out[key] = typeof value === 'object' ? scrubError(value, depth + 1) : value;
    }
  }
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'certdesk' },
      serializers: { err: (error: Error) => scrubError(pino.stdSerializers.err(error)) },
    },
    destination,
  );
}
