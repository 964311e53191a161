// Every callback is signed the Standard Webhooks way, checked with the reference verifier from npm
// (`standardwebhooks`), not only with Arauto's own code: webhook-id stable across retries, per-endpoint secrets,
// rotation with a grace period (issue 5; docs/callbacks.md, Signatures).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signatureHeaders } from '../lib/webhookSignature';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { testConfig } from './support/testConfig';

const merchant = 'loja-assinada';
let stack: DevStack;
let shop: Account;
let receiver: Receiver;

const secretOf = async (endpoint: string) =>
  (await shop.call('GET', `/v1/merchants/${merchant}/endpoints/${endpoint}/signing-secret`)).body;
/**
 * The manual's verification examples (docs/callbacks.md, Signatures), evaluated exactly as written, with the
 * reference verifier: what a receiver copies must verify real callbacks.
 */
const manual = readFileSync(path.join(__dirname, '../docs/callbacks.md'), 'utf8');
const examples = /<!-- verify-examples:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-examples:end -->/.exec(manual)?.[1];
if (!examples) throw new Error('docs/callbacks.md lost its verify-examples block');
const { verifyGerencianet, verifyControlpay, verifyPayments } = new Function('require',
  `${examples}\nreturn { verifyGerencianet, verifyControlpay, verifyPayments };`)(require);
const headersOf = (r: ReceivedRequest) => r.headers as Record<string, string>;
/** The manual's example for the callback's profile, by the receiver path it came to. */
function verify(secret: string, r: ReceivedRequest): unknown {
  if (r.url.pathname === '/notificacao') return verifyGerencianet(secret, r.body, headersOf(r));
  if (r.url.pathname === '/venda') return verifyControlpay(secret, r.body, headersOf(r), `${r.url.pathname}${r.url.search}`);
  return verifyPayments(secret, r.body, headersOf(r));
}

before(async () => {
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({ RETRY_DELAY_DIVISOR: '600', TEMPORAL_TASK_QUEUE: 'arauto-signature-test' }));
  shop = await stack.as(merchant);
  const registered = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/notificacao`, controlpaySaleUrl: `${receiver.url}/venda`,
    paymentWebhookUrl: `${receiver.url}/recibos`,
  });
  assert.equal(registered.status, 200);
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
});

test('a notification verifies with the endpoint secret; every retry carries the same webhook-id', async () => {
  const { secret, version } = await secretOf('gerencianetNotificationUrl');
  assert.equal(version, 1);
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.respond([500], 200);
  const trigger = await shop.call('POST', `/v1/merchants/${merchant}/charges/1/status-changes`, { currentStatus: 'paid' });
  assert.equal(trigger.status, 202);
  const [first, retry] = await receiver.waitFor('/notificacao', 2);
  for (const r of [first, retry]) assert.equal(verify(secret, r), trigger.body.token, "the manual's example answers the token");
  // The reference verifier parses a verified body as JSON unless told not to: G1's form body is not (docs/callbacks.md).
  assert.throws(() => new Webhook(secret).verify(first.body, headersOf(first)), SyntaxError);
  assert.equal(first.headers['webhook-id'], trigger.body.deliveryId);
  assert.equal(retry.headers['webhook-id'], first.headers['webhook-id'], 'receivers deduplicate by webhook-id');
});

test('a tampered body, a stale timestamp, another endpoint\'s secret: each fails verification', async () => {
  const { secret } = await secretOf('gerencianetNotificationUrl');
  const [signed] = receiver.requestsTo('/notificacao');
  assert.throws(() => verify(secret, { ...signed, body: `${signed.body}0` }), /signature/i);
  const stale = signatureHeaders([secret], 'msg-1', new Date(Date.now() - 10 * 60_000), signed.body);
  assert.throws(() => new Webhook(secret).verify(signed.body, stale), /timestamp/i);
  const sale = await secretOf('controlpaySaleUrl');
  assert.notEqual(sale.secret, secret);
  assert.throws(() => verify(sale.secret, signed), /signature/i);
});

test('controlpay callbacks (empty body, data in the query) and test notifications are signed too', async () => {
  const { secret } = await secretOf('controlpaySaleUrl');
  await shop.call('POST', `/v1/merchants/${merchant}/sale-intents/77/finalization`, {
    outcome: 'authorized', cpfCnpj: '01001001000113', intencaoVendaReferencia: 'ref-77',
  });
  const [sale] = await receiver.waitFor('/venda', 1);
  assert.equal(sale.body, '');
  assert.equal((verify(secret, sale) as Record<string, string>).intencaoVendaId, '77');
  const tested = await shop.call('POST', `/v1/merchants/${merchant}/endpoints/controlpaySaleUrl/test`);
  assert.equal(tested.body.passed, true);
  const [, testPost] = await receiver.waitFor('/venda', 2);
  assert.doesNotThrow(() => verify(secret, testPost));
});

test("payments receipts (a JSON body) verify with the manual's example, which answers the receipt", async () => {
  const { secret } = await secretOf('paymentWebhookUrl');
  const tested = await shop.call('POST', `/v1/merchants/${merchant}/endpoints/paymentWebhookUrl/test`);
  assert.equal(tested.body.passed, true, JSON.stringify(tested.body));
  const [receipt] = await receiver.waitFor('/recibos', 1);
  assert.deepEqual(Object.keys(verify(secret, receipt) as object), ['type', 'paymentId', 'receipt']);
  assert.throws(() => verify(secret, { ...receipt, body: receipt.body.replace('teste', 'Teste') }), /signature/i);
});

test('rotation: a new secret signs at once; the previous one keeps verifying during the grace period', async () => {
  const before = await secretOf('gerencianetNotificationUrl');
  const rotated = await shop.call('POST', `/v1/merchants/${merchant}/endpoints/gerencianetNotificationUrl/signing-secret/rotation`);
  assert.equal(rotated.status, 200);
  assert.equal(rotated.body.version, 2);
  assert.equal(rotated.body.previous.secret, before.secret);
  assert.ok(new Date(rotated.body.previous.validUntil) > new Date(Date.now() + 23 * 3_600_000), 'a day of grace');
  assert.deepEqual(await secretOf('gerencianetNotificationUrl'), rotated.body);

  const seen = receiver.requestsTo('/notificacao').length;
  await shop.call('POST', `/v1/merchants/${merchant}/charges/2/status-changes`, { currentStatus: 'paid' });
  const after = (await receiver.waitFor('/notificacao', seen + 1))[seen];
  assert.equal(String(after.headers['webhook-signature']).split(' ').length, 2);
  assert.doesNotThrow(() => verify(rotated.body.secret, after));
  assert.doesNotThrow(() => verify(before.secret, after), 'receivers not yet updated still verify');
  const unknown = await shop.call('POST', `/v1/merchants/${merchant}/endpoints/controlpayPrintUrl/signing-secret/rotation`);
  assert.equal(unknown.status, 409, 'nothing registered there');
});
