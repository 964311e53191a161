// G4: the one e-mail a merchant gets when one of its callback URLs is deactivated automatically.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { log } from '../lib/log';

export const DEACTIVATION_SUBJECT = 'Falha na URL de callback';

export interface DeactivationNotice {
  /** The account's e-mail address. */
  to: string;
  merchantId: string;
  /** The registration field that held the URL, e.g. `gerencianetNotificationUrl`. */
  endpoint: string;
  url: string;
  /** ISO 8601. */
  deactivatedAt: string;
  lastErrors: string[];
  /** Where the merchant reaches the REST API; default http://localhost:3000. */
  apiBaseUrl?: string;
}

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

const saoPaulo = new Intl.DateTimeFormat('pt-BR', {
  timeZone: 'America/Sao_Paulo',
  dateStyle: 'short',
  timeStyle: 'medium',
});

/** The body, in Portuguese: the merchants are Brazilian. */
export function deactivationEmailText(notice: DeactivationNotice): string {
  const api = (notice.apiBaseUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  const endpoints = `${api}/v1/merchants/${encodeURIComponent(notice.merchantId)}/endpoints`;
  const endpoint = `${endpoints}/${encodeURIComponent(notice.endpoint)}`;
  const at = new Date(notice.deactivatedAt);
  const since = Number.isNaN(at.getTime())
    ? notice.deactivatedAt
    : `${saoPaulo.format(at)} (horário de Brasília; ${notice.deactivatedAt})`;
  const errors = notice.lastErrors.length > 0 ? notice.lastErrors.map((e) => `  - ${e.replace(/\s*\n\s*/g, ' ')}`) : ['  (nenhum registrado)'];
  return [
    'Olá,',
    '',
    `A sua URL de callback foi desativada automaticamente, pois as tentativas de entrega das notificações falharam.`,
    '',
    `URL: ${notice.url}`,
    `Campo do cadastro: ${notice.endpoint}`,
    `Conta: ${notice.merchantId}`,
    `Desativada desde: ${since}`,
    '',
    'Últimos erros:',
    ...errors,
    '',
    'Enquanto a URL estiver desativada, as notificações não são enviadas: elas ficam registradas como',
    'não enviadas e podem ser reenviadas quando a URL for ativada novamente.',
    '',
    'O que fazer:',
    '',
    '1. Verifique se o seu sistema está no ar e responde com HTTP 200 a um POST nessa URL',
    '   (balanceador de carga, firewall e disponibilidade da hospedagem são as causas mais comuns).',
    '',
    '2. Teste a URL: enviamos uma notificação de teste agora e respondemos com o resultado.',
    `   POST ${endpoint}/test`,
    '',
    '3. Quando o teste responder 200, ative a URL: ela é testada de novo e reativada se responder 200.',
    `   POST ${endpoint}/activation`,
    '',
    '4. Reenvie as notificações que ficaram pendentes enquanto a URL estava desativada: consulte as não enviadas',
    '   e peça o reenvio, que responde primeiro quantas serão reenviadas; confirme com essa quantidade.',
    `   GET ${endpoint}/notifications?sent=no`,
    `   POST ${endpoint}/resends   {}`,
    `   POST ${endpoint}/resends   {"confirmCount": <quantidade>}`,
    '',
    'Para consultar a situação das suas URLs e a última falha:',
    `   GET ${endpoints}`,
    '',
    'É importante sempre monitorar a sua URL de callback para evitar novos problemas.',
    '',
    'Arauto',
  ].join('\n');
}

/**
 * The same for the same deactivation: a retried activity that sends again carries the same
 * Message-ID, so mail systems can drop the duplicate.
 */
function deactivationMessageId(notice: DeactivationNotice): string {
  const key = JSON.stringify([notice.merchantId, notice.endpoint, notice.deactivatedAt]);
  return `<deactivation.${createHash('sha256').update(key).digest('hex').slice(0, 24)}@arauto>`;
}

/** The activity: one side effect, one e-mail. A failed send throws, and Temporal retries it. */
/** `apiBaseUrl`: where merchants reach the REST API (PUBLIC_API_URL), for the calls the e-mail shows. */
export function createSendDeactivationEmail(mailer: Mailer, apiBaseUrl?: string) {
  return async function sendDeactivationEmail(given: DeactivationNotice): Promise<{ messageId: string; via: string }> {
    const notice = { ...given, apiBaseUrl: given.apiBaseUrl ?? apiBaseUrl };
    const messageId = deactivationMessageId(notice);
    await mailer.send({ to: notice.to, subject: DEACTIVATION_SUBJECT, text: deactivationEmailText(notice), messageId });
    log.info('deactivation e-mail handed to the mailer', {
      merchantId: notice.merchantId, endpoint: notice.endpoint, messageId, via: mailer.via,
    });
    return { messageId, via: mailer.via };
  };
}
