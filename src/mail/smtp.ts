import { createTransport } from 'nodemailer';
import type { MailTransport } from './outbox.js';

/**
 * Timeouts short enough that a mail server that is down or stalled fails the attempt
 * quickly; the outbox retries it later (the defaults wait up to two minutes to connect
 * and ten to notice a dead socket).
 */
export const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
export const SMTP_GREETING_TIMEOUT_MS = 10_000;
export const SMTP_SOCKET_TIMEOUT_MS = 10_000;
export const SMTP_DNS_TIMEOUT_MS = 10_000;

/**
 * A MailTransport over SMTP: `smtp://user:pass@host:port` (STARTTLS when the server offers
 * it) or `smtps://…` (TLS from the start). One connection per mail: the outbox sends in
 * small batches, and no pooled connection can go stale between them.
 */
export function smtpTransport(url: string): MailTransport {
  if (!/^smtps?:\/\//.test(url)) throw new Error('smtpTransport: the URL must start with smtp:// or smtps://');
  const transporter = createTransport({
    url,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    dnsTimeout: SMTP_DNS_TIMEOUT_MS,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: mail.from,
        // Exactly this one recipient: an address object is not parsed as a list.
        to: { name: '', address: mail.to },
        envelope: { from: envelopeSenderOf(mail.from), to: [mail.to] },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.headers === undefined ? {} : { headers: mail.headers }),
      });
      return { messageId: info.messageId };
    },
  };
}

/** The bare address of a From header (`Name <a@b>` → `a@b`), for MAIL FROM. */
function envelopeSenderOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
