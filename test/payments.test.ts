// I1, I2 on the dev server, against the payment provider's emulator (which counts real payments) and a real receiver
// for the receipt webhook: one payment per clientRequestId of an account, whatever the number of identical
// requests or crashes of the API; every repeat answered with the receipt again; a different body under a used key
// refused.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CelcoinEmulator } from '../emulators/celcoin';
import { paymentWorkflowId, type PaymentOutcome } from '../workflows/contracts/idempotentPayment';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

const TASK_QUEUE = 'arauto-payment-test';
let emulator: CelcoinEmulator;
let stack: DevStack;
let receiver: Receiver;
let shop: Account;
const payment = {
  debtId: '312D6A5F-2B5A-4694-84DA-F640FC01CC74', amount: 1009.36, licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF',
};
const pay = (clientRequestId: string, body: object = payment) =>
  shop.call('POST', `/v1/merchants/${shop.merchantId}/payments`, { clientRequestId, ...body });
const outcomeOf = (clientRequestId: string): Promise<PaymentOutcome> =>
  stack.client.workflow.getHandle(paymentWorkflowId(shop.merchantId, clientRequestId)).result();
const receipts = () => receiver.requestsTo('/recibos').map((r) => ({ webhookId: r.headers['webhook-id'], ...JSON.parse(r.body) }));

before(async () => {
  emulator = await CelcoinEmulator.start(0, { processingMs: 50 });
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, PAYMENTS_BASE_URL: emulator.url }));
  shop = await stack.as('conta-pagamentos');
  const put = await shop.call('PUT', `/v1/merchants/${shop.merchantId}/callback-urls`, { paymentWebhookUrl: `${receiver.url}/recibos` });
  assert.equal(put.status, 200);
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await emulator?.stop();
});

test('I1, I2: 50 concurrent identical requests: 50 identical answers, one payment, one receipt; a repeat after completion sends the receipt again', async () => {
  const key = '29d648b8-594f-436c-ba53-a543fdaf9467';
  emulator.holdProcessing(); // all 50 arrive while the payment is processing
  const answers = await Promise.all(Array.from({ length: 50 }, () => pay(key)));
  assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
  assert.equal(new Set(answers.map((a) => JSON.stringify(a.body))).size, 1, 'byte for byte the same answer');
  const { paymentId } = answers[0].body;
  assert.match(paymentId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  assert.deepEqual(answers[0].body, {
    paymentId, errorCode: '000', message: 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.',
  });
  emulator.release();
  const outcome = await outcomeOf(key);
  assert.equal(emulator.payments.size, 1, 'one payment at the provider');
  assert.equal(outcome.receiptDeliveries.length, 1, 'requests made while processing share one receipt');

  const [first] = await receiver.waitFor('/recibos', 1);
  assert.equal(first.headers['content-type'], 'application/json');
  const webhook = JSON.parse(first.body);
  // Seed 003's webhook: exactly its fields, the account's own key, Arauto's paymentId.
  assert.deepEqual(Object.keys(webhook), ['type', 'paymentId', 'receipt']);
  assert.equal(webhook.type, 'receipt');
  assert.equal(webhook.paymentId, paymentId);
  assert.deepEqual(Object.keys(webhook.receipt).sort(), [
    'amount', 'authentication', 'clientRequestId', 'debtId', 'description', 'dueDate', 'licensePlate', 'payDate', 'renavam',
    'state', 'year',
  ]);
  assert.equal(webhook.receipt.clientRequestId, key);
  assert.equal(webhook.receipt.amount, 1009.36);
  assert.equal(webhook.receipt.licensePlate, 'DIS9865');
  assert.match(webhook.receipt.authentication, /^([0-9A-F]{2}\.){15}[0-9A-F]{2}$/);

  const later = await pay(key);
  assert.deepEqual(later.body, answers[0].body, 'a repeat after completion: the same answer');
  const [, again] = await receiver.waitFor('/recibos', 2);
  assert.deepEqual(JSON.parse(again.body), webhook, 'the same receipt, sent again');
  assert.notEqual(again.headers['webhook-id'], first.headers['webhook-id'], 'as a delivery of its own');
  assert.equal(emulator.payments.size, 1, 'and no second payment');

  // Receipts are deliveries like any other: in the log of the account's paymentWebhookUrl, by paymentId.
  const log = await shop.call('GET', `/v1/merchants/${shop.merchantId}/endpoints/paymentWebhookUrl/notifications?chargeId=${paymentId}`);
  assert.equal(log.status, 200);
  assert.equal(log.body.notifications.length, 2);
});

test('the same key with a different amount is refused, naming the conflict; nothing charged', async () => {
  const first = await pay('chave-conflito');
  assert.equal(first.status, 200);
  const other = await pay('chave-conflito', { ...payment, amount: 1.5 });
  assert.equal(other.status, 409);
  assert.equal(other.body.error, 'idempotency_conflict');
  assert.equal(other.body.fields[0].field, 'body.clientRequestId');
  const outcome = await outcomeOf('chave-conflito');
  assert.equal(outcome.receiptDeliveries.length, 1, 'the conflicting request is not answered by a receipt');
  assert.deepEqual([...emulator.payments.values()].map((p) => p.amount), [1009.36, 1009.36]);
  const afterwards = await pay('chave-conflito', { ...payment, amount: 1.5 });
  assert.equal(afterwards.status, 409, 'refused after completion too');
  assert.equal(emulator.payments.size, 2);
});

test('no paymentWebhookUrl registered: 409 naming it, nothing started', async () => {
  const other = await stack.as('conta-sem-webhook');
  const answer = await other.call('POST', `/v1/merchants/${other.merchantId}/payments`, { clientRequestId: 'k1', ...payment });
  assert.equal(answer.status, 409);
  assert.equal(answer.body.error, 'no_callback_url');
  assert.equal(answer.body.fields[0].field, 'paymentWebhookUrl');
  await assert.rejects(stack.client.workflow.getHandle(paymentWorkflowId(other.merchantId, 'k1')).describe());
});

test('the API killed after starting the payment and before answering: the retry gets the same paymentId; one payment', async () => {
  const key = 'chave-queda-da-api';
  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support/crashingApi.ts')], {
    env: { ...process.env, ...TEST_ENV, TEMPORAL_ADDRESS: stack.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(api, 'exit');
  let output = '';
  while (!output.includes('api listening')) output += String((await once(api.stdout!, 'data'))[0]);
  api.stdout!.resume();

  const crashed = fetch(`http://127.0.0.1:${port}/v1/merchants/${shop.merchantId}/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientRequestId: key, ...payment }),
  });
  await assert.rejects(crashed, 'the client got no answer');
  assert.deepEqual(await exited, [null, 'SIGKILL']);

  const retry = await pay(key); // the API, restarted
  assert.equal(retry.status, 200);
  const outcome = await outcomeOf(key);
  assert.equal(retry.body.paymentId, outcome.paymentId, 'the paymentId of the payment the crashed request started');
  assert.equal([...emulator.payments.keys()].filter((k) => k.endsWith(`.${key}`)).length, 1, 'one payment');
  await receiver.waitFor('/recibos', receiptsBefore(key) + 1);
  assert.ok(receipts().some((r) => r.paymentId === outcome.paymentId), 'its receipt arrived');
});

function receiptsBefore(key: string): number {
  return receipts().filter((r) => r.receipt.clientRequestId !== key).length;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
