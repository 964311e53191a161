// Issue 18, page 1: "Integrações › callback" as a merchant's session uses it (seed 000: open the integration, Testar,
// Ativar, Logs), against a dev server, the API in this process and a real receiver on loopback (G4, G6, G9, D3).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deactivationEmailText } from '../activities/sendDeactivationEmail';
import { endpointExhaustedSignal, merchantWorkflowId } from '../workflows/contracts/merchant';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { PortalClient } from './support/portalClient';
import { Receiver } from './support/receiver';
import { testConfig } from './support/testConfig';

const run = Date.now().toString(36);
const shopId = `loja-integracoes-${run}`;
const otherId = `loja-vizinha-${run}`;
const email = 'financeiro@loja.example';
const page = '/portal/integracoes/gerencianetNotificationUrl';

let stack: DevStack;
let receiver: Receiver;
let shop: Account;
let portal: PortalClient;
let url: string;

const endpoint = async () =>
  (await shop.call('GET', `/v1/merchants/${shopId}/endpoints`)).body.endpoints.gerencianetNotificationUrl;
const registration = async () => (await shop.call('GET', `/v1/merchants/${shopId}/callback-urls`)).body;
const secretOf = async () =>
  (await shop.call('GET', `/v1/merchants/${shopId}/endpoints/gerencianetNotificationUrl/signing-secret`)).body;

/** The Ativar button as rendered: its attributes (`disabled` or not). */
const activateButton = (html: string) => /<button type="submit"([^>]*)>Ativar<\/button>/.exec(html)?.[1];

before(async () => {
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: `arauto-portal-integrations-${run}`, CALLBACK_TIMEOUT_MS: '2000' }));
  shop = await stack.as(shopId, email);
  url = `${receiver.url}/loja`;
  const registered = await shop.call('PUT', `/v1/merchants/${shopId}/callback-urls`, { gerencianetNotificationUrl: url });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  portal = await PortalClient.signIn(stack, shop);
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
});

