// The generic JSON webhook provider (providers/webhook.ts, docs/webhooks.md) through the REST API, with a real
// receiver verifying Standard Webhooks signatures with the reference verifier (`standardwebhooks`) and a real SMTP
// server: the event's JSON, idempotency by id, the event-type filter, validation, the schedule (on the time-skipping
// server) and G4's deactivation and e-mail; the log and resend (G7, G8) on the dev server, whose visibility they read.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createAccount } from '../api/accounts';
import { DEACTIVATION_SUBJECT } from '../activities/sendDeactivationEmail';
import { apiCall } from './support/apiCall';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { header } from './support/smtpCatcher';
import { testConfig } from './support/testConfig';
import { startTimeSkippingApi, type TimeSkippingApi } from './support/timeSkippingApi';
import { TASK_QUEUE } from './support/timeSkippingEnv';

const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, CALLBACK_TIMEOUT_MS: '2000' });
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** The documented attempts (docs/webhooks.md): at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
const SLOTS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]
  .reduce((offsets, gap) => [...offsets, offsets.at(-1)! + gap], [0]);

let timeSkipping: TimeSkippingApi;
let receiver: Receiver;
let accounts = 0;

/** A fresh account (its own merchant id and key), with `webhookUrl` registered at its own receiver path. */
async function shop(registration: Record<string, unknown> = {}) {
  const merchantId = `loja-webhook-${++accounts}`;
  const [, apiKey] = await createAccount({ client: timeSkipping.stack.env.client, config }, merchantId);
  const call = (method: string, path: string, body?: unknown) =>
    apiCall(timeSkipping.base, method, `/v1/merchants/${merchantId}${path}`, body, { authorization: `Bearer ${apiKey.secret}` });
  const path = `/hooks/${merchantId}`;
  const registered = await call('PUT', '/callback-urls', { webhookUrl: `${receiver.url}${path}`, ...registration });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  return { merchantId, call, path };
}

const outcome = (deliveryId: string) => timeSkipping.outcome(deliveryId);

const verified = (secret: string, r: ReceivedRequest) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>);

before(async () => {
  receiver = await Receiver.start();
  timeSkipping = await startTimeSkippingApi(config);
});
after(async () => {
  await timeSkipping?.stop();
  await receiver?.stop();
});

