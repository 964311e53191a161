// G4: the "Falha na URL de callback" e-mail, sent over real SMTP to a loopback catcher.
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { after, before, beforeEach, test } from 'node:test';
import {
  DEACTIVATION_SUBJECT,
  createSendDeactivationEmail,
  deactivationEmailText,
  type DeactivationNotice,
} from '../activities/sendDeactivationEmail';
import { createMailer } from '../lib/mailer';
import { SmtpCatcher, bodyText, header } from './support/smtpCatcher';

const MAIL_FROM = 'Arauto <no-reply@arauto.test>';
const notice: DeactivationNotice = {
  to: 'financeiro@loja.example',
  merchantId: 'loja-42',
  endpoint: 'gerencianetNotificationUrl',
  url: 'https://loja.example/callbacks/gerencianet?token=abc=def',
  deactivatedAt: '2026-11-16T13:30:05.000Z',
  lastErrors: ['HTTP 503: Service Unavailable', 'connection_refused: connect ECONNREFUSED 203.0.113.7:443'],
  apiBaseUrl: 'https://arauto.example',
};

let catcher: SmtpCatcher;
before(async () => {
  catcher = await SmtpCatcher.start();
});
after(() => catcher.stop());
beforeEach(() => catcher.reset());

test('G4: the body says which URL, since when, the last errors, and how to test and reactivate it', () => {
  const text = deactivationEmailText(notice);
  for (const expected of [
    notice.url,
    notice.endpoint,
    notice.merchantId,
    notice.deactivatedAt,
    '16/11/2026, 10:30:05', // the same instant in America/Sao_Paulo (UTC−3)
    ...notice.lastErrors,
    'POST https://arauto.example/v1/merchants/loja-42/endpoints/gerencianetNotificationUrl/test',
    'POST https://arauto.example/v1/merchants/loja-42/endpoints/gerencianetNotificationUrl/activation',
    'GET https://arauto.example/v1/merchants/loja-42/endpoints',
  ]) {
    assert.ok(text.includes(expected), `body lacks ${JSON.stringify(expected)}:\n${text}`);
  }
  assert.match(text, /desativada/);
  const local = deactivationEmailText({ ...notice, apiBaseUrl: undefined });
  assert.ok(local.includes('POST http://localhost:3000/v1/merchants/loja-42/endpoints/gerencianetNotificationUrl/test'));
});

test('G4: one e-mail, subject "Falha na URL de callback", to the account address, over SMTP', async () => {
  const mailer = createMailer({ SMTP_URL: catcher.url, MAIL_FROM });
  const result = await createSendDeactivationEmail(mailer)(notice);

  const [message] = await catcher.until(1);
  assert.equal(catcher.messages.length, 1);
  assert.deepEqual(message.to, [notice.to]);
  assert.equal(message.from, 'no-reply@arauto.test');
  assert.deepEqual(catcher.subjects(), [DEACTIVATION_SUBJECT]);
  assert.equal(DEACTIVATION_SUBJECT, 'Falha na URL de callback');
  assert.equal(header(message.raw, 'message-id'), result.messageId);
  assert.equal(result.via, catcher.url.replace('smtp://', ''));

  const body = bodyText(message.raw).replace(/\r\n/g, '\n');
  assert.equal(body.trimEnd(), deactivationEmailText(notice));
  for (const expected of [notice.url, notice.merchantId, ...notice.lastErrors, '/test', '/activation']) {
    assert.ok(body.includes(expected), `delivered body lacks ${JSON.stringify(expected)}`);
  }
});

test('G4: "O que fazer" opens with the portal page of the URL, which e-mails a fresh sign-in link (issue 18)', () => {
  const text = deactivationEmailText(notice);
  const link = 'https://arauto.example/portal/entrar?conta=loja-42&destino=%2Fportal%2Fintegracoes%2FgerencianetNotificationUrl';
  const todo = text.indexOf('O que fazer:');
  const portal = text.indexOf(`Abra o portal: ${link}\n`);
  assert.ok(todo >= 0 && portal > todo, text);
  assert.ok(portal < text.indexOf('\n1. '), 'the portal comes first, the REST calls below it');
  assert.ok(text.indexOf('POST https://arauto.example/v1/merchants/loja-42/endpoints/gerencianetNotificationUrl/test') > portal);
  // What the link carries is read back as the sign-in page reads it.
  const url = new URL(link);
  assert.equal(url.searchParams.get('conta'), 'loja-42');
  assert.equal(url.searchParams.get('destino'), '/portal/integracoes/gerencianetNotificationUrl');
  assert.ok(!/token=/.test(link), 'no single-use token in a link mail scanners open');
});

test('G4: step 4 gives the log and resend calls, as steps 2 and 3 give theirs (issue 16)', () => {
  const text = deactivationEmailText(notice);
  const step4 = text.slice(text.indexOf('\n4. '), text.indexOf('Para consultar'));
  const endpoint = `${notice.apiBaseUrl}/v1/merchants/${notice.merchantId}/endpoints/${notice.endpoint}`;
  assert.ok(step4.includes(`GET ${endpoint}/notifications?sent=no`), step4);
  assert.ok(step4.includes(`POST ${endpoint}/resends`), step4);
  assert.match(step4, /confirmCount/);
});

test('G4: a retried send of the same deactivation carries the same Message-ID', async () => {
  const send = createSendDeactivationEmail(createMailer({ SMTP_URL: catcher.url, MAIL_FROM }));
  const first = await send(notice);
  const second = await send({ ...notice });
  const [a, b] = await catcher.until(2);
  assert.match(first.messageId, /^<deactivation\.[0-9a-f]{24}@arauto>$/);
  assert.equal(second.messageId, first.messageId);
  assert.equal(header(a.raw, 'message-id'), first.messageId);
  assert.equal(header(b.raw, 'message-id'), first.messageId);

  const later = await send({ ...notice, deactivatedAt: '2026-11-20T08:00:00.000Z' });
  assert.notEqual(later.messageId, first.messageId, 'a later deactivation is a new e-mail');
});

test('G4: with SMTP_URL unset nothing is sent over SMTP; the result says it was logged', async () => {
  const mailer = createMailer({ MAIL_FROM });
  assert.equal(mailer.via, 'log (SMTP_URL unset)');
  const result = await createSendDeactivationEmail(mailer)(notice);
  assert.match(result.via, /log/);
  assert.match(result.messageId, /^<deactivation\./);
  // The log transport opens no socket, so by the time the send resolved nothing could be in flight.
  assert.equal(catcher.messages.length, 0);
});

test('G4: via never carries the SMTP password', () => {
  const mailer = createMailer({ SMTP_URL: 'smtps://user:s3cret@mail.example.com', MAIL_FROM });
  assert.equal(mailer.via, 'mail.example.com:465');
});

test('G4: an SMTP server that is down makes the activity throw, so Temporal retries it', async () => {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const send = createSendDeactivationEmail(createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM }));
  await assert.rejects(send(notice), /ECONNREFUSED/);
});

test('G4: the calls in the e-mail start from PUBLIC_API_URL, given to the activity', async () => {
  const mailer = createMailer({ SMTP_URL: catcher.url, MAIL_FROM });
  await createSendDeactivationEmail(mailer, 'https://api.arauto.example')({ ...notice, apiBaseUrl: undefined });
  const [message] = await catcher.until(1);
  assert.ok(bodyText(message.raw).includes('POST https://api.arauto.example/v1/merchants/loja-42/endpoints/'));
});
