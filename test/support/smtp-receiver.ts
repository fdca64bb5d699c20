import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail as the receiver got it: the envelope, and the raw message with a few parsed headers. */
export interface ReceivedMail {
  envelopeFrom: string;
  recipients: string[];
  raw: string;
  /** The Subject header, RFC 2047 encoded words decoded. */
  subject: string;
  /** An unfolded header's value, or undefined (first occurrence; name case-insensitive). */
  header(name: string): string | undefined;
  /** The text/plain part, its transfer encoding undone (what a mail client shows). */
  text: string;
}

/**
 * A loopback SMTP server for tests (STYLE §7: SMTP goes to a loopback receiver). It keeps
 * its port across stop() and start(), so a test can take "the mail server" down and bring
 * it back while the transport under test keeps pointing at the same URL.
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  #server: SMTPServer | undefined;
  #port = 0;

  get port(): number {
    if (this.#port === 0) throw new Error('the SMTP receiver has not been started');
    return this.#port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.#server !== undefined;
  }

  async start(): Promise<void> {
    if (this.#server !== undefined) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1_000,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          this.messages.push(receivedMail(raw, envelopeFrom, session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  clear(): void {
    this.messages.length = 0;
  }
}

function receivedMail(raw: string, envelopeFrom: string, recipients: string[]): ReceivedMail {
  const end = raw.search(/\r?\n\r?\n/);
  const headerBlock = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n(?=[ \t])/g, '');
  const headers = new Map<string, string>();
  for (const line of headerBlock.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return {
    envelopeFrom,
    recipients,
    raw,
    subject: decodeEncodedWords(headers.get('subject') ?? ''),
    text: plainTextOf(raw),
    header: (name) => headers.get(name.toLowerCase()),
  };
}

/**
 * RFC 2047, enough for what nodemailer writes: B and Q encoded words in UTF-8; the space
 * between two adjacent encoded words is dropped, and their bytes are joined before
 * decoding, since a character may be split between two words.
 */
export function decodeEncodedWords(value: string): string {
  const parts: ({ bytes: Buffer } | { text: string })[] = [];
  let index = 0;
  for (const match of value.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
    const gap = value.slice(index, match.index);
    const previous = parts.at(-1);
    const isBetweenWords = previous !== undefined && 'bytes' in previous && /^\s*$/.test(gap);
    if (gap !== '' && !isBetweenWords) parts.push({ text: gap });
    const encoded = match[3] ?? '';
    const bytes = (match[2] ?? '').toUpperCase() === 'B' ? Buffer.from(encoded, 'base64') : decodeQ(encoded);
    const last = parts.at(-1);
    if (last !== undefined && 'bytes' in last) last.bytes = Buffer.concat([last.bytes, bytes]);
    else parts.push({ bytes });
    index = match.index + match[0].length;
  }
  if (index < value.length) parts.push({ text: value.slice(index) });
  return parts.map((p) => ('bytes' in p ? p.bytes.toString('utf8') : p.text)).join('');
}

function decodeQ(encoded: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i] ?? '';
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/** The first text/plain part of a MIME message, decoded from base64 or quoted-printable. */
function plainTextOf(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts.length > 1 ? parts : [raw]) {
    const end = part.search(/\r?\n\r?\n/);
    if (end === -1) continue;
    const head = part.slice(0, end).replace(/\r?\n(?=[ \t])/g, '');
    if (!/content-type:\s*text\/plain/i.test(head)) continue;
    const body = part.slice(end).replace(/^\r?\n\r?\n/, '').replace(/\r?\n--[^\r\n]*--\s*$/, '');
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
      return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
    }
    return body;
  }
  return '';
}
