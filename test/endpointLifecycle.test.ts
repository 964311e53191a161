// The endpoint lifecycle a merchant lives through when their URL dies (seed 000), through the REST API, with a
// real receiver and a real SMTP server on loopback (G4–G6, G9, D3). The hour of retries runs on the
// time-skipping server; test and activation (updates that wait on a POST, which the time-skipping server
// loses track of) on the dev server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../api/accounts';
import { DEACTIVATION_SUBJECT } from '../activities/sendDeactivationEmail';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { endpointExhaustedSignal, merchantWorkflowId } from '../workflows/contracts/merchant';
import { testConfig } from './support/testConfig';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { apiCall } from './support/apiCall';
import { Receiver } from './support/receiver';
import { header, type SmtpCatcher } from './support/smtpCatcher';
import { startTimeSkippingApi, type TimeSkippingApi } from './support/timeSkippingApi';
import { TASK_QUEUE, type TimeSkippingStack } from './support/timeSkippingEnv';

const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, CALLBACK_TIMEOUT_MS: '2000' });
const merchant = 'loja-lifecycle';
const email = 'financeiro@loja.example';

let timeSkipping: TimeSkippingApi;
let stack: TimeSkippingStack;
let receiver: Receiver;
let smtp: SmtpCatcher;
let base: string;

let authorization = '';
const call = (method: string, path: string, body?: unknown) => apiCall(base, method, path, body, { authorization });

let charges = 0;
async function chargePaid(): Promise<string> {
  const { status, body } = await call('POST', `/v1/merchants/${merchant}/charges/${++charges}/status-changes`, {
    currentStatus: 'paid',
  });
  assert.equal(status, 202, JSON.stringify(body));
  return body.deliveryId;
}

const outcome = (deliveryId: string) => timeSkipping.outcome(deliveryId);

const endpoints = async () => (await call('GET', `/v1/merchants/${merchant}/endpoints`)).body;