describe('generic JSON webhook', () => {
  test('an event is POSTed as signed JSON { id, type, createdAt, data }; its id again is the same delivery', async () => {
    const { call, path } = await shop();
    const data = { invoiceId: 'inv_42', amount: 1990 };
    const triggered = await call('POST', '/events', { type: 'invoice.paid', data, id: 'evt_1' });
    assert.equal(triggered.status, 202, JSON.stringify(triggered.body));
    assert.equal(triggered.body.subscribed, true);
    assert.equal((await outcome(triggered.body.deliveryId)).status, 'delivered');

    const [request] = await receiver.waitFor(path, 1);
    assert.equal(request.headers['content-type'], 'application/json');
    const { secret } = (await call('GET', '/endpoints/webhookUrl/signing-secret')).body;
    const body = verified(secret, request) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['id', 'type', 'createdAt', 'data']);
    assert.deepEqual({ id: body.id, type: body.type, data: body.data }, { id: 'evt_1', type: 'invoice.paid', data });
    assert.ok(!Number.isNaN(Date.parse(String(body.createdAt))));

    const again = await call('POST', '/events', { type: 'invoice.paid', data, id: 'evt_1' });
    assert.deepEqual([again.status, again.body.deliveryId, again.body.duplicate], [200, triggered.body.deliveryId, true]);
    const changed = await call('POST', '/events', { type: 'invoice.paid', data: { invoiceId: 'other' }, id: 'evt_1' });
    assert.equal(changed.status, 409);
    // Without an id, each trigger is a new event.
    const [a, b] = [await call('POST', '/events', { type: 'ping', data: {} }), await call('POST', '/events', { type: 'ping', data: {} })];
    assert.deepEqual([a.status, b.status], [202, 202]);
    assert.notEqual(a.body.deliveryId, b.body.deliveryId);
    const evt1 = receiver.requestsTo(path).filter((r) => JSON.parse(r.body).id === 'evt_1');
    assert.equal(evt1.length, 1, 'nothing is sent twice for one id');
  });

  test('only the event types the endpoint subscribes to are sent; others answer so', async () => {
    const { call, path } = await shop({ eventTypes: { webhookUrl: ['order.shipped'] } });
    const view = (await call('GET', '/endpoints')).body.endpoints.webhookUrl;
    assert.deepEqual(view.eventTypes, ['order.shipped']);
    assert.deepEqual((await call('GET', '/callback-urls')).body.eventTypes, { webhookUrl: ['order.shipped'] },
      'the registration reads back what the PUT took');
    const other = await call('POST', '/events', { type: 'order.created', data: { orderId: '7' } });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    assert.deepEqual([other.body.subscribed, other.body.deliveryId], [false, null]);
    assert.match(other.body.message, /not subscribed to order\.created/);
    const wanted = await call('POST', '/events', { type: 'order.shipped', data: { orderId: '7' } });
    assert.equal(wanted.status, 202);
    // null: every type again. Before awaiting any outcome: under load, an await let the time-skipping server jump
    // years ahead, past the end it gives every workflow's run, and this merchant's entity was found closed (restarted
    // empty by the next PUT) on a loaded run.
    const everything = await call('PUT', '/callback-urls', { eventTypes: { webhookUrl: null } });
    assert.deepEqual([everything.status, everything.body.eventTypes], [200, {}]);
    const anyType = await call('POST', '/events', { type: 'order.created', data: {} });
    assert.equal(anyType.status, 202, JSON.stringify(anyType.body));
    assert.equal((await outcome(wanted.body.deliveryId)).status, 'delivered');
    assert.equal((await outcome(anyType.body.deliveryId)).status, 'delivered');
    assert.deepEqual(receiver.requestsTo(path).map((r) => JSON.parse(r.body).type).sort(), ['order.created', 'order.shipped'],
      'order.created only once every type was wanted again');
  });

  test('bad input is a 400 naming the field, and nothing is sent', async () => {
    const { call, path } = await shop();
    const fieldsOf = async (body: unknown) => {
      const res = await call('POST', '/events', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      return res.body.fields.map((f: { field: string }) => f.field);
    };
    assert.deepEqual(await fieldsOf({ type: 'has space', data: {} }), ['body.type']);
    assert.deepEqual(await fieldsOf({ type: 'a.b', data: [1] }), ['body.data']);
    assert.deepEqual(await fieldsOf({ type: 'a.b', data: { blob: 'x'.repeat(33 * 1024) } }), ['body.data']);
    assert.deepEqual(await fieldsOf({ type: 'a.b', data: {}, id: 'not/ok' }), ['body.id']);
    assert.deepEqual(await fieldsOf({ type: 'a.b', data: {}, extra: 1 }), ['body']);
    const badTypes = await call('PUT', '/callback-urls', { eventTypes: { webhookUrl: ['ok', 'not ok'] } });
    assert.equal(badTypes.status, 400);
    assert.deepEqual(badTypes.body.fields.map((f: { field: string }) => f.field), ['body.eventTypes.webhookUrl.1']);
    const notSubscribable = await call('PUT', '/callback-urls', { eventTypes: { gerencianetNotificationUrl: ['a'] } });
    assert.equal(notSubscribable.status, 400);
    assert.equal(receiver.requestsTo(path).length, 0);
  });

  test('the schedule: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; any 2xx received', async () => {
    const { call, path } = await shop();
    receiver.respondPerNotification((nth) => (nth < 8 ? 503 : 204));
    const triggered = await call('POST', '/events', { type: 'invoice.paid', data: {} });
    const state = await outcome(triggered.body.deliveryId);
    assert.equal(state.status, 'delivered');
    assert.deepEqual(state.attempts.map((a) => a.statusCode), [503, 503, 503, 503, 503, 503, 503, 204]);
    // A durable timer never fires early, and each attempt comes before the next slot: it is in its own slot.
    state.attempts.forEach((a, i) => assert.ok(
      a.offsetMs >= SLOTS[i] && (i === SLOTS.length - 1 || a.offsetMs < SLOTS[i + 1]),
      `attempt ${i + 1} at ${a.offsetMs} ms, expected from ${SLOTS[i]} ms`,
    ));
    assert.equal(receiver.requestsTo(path).length, 8);
    receiver.respond([]);
  });

  test('G4: every attempt failing deactivates the URL and e-mails the merchant once', async () => {
    const email = 'dev@loja-webhook.example';
    const { call } = await shop({ notificationEmail: email });
    receiver.respondPerNotification(() => 500);
    const triggered = await call('POST', '/events', { type: 'invoice.paid', data: {} });
    const state = await outcome(triggered.body.deliveryId);
    assert.equal(state.status, 'failed');
    assert.equal(state.attempts.length, 8);
    const [message] = await timeSkipping.smtp.until(1);
    assert.deepEqual(message.to, [email]);
    assert.equal(header(message.raw, 'subject'), DEACTIVATION_SUBJECT);
    const view = (await call('GET', '/endpoints')).body.endpoints.webhookUrl;
    assert.deepEqual([view.status, view.deactivations, view.deactivationEmail], ['inactive', 1, 'sent']);
    receiver.respond([]);
  });
});

