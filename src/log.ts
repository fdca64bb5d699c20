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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { service: 'certdesk' } }, destination);
}
