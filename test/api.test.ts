// The REST API against a real dev server and worker: validation, 404s, 409s, nothing half-done (D4).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { startDelivery } from '../notifications/deliveries';
import { requireCallbackUrl } from '../notifications/callbackTargets';
import { legacySaleDeliveryId } from '../providers/controlpay';
import { TRIGGERS } from '../providers/registry';
import { NO_URLS } from '../workflows/contracts/merchant';
import { freePort } from '../lib/freePort';
import { testConfig } from './support/testConfig';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';

const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-api-test' });
let stack: DevStack;
let receiver: Receiver;

let shop: Account;
const call = (method: string, path: string, body?: unknown) => shop.call(method, path, body);

// Unique per run: against a long-lived server (TEMPORAL_ADDRESS) every run triggers new notifications.
const run = Date.now().toString(36);
const fieldsOf = (body: any) => (body.fields ?? []).map((f: any) => f.field).sort();

before(async () => {
  stack = await startDevStack(config);
  receiver = await Receiver.start();
  shop = await stack.as(`shop-${run}`);
  const registered = await call('PUT', `/v1/merchants/shop-${run}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/n`,
    controlpayPrintUrl: `${receiver.url}/print`,
  });
  assert.equal(registered.status, 200);
});

after(async () => {
  await receiver?.stop();
  await stack?.stop();
});

describe('bad input: 400 naming each bad field, and nothing created', () => {
  test('a trigger with several bad fields names them all', async () => {
    const res = await call('POST', `/v1/merchants/shop-${run}/sale-intents/1/finalization`, {
      outcome: 'approved', cpfCnpj: '123', intencaoVendaReferencia: 5, extra: true,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
    assert.deepEqual(fieldsOf(res.body), ['body', 'body.cpfCnpj', 'body.intencaoVendaReferencia', 'body.outcome']);
  });

  test('bad path ids and a bad print status are named', async () => {
    const res = await call('POST', '/v1/merchants/sh.op/print-intents/a%20b/status-changes', {
      status: 7, intencaoImpressaoReferencia: 'x',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res.body), ['body.status', 'params.intencaoImpressaoId', 'params.merchantId']);
  });

  test('invalid JSON is a 400 on the body', async () => {
    const res = await call('POST', `/v1/merchants/shop-${run}/charges/1/status-changes`, '{"currentStatus":');
    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res.body), ['body']);
  });

  test('a refused registration registers nothing', async () => {
    const newShop = await stack.as(`new-shop-${run}`);
    const res = await newShop.call('PUT', `/v1/merchants/new-shop-${run}/callback-urls`, {
      controlpaySaleUrl: 'ftp://files.example/cb', gerencianetNotificationUrl: 'https://user:pw@example.com/cb',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res.body), ['body.controlpaySaleUrl', 'body.gerencianetNotificationUrl']);
    const urls = await newShop.call('GET', `/v1/merchants/new-shop-${run}/callback-urls`);
    assert.deepEqual(urls.body, { ...NO_URLS, notificationEmail: null, eventTypes: {} });
  });

  test('a refused trigger starts no delivery', async () => {
    const res = await call('POST', `/v1/merchants/shop-${run}/print-intents/55/status-changes`, { status: 5 });
    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res.body), ['body.intencaoImpressaoReferencia']);
    assert.equal((await call('GET', `/v1/merchants/shop-${run}/print-intents/55`)).status, 404);
  });
});

describe('unknown ids answer 404; missing registrations 409', () => {
  for (const path of [
    '/v1/merchants/nobody/callback-urls',
    '/v1/deliveries/delivery.controlpay-sale.shop.404',
    `/v1/notifications/${'0'.repeat(40)}`,
    `/v1/merchants/shop-${run}/sale-intents/404`,
    `/v1/merchants/shop-${run}/print-intents/404`,
    '/v1/no-such-route',
  ]) {
    test(`GET ${path}`, async () => {
      const res = await call('GET', path);
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'not_found');
    });
  }

  test('a trigger for a merchant without that URL is 409 naming the registration', async () => {
    const res = await call('POST', `/v1/merchants/shop-${run}/sale-intents/3/finalization`, {
      outcome: 'denied', cpfCnpj: '01001001000113', intencaoVendaReferencia: 'r',
    });
    assert.equal(res.status, 409);
    assert.deepEqual(fieldsOf(res.body), ['controlpaySaleUrl']);
    assert.equal((await call('GET', `/v1/merchants/shop-${run}/sale-intents/3`)).status, 404);
  });

  test('a trigger for an unknown merchant is 404', async () => {
    const res = await call('POST', '/v1/merchants/nobody/charges/1/status-changes', { currentStatus: 'paid' });
    assert.equal(res.status, 404);
  });
});

