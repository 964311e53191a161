// The product end to end, as `npm start` runs it: the real dev server (SQLite), the worker and the
// REST API, with the schedule compressed by RETRY_DELAY_DIVISOR (D1, D2, D4, G1, C2, C3, C6).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Receiver } from './support/receiver';
import { Stack } from './support/stack';

const DIVISOR = 60; // one documented minute becomes one second
// Unique per run: against a long-lived server (TEMPORAL_ADDRESS) every run triggers new notifications.
const shop = `loja-${Date.now().toString(36)}`;
let dataDir: string;
let receiver: Receiver;
let stack: Stack | undefined;

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-e2e-'));
  receiver = await Receiver.start();
  stack = await Stack.start({ dataDir, retryDelayDivisor: DIVISOR });
  await stack.createAccount(shop); // the operator bootstrap, as docs/api.md says
});

after(async () => {
  await stack?.interrupt();
  await receiver?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('controlpay sale intent: trigger → two failures → success at the receiver, readable through the API', async () => {
  const urls = await stack!.request('PUT', `/v1/merchants/${shop}/callback-urls`, {
    controlpaySaleUrl: `${receiver.url}/venda?loja=1`,
    gerencianetNotificationUrl: `${receiver.url}/notificacao`,
  });
  assert.equal(urls.status, 200, JSON.stringify(urls.body));

  receiver.respond([500, 503], 201);
  const trigger = {
    outcome: 'authorized', cpfCnpj: '01001001000113', intencaoVendaReferencia: 'ref-1', pedidoId: '88', pedidoReferencia: 'p-88',
  };
  const started = await stack!.request('POST', `/v1/merchants/${shop}/sale-intents/9001/finalization`, trigger);
  assert.equal(started.status, 202, JSON.stringify(started.body));

  const requests = await receiver.waitFor('/venda', 3);
  assert.equal(requests[2].path,
    '/venda?loja=1&cpfCnpj=01001001000113&intencaoVendaId=9001&intencaoVendaReferencia=ref-1&pedidoId=88&pedidoReferencia=p-88');
  const delivery = await stack!.deliveryWhen(started.body.deliveryId, (d) => d.status !== 'delivering');
  assert.equal(delivery.status, 'delivered');
  assert.deepEqual(delivery.attempts.map((a: any) => a.statusCode), [500, 503, 201]);
  // Timers never fire early: attempts 2 and 3 are at least 2 and 6 compressed minutes after the first.
  assert.ok(delivery.attempts[1].offsetMs >= 2000 && delivery.attempts[2].offsetMs >= 6000);

  // A repeated trigger sends nothing twice.
  const again = await stack!.request('POST', `/v1/merchants/${shop}/sale-intents/9001/finalization`, trigger);
  assert.equal(again.status, 200);
  assert.equal(again.body.duplicate, true);
  // C2: the callback carries no outcome; the receiver reads it from the API.
  const sale = await stack!.request('GET', `/v1/merchants/${shop}/sale-intents/9001`);
  assert.equal(sale.body.outcome, 'authorized');
  assert.equal(receiver.requestsTo('/venda').length, 3);
});

test('the Temporal Web UI answers on TEMPORAL_UI_PORT (D5)', { skip: !!process.env.TEMPORAL_ADDRESS }, async () => {
  const res = await fetch(`http://127.0.0.1:${stack!.ports.ui}/`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<html/i);
});

test('a delivery waiting for its retry when the stack stops resumes after the next start (same data)', async () => {
  // Fails until the stack is stopped, succeeds after the restart: however many retries fall due before the stop
  // (a compressed minute is a second, and a loaded machine takes longer than that to stop), the stop comes mid-series.
  let restarted = false;
  receiver.respondPerNotification(() => (restarted ? 200 : 500));
  const started = await stack!.request('POST', `/v1/merchants/${shop}/charges/77/status-changes`, {
    previousStatus: 'waiting', currentStatus: 'paid',
  });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await receiver.waitFor('/notificacao', 1);
  const waiting = await stack!.deliveryWhen(started.body.deliveryId, (d) => d.attempts.length >= 1);
  assert.equal(waiting.status, 'delivering');

  const { ports, apiKey } = stack!;
  assert.equal(await stack!.interrupt(), 0, 'Ctrl-C stops cleanly');
  stack = undefined;
  const beforeStop = receiver.requestsTo('/notificacao').length;
  restarted = true;

  stack = await Stack.start({ dataDir, retryDelayDivisor: DIVISOR, ports });
  stack.apiKey = apiKey; // the account lives in the same data
  const posts = await receiver.waitFor('/notificacao', beforeStop + 1);
  assert.equal(posts[beforeStop].body, `notification=${started.body.token}`);
  const delivered = await stack.deliveryWhen(started.body.deliveryId, (d) => d.status === 'delivered');
  const codes = delivered.attempts.map((a: any) => a.statusCode);
  assert.deepEqual(codes, [...Array(beforeStop).fill(500), 200], 'every POST recorded: a clean stop loses none');
  assert.equal(receiver.requestsTo('/notificacao').length, beforeStop + 1, 'nothing after the success');

  // G1: the receiver's token query answers what changed.
  const answer = await stack.request('GET', `/v1/notifications/${started.body.token}`);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body.data[0].status, { current: 'paid', previous: 'waiting' });
  assert.equal(answer.body.data[0].identifiers.charge_id, '77');
});