before(async () => {
  receiver = await Receiver.start();
  timeSkipping = await startTimeSkippingApi(config);
  ({ stack, smtp, base } = timeSkipping);
  const [, apiKey] = await createAccount({ client: stack.env.client, config }, merchant);
  authorization = `Bearer ${apiKey.secret}`;
  const registered = await call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/notificacao`, notificationEmail: email,
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
});
after(async () => {
  await timeSkipping?.stop();
  await receiver?.stop();
});

describe('a callback URL that dies (time-skipping)', () => {
  test('G4: ten failures deactivate the URL and send exactly one "Falha na URL de callback" e-mail', async () => {
    // Two notifications exhaust against the same dead URL: one deactivation, one e-mail. Their last attempts are
    // milliseconds apart; had the first exhaustion deactivated the URL before the second's last retry, that one
    // would be held instead (G5, tested below). So each tenth attempt is answered only once both have arrived.
    receiver.respond([], async (request) => {
      const posts = () => receiver.postsPerToken(request.url.pathname);
      if (posts().get(new URLSearchParams(request.body).get('notification')!) === 10) {
        await receiver.until(() => [...posts().values()].filter((n) => n === 10).length === 2);
      }
      return 500;
    });
    const [a, b] = [await chargePaid(), await chargePaid()];
    // A third one starts 30 minutes later: its retries are due after the deactivation (G5).
    await stack.env.sleep('30 minutes');
    const late = await chargePaid();
    const [stateA, stateB] = [await outcome(a), await outcome(b)];
    assert.equal(stateA.status, 'failed');
    assert.equal(stateA.attempts.length, 10);
    assert.equal(stateB.attempts.length, 10);

    await smtp.until(1);
    const view = await endpoints();
    const endpoint = view.endpoints.gerencianetNotificationUrl;
    assert.equal(endpoint.status, 'inactive');
    assert.equal(endpoint.exhaustedDeliveries, 2);
    assert.equal(endpoint.deactivations, 1);
    assert.match(endpoint.lastDeactivationReason, /HTTP 500/);
    assert.deepEqual(endpoint.lastErrors.map((e: any) => e.error), ['HTTP 500', 'HTTP 500', 'HTTP 500']);
    const last = [stateA, stateB].find((s) => s.deliveryId === endpoint.lastErrors[0].deliveryId)!;
    assert.deepEqual(endpoint.lastErrors.map((e: any) => e.at), last.attempts.slice(-3).map((a) => a.at));
    assert.equal(endpoint.deactivationEmail, 'sent');
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(smtp.messages[0].to, [email]);
    assert.equal(header(smtp.messages[0].raw, 'subject'), DEACTIVATION_SUBJECT);

    // G5: the delivery that was waiting for a retry stops retrying; it is kept, not sent.
    const lateState = await outcome(late);
    assert.equal(lateState.status, 'held');
    assert.equal(lateState.attempts.length, 7, 'attempts at 0…22 min, before the deactivation at 30 min after it');
    assert.ok(lateState.attempts.every((t) => Date.parse(t.at) < Date.parse(endpoint.lastDeactivatedAt)));
  });

  test('G5: while the URL is inactive, notifications are accepted and kept, never POSTed', async () => {
    const before = receiver.requests.length;
    const held = await chargePaid();
    const state = await outcome(held);
    assert.equal(state.status, 'held');
    assert.deepEqual(state.attempts, []);
    assert.equal((await call('GET', `/v1/deliveries/${held}`)).body.status, 'held');
    assert.equal(receiver.requests.length, before, 'nothing reached the receiver');
  });
});

describe('test and reactivation (dev server)', () => {
  const merchant2 = `loja-reativada-${Date.now().toString(36)}`;
  let dev: DevStack;
  let shop2: Account;
  const endpoints2 = async () => (await shop2.call('GET', `/v1/merchants/${merchant2}/endpoints`)).body;

  before(async () => {
    dev = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-lifecycle-test', CALLBACK_TIMEOUT_MS: '2000' }));
    shop2 = await dev.as(merchant2);
    const url = `${receiver.url}/reativada`;
    const registered = await shop2.call('PUT', `/v1/merchants/${merchant2}/callback-urls`, { gerencianetNotificationUrl: url });
    assert.equal(registered.status, 200);
    // G4 with no e-mail address: the registration says the deactivation would go unannounced (issue 16).
    assert.equal(registered.body.notificationEmail, null);
    assert.equal(registered.body.warnings.length, 1, JSON.stringify(registered.body));
    assert.match(registered.body.warnings[0], /gerencianetNotificationUrl.*will not be e-mailed/);
    // Deactivated the way an exhausted delivery does it (G4 itself is tested above).
    await dev.client.workflow.getHandle(merchantWorkflowId(merchant2)).signal(endpointExhaustedSignal, {
      endpoint: 'gerencianetNotificationUrl', url, deliveryId: 'delivery.test', deactivate: true, lastErrors: ['HTTP 500'],
    });
    assert.equal((await endpoints2()).endpoints.gerencianetNotificationUrl.status, 'inactive');
  });
  after(async () => {
    await dev?.stop();
  });

  test('G4 without notificationEmail: G9 shows the deactivation and that it was not e-mailed; an address clears it', async () => {
    const view = await endpoints2();
    const endpoint = view.endpoints.gerencianetNotificationUrl;
    assert.equal(endpoint.status, 'inactive');
    assert.ok(endpoint.lastDeactivatedAt);
    assert.match(endpoint.lastDeactivationReason, /delivery\.test/);
    assert.deepEqual(endpoint.lastErrors, [{ at: null, deliveryId: 'delivery.test', error: 'HTTP 500' }]);
    assert.equal(endpoint.deactivationEmail, 'not_sent');
    assert.match(view.warnings[0], /will not be e-mailed/);
    assert.equal(view.notificationEmail, null);

    const sale = await shop2.call('PUT', `/v1/merchants/${merchant2}/callback-urls`, { controlpaySaleUrl: `${receiver.url}/venda` });
    assert.equal(sale.body.warnings.length, 1, 'controlpay URLs are never deactivated: no warning of their own');
    assert.equal((await endpoints2()).endpoints.controlpaySaleUrl.deactivationEmail, 'not_applicable');

    const withEmail = await shop2.call('PUT', `/v1/merchants/${merchant2}/callback-urls`, { notificationEmail: email });
    assert.equal(withEmail.body.notificationEmail, email);
    assert.equal(withEmail.body.warnings, undefined);
    const read = await shop2.call('GET', `/v1/merchants/${merchant2}/callback-urls`);
    assert.equal(read.body.notificationEmail, email, 'GET …/callback-urls answers what the PUT accepted');
    assert.equal(read.body.controlpaySaleUrl, `${receiver.url}/venda`);
    assert.equal((await endpoints2()).endpoints.gerencianetNotificationUrl.deactivationEmail, 'sent');
    await shop2.call('PUT', `/v1/merchants/${merchant2}/callback-urls`, { notificationEmail: null, controlpaySaleUrl: null });
    assert.equal((await shop2.call('GET', `/v1/merchants/${merchant2}/callback-urls`)).body.warnings.length, 1);
  });

  test('G6: a failing test refuses activation with the reason; the URL stays inactive', async () => {
    receiver.respond([], 503);
    const tested = await shop2.call('POST', `/v1/merchants/${merchant2}/endpoints/gerencianetNotificationUrl/test`);
    assert.equal(tested.status, 200, JSON.stringify(tested.body));
    assert.equal(tested.body.passed, false);
    assert.equal(tested.body.statusCode, 503);

    const refused = await shop2.call('POST', `/v1/merchants/${merchant2}/endpoints/gerencianetNotificationUrl/activation`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'activation_refused');
    assert.match(refused.body.message, /HTTP 503/);
    assert.equal(refused.body.test.statusCode, 503);
    assert.equal((await endpoints2()).endpoints.gerencianetNotificationUrl.status, 'inactive');
  });

  test('G6, D3: a passing test reactivates the URL; notifications go out again; G9 keeps the last deactivation', async () => {
    receiver.respond([], 200);
    const activated = await shop2.call('POST', `/v1/merchants/${merchant2}/endpoints/gerencianetNotificationUrl/activation`);
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    assert.equal(activated.body.status, 'active');
    assert.equal(activated.body.lastTest.passed, true);
    assert.ok(activated.body.lastDeactivatedAt, 'the last deactivation stays readable (G9)');

    const paid = { currentStatus: 'paid' };
    const { body } = await shop2.call('POST', `/v1/merchants/${merchant2}/charges/1/status-changes`, paid);
    const delivered: DeliveryState = await dev.client.workflow.getHandle(body.deliveryId).result();
    assert.equal(delivered.status, 'delivered');
  });

  test('unknown endpoints and merchants answer 404', async () => {
    assert.equal((await shop2.call('POST', `/v1/merchants/${merchant2}/endpoints/controlpaySaleUrl/test`)).status, 404);
    assert.equal((await shop2.call('POST', `/v1/merchants/nobody/endpoints/controlpaySaleUrl/test`)).status, 404);
    assert.equal((await shop2.call('POST', `/v1/merchants/${merchant2}/endpoints/nope/test`)).status, 400);
    assert.equal((await shop2.call('GET', `/v1/merchants/nobody/endpoints`)).status, 404);
    // Another account's merchant gets the plain words an unknown one gets: nothing about its URLs (issue 16).
    const other = await dev.as(`${merchant2}-outra`);
    for (const path of ['/endpoints', '/callback-urls']) {
      const answer = await shop2.call('GET', `/v1/merchants/${other.merchantId}${path}`);
      assert.deepEqual([answer.status, answer.body.message], [404, `Merchant ${other.merchantId} not found.`]);
    }
    const token = 'f'.repeat(40);
    const noToken = await shop2.call('GET', `/v1/notifications/${token}`);
    assert.deepEqual([noToken.status, noToken.body.message], [404, `No notification ${token}.`], 'no delivery id made up');
  });
});