describe('generic JSON webhook: log and resend (G7, G8), dev server', () => {
  const merchant = 'loja-webhook-log';
  let dev: DevStack;
  let devShop: Account;
  let devReceiver: Receiver;
  const endpointPath = `/v1/merchants/${merchant}/endpoints/webhookUrl`;
  const log = async (filter: Record<string, string>) =>
    (await devShop.call('GET', `${endpointPath}/notifications?${new URLSearchParams(filter)}`)).body.notifications as any[];

  before(async () => {
    devReceiver = await Receiver.start();
    // The 27.6 hours of attempts in under three seconds.
    dev = await startDevStack(testConfig({
      RETRY_DELAY_DIVISOR: '36000', CALLBACK_TIMEOUT_MS: '2000', TEMPORAL_TASK_QUEUE: 'arauto-webhook-test',
    }));
    devShop = await dev.as(merchant);
    const registered = await devShop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
      webhookUrl: `${devReceiver.url}/hooks`,
    });
    assert.equal(registered.status, 200);
  });
  after(async () => {
    await dev?.stop();
    await devReceiver?.stop();
  });

  test('a failed event is in the log by its id; after activation, a resend delivers it', async () => {
    devReceiver.respond([], 500);
    const raised = await devShop.call('POST', `/v1/merchants/${merchant}/events`, { type: 'invoice.paid', data: {}, id: 'evt_log' });
    assert.equal(raised.status, 202);
    const [failed] = await eventually(() => log({ chargeId: 'evt_log' }), (rows) => rows[0]?.status === 'failed');
    assert.deepEqual([failed.sent, failed.attempts, failed.change.current], [false, 8, 'invoice.paid']);

    devReceiver.respond([], 200);
    assert.equal((await devShop.call('POST', `${endpointPath}/activation`)).status, 200);
    const preview = await devShop.call('POST', `${endpointPath}/resends`, { chargeId: 'evt_log' });
    assert.deepEqual(preview.body.confirmWith, { confirmCount: 1 });
    const confirmed = await devShop.call('POST', `${endpointPath}/resends`, { chargeId: 'evt_log', confirmCount: 1 });
    assert.equal(confirmed.status, 202, JSON.stringify(confirmed.body));
    const [sent] = await eventually(() => log({ chargeId: 'evt_log', sent: 'yes' }), (rows) => rows.length === 1);
    assert.equal(sent.attempts, 9);
    // Every attempt and the resend carried the same id, in the body and in webhook-id.
    const posts = devReceiver.requestsTo('/hooks').filter((r) => JSON.parse(r.body).id === 'evt_log');
    assert.equal(posts.length, 9);
    assert.equal(new Set(posts.map((r) => r.headers['webhook-id'])).size, 1);
  });
});