describe('Integrações › callback', () => {
  test('G9: the list shows each registered URL, ativa, with Detalhes and Logs; its page shows it too', async () => {
    const list = await portal.get('/portal/integracoes');
    assert.equal(list.status, 200);
    assert.ok(list.html.includes('Notificação Gerencianet'));
    assert.ok(list.html.includes(url));
    assert.match(list.html, />ativa</);
    assert.ok(list.html.includes(`href="${page}"`));
    assert.ok(list.html.includes(`href="${page}/logs"`));

    const detail = await portal.get(page);
    assert.equal(detail.status, 200);
    assert.ok(detail.html.includes(url));
    assert.match(detail.html, />ativa</);
    assert.match(detail.html, />Testar<\/button>/);
    assert.equal(activateButton(detail.html), undefined, 'an active URL has nothing to activate');
    assert.match(detail.html, />Logs<\/a>/);
    assert.ok(!detail.html.includes('whsec_'), 'a GET never shows the signing secret');
  });

  test('G4, G9: a deactivated URL shows inativa, when and why, and its last errors with their times and deliveries', async () => {
    // Deactivated the way an exhausted delivery does it (the exhaustion itself: test/endpointLifecycle.test.ts).
    const at = new Date().toISOString();
    await stack.client.workflow.getHandle(merchantWorkflowId(shopId)).signal(endpointExhaustedSignal, {
      endpoint: 'gerencianetNotificationUrl', url, deliveryId: 'delivery.portal', deactivate: true,
      lastErrors: ['HTTP 500'], lastErrorsAt: [at],
    });
    await eventually(endpoint, (e) => e.status === 'inactive');

    const list = await portal.get('/portal/integracoes');
    assert.match(list.html, />inativa</);
    assert.match(list.html, /Última desativação/);
    assert.match(list.html, /every attempt of delivery\.portal failed; last: HTTP 500/);

    const detail = await portal.get(page);
    assert.match(detail.html, />inativa</);
    assert.ok(detail.html.includes('href="/portal/entregas/delivery.portal"'), 'each error links its delivery');
    assert.match(detail.html, /<th scope="col">Quando<\/th>/);
    assert.match(detail.html, /HTTP 500/);
    assert.match(activateButton(detail.html) ?? '', /disabled/, 'Ativar waits for a test that passed');
  });

  test("G4: the e-mail's portal link opens, without a session, the page that e-mails a link back to this URL's page", async () => {
    const text = deactivationEmailText({
      to: email, merchantId: shopId, endpoint: 'gerencianetNotificationUrl', url, deactivatedAt: new Date().toISOString(),
      lastErrors: ['HTTP 500'], apiBaseUrl: stack.base,
    });
    const link = /Abra o portal: (\S+)/.exec(text)![1];
    const opened = await fetch(link, { redirect: 'manual' }); // as a mail scanner would: no cookie
    assert.equal(opened.status, 200);
    const html = await opened.text();
    assert.ok(html.includes(`name="conta" value="${shopId}"`), html);
    assert.ok(html.includes(`name="destino" value="${page}"`), html);
  });

  test('G6: Testar against a failing receiver shows "falhou" with the status code and the latency', async () => {
    receiver.respond([], 503);
    const tested = await portal.post(`${page}/teste`, {});
    assert.equal(tested.status, 303);
    assert.equal(tested.location, `${page}?feito=teste`);
    const shown = await portal.get(tested.location!);
    assert.match(shown.html, /<p role="status">Teste enviado: <span><strong class="state-inactive">falhou<\/strong> · HTTP 503 · latência \d+ ms/);
    assert.match(activateButton(shown.html) ?? '', /disabled/);
    assert.equal((await endpoint()).lastTest.statusCode, 503);
  });

  test('G6, D3: Ativar posted while the URL fails is refused (409) with the test in words; the URL stays inativa', async () => {
    const refused = await portal.post(`${page}/ativacao`, {}, { from: page });
    assert.equal(refused.status, 409);
    assert.match(refused.html, /<p role="alert">A URL não foi ativada: o teste <span><strong class="state-inactive">falhou<\/strong> · HTTP 503/);
    assert.match(refused.html, />inativa</);
    assert.equal((await endpoint()).status, 'inactive');
  });

  test('G6, D3: the receiver fixed, Testar "passou", Ativar is enabled and makes the URL ativa', async () => {
    receiver.respond([], 200);
    const tested = await portal.post(`${page}/teste`, {});
    const shown = await portal.get(tested.location!);
    assert.match(shown.html, /Teste enviado: <span><strong class="state-active">passou<\/strong> · HTTP 200/);
    assert.equal(activateButton(shown.html), '', 'enabled after a passing test');

    const activated = await portal.post(`${page}/ativacao`, {});
    assert.equal(activated.status, 303);
    assert.equal(activated.location, `${page}?feito=ativada`);
    const after = await portal.get(activated.location!);
    assert.match(after.html, /<p role="status">URL ativada\.<\/p>/);
    assert.match(after.html, />ativa</);
    assert.equal((await endpoint()).status, 'active');
  });

  test('registration: a malformed URL or e-mail is refused (400) beside its field, and nothing changes', async () => {
    const before = await registration();
    const refused = await portal.post(`${page}/cadastro`, { gerencianetNotificationUrl: 'ftp://loja.example/x', notificationEmail: 'nao-e-email' });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /<p role="alert">O cadastro não foi salvo/);
    for (const [field, words] of [['gerencianetNotificationUrl', 'URL inválida: expected an http(s) URL'], ['notificationEmail', 'E-mail inválido: expected an e-mail address']]) {
      const input = new RegExp(`<input id="${field}"[^>]*>`).exec(refused.html)?.[0] ?? '';
      assert.match(input, /aria-invalid="true"/);
      assert.match(input, new RegExp(`aria-describedby="${field}-erro ${field}-dica"`));
      assert.ok(refused.html.includes(`<span class="error" id="${field}-erro">${words}</span>`), field);
    }
    assert.ok(refused.html.includes('value="ftp://loja.example/x"'), 'what was typed is shown again to correct');
    assert.deepEqual(await registration(), before);
  });

  test('registration: SSRF destinations are refused in words ("Endereço não permitido"), and nothing changes', async () => {
    const before = await registration();
    for (const [target, why] of [['http://169.254.169.254/x', 'a cloud metadata address'], ['http://10.0.0.1/', 'a private address']]) {
      const refused = await portal.post(`${page}/cadastro`, { gerencianetNotificationUrl: target, notificationEmail: email });
      assert.equal(refused.status, 400, target);
      const error = /<span class="error" id="gerencianetNotificationUrl-erro">([^<]*)<\/span>/.exec(refused.html)?.[1] ?? '';
      assert.match(error, /^Endereço não permitido: /);
      assert.ok(error.includes(why), error);
    }
    assert.deepEqual(await registration(), before);
  });

  test('registration: a valid edit of the URL and the e-mail is saved, as the API reads it back', async () => {
    const moved = `${receiver.url}/loja-nova`;
    const saved = await portal.post(`${page}/cadastro`, { gerencianetNotificationUrl: moved, notificationEmail: 'outro@loja.example' });
    assert.equal(saved.status, 303);
    assert.match((await portal.get(saved.location!)).html, /<p role="status">Cadastro salvo\.<\/p>/);
    const read = await registration();
    assert.equal(read.gerencianetNotificationUrl, moved);
    assert.equal(read.notificationEmail, 'outro@loja.example');
    url = moved;
  });

  test('the signing secret is shown only in answer to a POST; a rotation asks sim/não and shows the new and the previous', async () => {
    const current = await secretOf();
    const shown = await portal.post(`${page}/segredo`, {});
    assert.equal(shown.status, 200);
    assert.ok(shown.html.includes(current.secret));

    const ask = await portal.get(`${page}/segredo/rotacao`);
    assert.equal(ask.status, 200);
    assert.match(ask.html, />Sim<\/button>/);
    assert.ok(ask.html.includes(`<a class="button secondary" href="${page}">Não</a>`));
    assert.equal((await secretOf()).version, current.version, 'asking changes nothing');

    const rotated = await portal.post(`${page}/segredo/rotacao`, {});
    assert.equal(rotated.status, 200);
    const now = await secretOf();
    assert.equal(now.version, current.version + 1);
    assert.ok(rotated.html.includes(now.secret), 'the new secret');
    assert.ok(rotated.html.includes(current.secret), 'the previous one, still signing');
    assert.match(rotated.html, /<p role="status">Novo segredo gerado/);
  });

  test('a POST without the anti-CSRF token is refused (403) and changes nothing', async () => {
    const [before, secret] = [await registration(), await secretOf()];
    const forged = await portal.post(`${page}/cadastro`, { gerencianetNotificationUrl: `${receiver.url}/forjada` }, { csrf: false });
    assert.equal(forged.status, 403);
    assert.equal((await portal.post(`${page}/segredo/rotacao`, {}, { csrf: false })).status, 403);
    assert.equal((await portal.post(`${page}/segredo`, {}, { csrf: false })).status, 403);
    assert.deepEqual(await registration(), before);
    assert.equal((await secretOf()).version, secret.version);
  });

  test('an unknown integration is a 404 page', async () => {
    assert.equal((await portal.get('/portal/integracoes/naoExiste')).status, 404);
    assert.equal((await portal.post('/portal/integracoes/naoExiste/teste', {})).status, 404);
  });

  test("another account's session never sees this account's URLs; with none it is offered the registration form", async () => {
    const other = await stack.as(otherId);
    const neighbour = await PortalClient.signIn(stack, other);
    const list = await neighbour.get('/portal/integracoes');
    assert.equal(list.status, 200);
    assert.ok(!list.html.includes(url));
    assert.match(list.html, /Nenhuma URL de callback cadastrada/);
    assert.match(list.html, /<label for="gerencianetNotificationUrl">/);

    const detail = await neighbour.get(page);
    assert.ok(!detail.html.includes(url));
    assert.match(detail.html, /Nenhuma URL cadastrada para esta integração/);
    assert.equal((await neighbour.post(`${page}/teste`, {})).status, 404);
    assert.equal((await neighbour.post(`${page}/segredo`, {})).status, 409, 'no URL, no secret (as the API: no_callback_url)');

    const own = `${receiver.url}/vizinha`;
    const saved = await neighbour.post('/portal/integracoes/cadastro', { webhookUrl: own, notificationEmail: '' });
    assert.equal(saved.status, 303, saved.html);
    const after = await neighbour.get(saved.location!);
    assert.ok(after.html.includes(own));
    assert.ok(!after.html.includes(url));
    assert.equal((await shop.call('GET', `/v1/merchants/${shopId}/callback-urls`)).body.webhookUrl, null);
  });
});
