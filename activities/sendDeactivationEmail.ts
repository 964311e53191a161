// G4: the one e-mail a merchant gets when one of its callback URLs is deactivated automatically.
import { createHash } from 'node:crypto';
import { log } from '../lib/log';
import type { Mailer } from '../lib/mailer';

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
  /** The delivery whose exhaustion deactivated the URL, for the log line; absent from older runs. */
  deliveryId?: string;
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
  // The portal's sign-in request page, not a sign-in link: it e-mails a fresh single-use link to the account's
  // address when the merchant presses its button, so a mail scanner opening this one spends nothing (issue 18).
  const portal = `${api}/portal/entrar?conta=${encodeURIComponent(notice.merchantId)}` +
    `&destino=${encodeURIComponent(`/portal/integracoes/${encodeURIComponent(notice.endpoint)}`)}`;
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
    `Abra o portal: ${portal}`,
    '   Lá você vê a URL, a testa, a ativa e reenvia as notificações pendentes. A página envia um link de',
    '   acesso ao e-mail cadastrado na conta.',
    '',
    'Ou pela API REST:',
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
      deliveryId: notice.deliveryId, merchantId: notice.merchantId, endpoint: notice.endpoint, messageId, via: mailer.via,
    });
    return { messageId, via: mailer.via };
  };
}
