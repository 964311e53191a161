// Where e-mails go: SMTP, or the log when SMTP_URL is unset. The G4 deactivation e-mail (a worker activity) and
// the portal's sign-in links (the API) both send through it.
import nodemailer from 'nodemailer';
import { log } from './log';

export interface Mailer {
  /** Where messages go, safe to log: host:port, never credentials. */
  readonly via: string;
  /** messageId, when given, becomes the Message-ID header. */
  send(message: { to: string; subject: string; text: string; messageId?: string }): Promise<{ messageId: string }>;
}

/** A dead SMTP server fails the send within this, so Temporal retries the activity instead of it hanging. */
const SMTP_TIMEOUT_MS = 10_000;

/**
 * SMTP when SMTP_URL is set. Not pooled: these e-mails are rare, so a pool would hold idle
 * connections (and keep the process alive) for nothing. Unset: the message is built but only
 * logged, so a dev stack needs no mail server and an operator still sees what would have gone.
 */
export function createMailer(config: { SMTP_URL?: string; MAIL_FROM: string }): Mailer {
  if (!config.SMTP_URL) {
    const transport = nodemailer.createTransport({ jsonTransport: true }, { from: config.MAIL_FROM });
    const via = 'log (SMTP_URL unset)';
    return {
      via,
      async send(message) {
        const info = await transport.sendMail(message);
        log.warn('e-mail not sent over SMTP because SMTP_URL is unset; logged instead', {
          message: JSON.parse(info.message),
        });
        return { messageId: info.messageId };
      },
    };
  }
  const transport = nodemailer.createTransport(
    {
      url: config.SMTP_URL,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    },
    { from: config.MAIL_FROM },
  );
  const via = smtpHostPort(config.SMTP_URL);
  return {
    via,
    async send(message) {
      const info = await transport.sendMail(message);
      return { messageId: info.messageId };
    },
  };
}

// host:port only: the URL's user and password must never reach a log line or an activity result.
function smtpHostPort(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const port = url.port || (url.protocol === 'smtps:' ? '465' : '587'); // nodemailer's defaults
  return `${url.hostname}:${port}`;
}