describe('reads', () => {
  test("a print intent's state is its latest status change (C7)", async () => {
    for (const status of [5, 15]) {
      const res = await call('POST', `/v1/merchants/shop-${run}/print-intents/31/status-changes`, {
        status, intencaoImpressaoReferencia: 'imp-31',
      });
      assert.equal(res.status, 202);
    }
    const state = await call('GET', `/v1/merchants/shop-${run}/print-intents/31`);
    assert.equal(state.status, 200);
    assert.equal(state.body.status, 15);
    assert.equal(state.body.statusName, 'Impresso');
  });

  test('the same charge change twice has one token and one delivery', async () => {
    const change = { previousStatus: 'waiting', currentStatus: 'paid' };
    const first = await call('POST', `/v1/merchants/shop-${run}/charges/900/status-changes`, change);
    const second = await call('POST', `/v1/merchants/shop-${run}/charges/900/status-changes`, change);
    assert.equal(first.status, 202);
    assert.equal(second.status, 200);
    assert.equal(second.body.token, first.body.token);
    assert.equal(second.body.duplicate, true);
    assert.match(first.body.token, /^[0-9a-f]{40}$/);
  });
});

describe('C1, C2: every distinct outcome of a sale intent is called back; its state is the latest', () => {
  let seller: Account;
  const sale = { cpfCnpj: '01001001000113', intencaoVendaReferencia: 'venda-1' };
  const finalize = (id: string, outcome: string) =>
    seller.call('POST', `/v1/merchants/seller-${run}/sale-intents/${id}/finalization`, { ...sale, outcome });
  const stateOf = (id: string) => seller.call('GET', `/v1/merchants/seller-${run}/sale-intents/${id}`);

  before(async () => {
    seller = await stack.as(`seller-${run}`);
    const registered = await seller.call('PUT', `/v1/merchants/seller-${run}/callback-urls`, {
      controlpaySaleUrl: `${receiver.url}/venda-${run}`,
    });
    assert.equal(registered.status, 200);
  });

  test('authorized then cancelled: two callbacks reach the receiver and the state says cancelled', async () => {
    const authorized = await finalize('21', 'authorized');
    const cancelled = await finalize('21', 'cancelled');
    assert.equal(authorized.status, 202, JSON.stringify(authorized.body));
    assert.equal(cancelled.status, 202, JSON.stringify(cancelled.body));
    assert.notEqual(cancelled.body.deliveryId, authorized.body.deliveryId);
    const posts = await receiver.waitFor(`/venda-${run}`, 2);
    // C2: both callbacks only identify the intent; each is its own notification.
    assert.deepEqual(posts.map((p) => p.url.searchParams.get('intencaoVendaId')), ['21', '21']);
    assert.deepEqual(new Set(posts.map((p) => p.headers['webhook-id'])),
      new Set([authorized.body.deliveryId, cancelled.body.deliveryId]));
    const state = await stateOf('21');
    assert.equal(state.status, 200);
    assert.equal(state.body.outcome, 'cancelled');
    assert.equal(state.body.deliveryId, cancelled.body.deliveryId);
  });

  test('the same outcome again is the same delivery, sent once', async () => {
    const first = await finalize('22', 'authorized');
    const cancelled = await finalize('22', 'cancelled');
    const again = await finalize('22', 'cancelled');
    assert.equal(first.status, 202);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { deliveryId: cancelled.body.deliveryId, duplicate: true });
    assert.equal((await finalize('22', 'authorized')).body.deliveryId, first.body.deliveryId);
    assert.equal((await stateOf('22')).body.outcome, 'cancelled');
  });

  test('an outcome incompatible with the reached one is 409 and changes nothing; a late authorization is called back', async () => {
    assert.equal((await finalize('23', 'cancelled')).status, 202);
    const refused = await finalize('23', 'denied');
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'conflicting_notification');
    assert.match(refused.body.message, /sale intent 23 is already cancelled: it cannot also be denied/);
    // Reported after its cancellation: still a notification, and the sale stays cancelled (the lifecycle orders them).
    assert.equal((await finalize('23', 'authorized')).status, 202);
    assert.equal((await finalize('24', 'authorized')).status, 202);
    assert.equal((await finalize('24', 'denied')).status, 409);
    assert.equal((await stateOf('23')).body.outcome, 'cancelled');
    assert.equal((await stateOf('24')).body.outcome, 'authorized');
  });

  test('a delivery raised before outcomes had their own ids stays the intent\'s, read and repeated as before', async () => {
    const deps = { client: stack.client, config };
    const merchantId = `seller-${run}`;
    // As the trigger raised it then: one id per intent, no outcome in it.
    const legacyId = legacySaleDeliveryId(merchantId, '25');
    await startDelivery(deps, legacyId, merchantId, await requireCallbackUrl(deps, merchantId, 'controlpaySaleUrl'), {
      type: 'sale-intent-finalized', intencaoVendaId: '25', ...sale, pedidoId: null, pedidoReferencia: null,
      outcome: 'authorized', occurredAt: new Date().toISOString(),
    });
    assert.equal((await stateOf('25')).body.deliveryId, legacyId);
    assert.deepEqual((await finalize('25', 'authorized')).body, { deliveryId: legacyId, duplicate: true });
    assert.equal((await finalize('25', 'denied')).status, 409);
    const cancelled = await finalize('25', 'cancelled');
    assert.equal(cancelled.status, 202);
    const state = await stateOf('25');
    assert.equal(state.body.outcome, 'cancelled');
    assert.equal(state.body.deliveryId, cancelled.body.deliveryId);
  });

  test("an unknown sale intent's 404 says so, without inventing an id", async () => {
    const res = await stateOf('9999');
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'sale intent 9999 not found');
  });
});

