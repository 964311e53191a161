// A real SMTP server on loopback that keeps every message it is handed (G4 e-mails).
import type { AddressInfo } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { SMTPServer } from 'smtp-server';

export interface CaughtMessage {
  /** The envelope (MAIL FROM / RCPT TO), which is what decides delivery, not the headers. */
  from: string;
  to: string[];
  /** The message as sent over the wire: headers, blank line, encoded body. */
  raw: string;
}

export class SmtpCatcher {
  readonly messages: CaughtMessage[] = [];
  private readonly events = new EventEmitter();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'], // plain text on loopback: no certificate to manage
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        this.messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        this.events.emit('message');
        callback();
      });
    },
  });

  static async start(): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher();
    catcher.server.listen(0, '127.0.0.1');
    await once(catcher.server.server, 'listening');
    return catcher;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  subjects(): string[] {
    return this.messages.map((m) => header(m.raw, 'subject') ?? '');
  }

  /** Resolves when `count` messages have arrived (an observable event, not a sleep); the deadline is for a hung test. */
  async until(count: number, timeoutMs = 60_000): Promise<CaughtMessage[]> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      while (this.messages.length < count) await once(this.events, 'message', { signal });
    } catch (err) {
      if (!signal.aborted) throw err;
      throw new Error(`SmtpCatcher: ${this.messages.length} of ${count} messages after ${timeoutMs} ms`);
    }
    return this.messages;
  }

  reset(): void {
    this.messages.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A header's value, unfolded, with RFC 2047 encoded-words decoded. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? undefined : decodeWords(line.slice(name.length + 1).trim());
}

/** The body of a single-part message, transfer-decoded (nodemailer picks quoted-printable or base64). */
export function bodyText(raw: string): string {
  const match = /\r?\n\r?\n/.exec(raw);
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const encoding = (header(raw, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const charset = /charset="?([^";\s]+)/i.exec(header(raw, 'content-type') ?? '')?.[1] ?? 'utf-8';
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body, 'base64');
  else if (encoding === 'quoted-printable') bytes = quotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  return new TextDecoder(charset).decode(bytes);
}

function quotedPrintable(text: string): Buffer {
  const unfolded = text.replace(/=\r?\n/g, ''); // soft line breaks
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

// Adjacent encoded-words are joined without the whitespace between them (RFC 2047, 6.2).
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, text: string) => {
      const bytes = kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : quotedPrintable(text.replace(/_/g, ' '));
      return new TextDecoder(charset).decode(bytes);
    });
}