describe('operations', () => {
  test('/healthz is 200 when Temporal answers', async () => {
    assert.deepEqual(await call('GET', '/healthz'), { status: 200, body: { status: 'ok' } });
  });

  test('/healthz is 503 when Temporal does not', async () => {
    const unreachable = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const app = createApp({ client: new Client({ connection: unreachable }), config }).listen(0, '127.0.0.1');
    await new Promise((r) => app.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/healthz`);
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as any).error, 'temporal_unavailable');
      assert.ok(res.headers.get('retry-after'));
    } finally {
      app.close();
    }
  });

  test('/openapi.json documents every route; /docs renders it', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    assert.equal(doc.openapi, '3.0.3');
    // Beside the fixed routes, each provider's own trigger (providers/registry.ts).
    const triggers = TRIGGERS.map(({ kind }) => `/v1/merchants/{merchantId}${kind.trigger!.path}`);
    assert.deepEqual(Object.keys(doc.paths).sort(), [...triggers, 
      '/healthz',
      '/oauth/token',
      '/v1/deliveries/{deliveryId}',
      '/v1/merchants/{merchantId}/callback-urls',
      '/v1/merchants/{merchantId}/charges/{chargeId}/status-changes',
      '/v1/merchants/{merchantId}/credentials',
      '/v1/merchants/{merchantId}/credentials/{credentialId}',
      '/v1/merchants/{merchantId}/debt-queries',
      '/v1/merchants/{merchantId}/endpoints',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/activation',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/notifications',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/resends',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/signing-secret',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/signing-secret/rotation',
      '/v1/merchants/{merchantId}/endpoints/{endpoint}/test',
      '/v1/merchants/{merchantId}/payments',
      '/v1/merchants/{merchantId}/portal-sessions',
      '/v1/merchants/{merchantId}/print-intents/{intencaoImpressaoId}',
      '/v1/merchants/{merchantId}/print-intents/{intencaoImpressaoId}/status-changes',
      '/v1/merchants/{merchantId}/resends/{resendId}',
      '/v1/merchants/{merchantId}/return-files',
      '/v1/merchants/{merchantId}/return-files/{returnId}',
      '/v1/merchants/{merchantId}/sale-intents/{intencaoVendaId}',
      '/v1/merchants/{merchantId}/sale-intents/{intencaoVendaId}/finalization',
      '/v1/notifications/{token}',
    ].sort());
    const body = doc.paths['/v1/merchants/{merchantId}/sale-intents/{intencaoVendaId}/finalization'].post;
    assert.ok(body.requestBody.content['application/json'].schema.properties.cpfCnpj);
    const docs = await fetch(`${stack.base}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger-ui/i);
  });
});
