// Issue 19's metrics, scraped as Prometheus scrapes them from the stack `npm start` runs: the worker's and the API's
// GET /metrics before and after a scenario (G3: a delivery that fails twice then succeeds; G4: a URL deactivated
// after its tenth failure, then a notification held; I1: a payment repeated with its key), with the exact deltas.
// No label may carry the merchant id or the receiver's URL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../lib/freePort';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { Stack } from './support/stack';

const MERCHANT = 'loja-metricas-7f3a';
const DIVISOR = 600; // gerencianet's hour of retries in six seconds

let dataDir: string;
let stack: Stack;
let receiver: Receiver;
let ports: { worker: number; api: number };

/** Samples by series, `name{label="value",…}` with labels sorted, as Prometheus' text format writes them. */
type Samples = Map<string, number>;

function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    samples.set(seriesKey(m[1], Object.fromEntries(labelsOf(m[2] ?? ''))), Number(m[3]));
  }
  return samples;
}

function labelsOf(text: string): [string, string][] {
  return [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]);
}

function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const sorted = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`);
  return `${name}{${sorted.join(',')}}`;
}

async function scrape(port: number): Promise<{ text: string; samples: Samples }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await response.text();
  return { text, samples: parse(text) };
}

const delta = (before: Samples, after: Samples, name: string, labels?: Record<string, string>) =>
  (after.get(seriesKey(name, labels)) ?? 0) - (before.get(seriesKey(name, labels)) ?? 0);

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-metrics-'));
  receiver = await Receiver.start();
  // G3's notification fails twice, G4's always; receipts (and anything else) are taken at once.
  receiver.respondPerNotification((nth, request) =>
    request.url.pathname === '/g4' ? 500 : request.url.pathname === '/g3' && nth <= 2 ? 500 : 200);
  ports = { worker: await freePort(), api: await freePort() };
  stack = await Stack.start({
    dataDir, retryDelayDivisor: DIVISOR,
    env: { WORKER_METRICS_PORT: String(ports.worker), API_METRICS_PORT: String(ports.api) },
  });
  await stack.createAccount(MERCHANT);
  const put = await stack.request('PUT', `/v1/merchants/${MERCHANT}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/g3`, paymentWebhookUrl: `${receiver.url}/recibos`,
  });
  assert.equal(put.status, 200);
});

after(async () => {
  await stack?.interrupt();
  await receiver?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const trigger = async (chargeId: string) => {
  const { status, body } = await stack.request('POST', `/v1/merchants/${MERCHANT}/charges/${chargeId}/status-changes`, { currentStatus: 'paid' });
  assert.equal(status, 202);
  return body.deliveryId as string;
};

const payment = {
  clientRequestId: '5b0e7c0a-2f7e-4d0b-9d1c-3a1f0e2c9b11',
  debtId: '312D6A5F-2B5A-4694-84DA-F640FC01CC74', amount: 1009.36, licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF',
};

test('G3, G4, I1: the worker\'s and the API\'s /metrics count the scenario exactly, with no merchant id nor URL in a label', async (t) => {
  const worker0 = await scrape(ports.worker);
  const api0 = await scrape(ports.api);

  // G3: fails twice, then 200 on the third attempt.
  const g3 = await trigger('9001');
  await stack.deliveryWhen(g3, (d) => d.status === 'delivered');
  // G4: every attempt of a new URL fails; after the tenth it is deactivated; the next notification is held.
  assert.equal((await stack.request('PUT', `/v1/merchants/${MERCHANT}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/g4` })).status, 200);
  await trigger('9002');
  await eventually(() => stack.request('GET', `/v1/merchants/${MERCHANT}/endpoints`),
    ({ body }) => body.endpoints?.gerencianetNotificationUrl?.status === 'inactive');
  await trigger('9003');
  // I1: a payment, then the same request again: one payment, its receipt sent twice (I2).
  for (let n = 1; n <= 2; n++) {
    const { status } = await stack.request('POST', `/v1/merchants/${MERCHANT}/payments`, payment);
    assert.equal(status, 200);
    await receiver.waitFor('/recibos', n);
  }

  // Each attempt is counted once its POST returned: read until the last ones are, then every delta exactly.
  const attempts = (s: Samples) => [...s].filter(([k]) => k.startsWith('arauto_callback_attempts_total{')).reduce((n, [, v]) => n + v, 0);
  const worker1 = await eventually(() => scrape(ports.worker), ({ samples }) => attempts(samples) - attempts(worker0.samples) >= 15);
  const w = (name: string, labels?: Record<string, string>) => delta(worker0.samples, worker1.samples, name, labels);
  const gerencianet = { provider: 'gerencianet' };
  const celcoin = { provider: 'celcoin' };
  assert.equal(w('arauto_callback_attempts_total', { ...gerencianet, outcome: 'http_5xx' }), 2 + 10);
  assert.equal(w('arauto_callback_attempts_total', { ...gerencianet, outcome: 'success' }), 1);
  assert.equal(w('arauto_callback_attempts_total', { ...celcoin, outcome: 'success' }), 2);
  assert.equal(attempts(worker1.samples) - attempts(worker0.samples), 15, 'no other attempt');
  assert.equal(w('arauto_callback_attempt_duration_seconds_count', gerencianet), 13);
  assert.equal(w('arauto_deliveries_finished_total', { ...gerencianet, result: 'after_retries' }), 1);
  assert.equal(w('arauto_deliveries_finished_total', { ...gerencianet, result: 'first_attempt' }), 0);
  assert.equal(w('arauto_deliveries_finished_total', { ...gerencianet, result: 'exhausted' }), 1);
  assert.equal(w('arauto_deliveries_finished_total', { ...celcoin, result: 'first_attempt' }), 2);
  assert.equal(w('arauto_endpoint_deactivations_total', gerencianet), 1);
  assert.equal(w('arauto_retry_lateness_seconds_count', gerencianet), 2 + 9, 'every retry, never a first attempt');
  // The Temporal SDK's own, from Core's exporter, on the same port.
  t.diagnostic(`SDK metrics: ${[...new Set(worker1.text.match(/^# TYPE temporal_\S+ \S+/gm))].map((l) => l.slice(7)).join('; ')}`);
  for (const name of SDK_METRICS) assert.match(worker1.text, new RegExp(`^${name}[{ ]`, 'm'), `${name} on the worker's /metrics`);

  // The API's counters, and its gauges read from Temporal's visibility (eventually consistent: read until settled).
  const api1 = await eventually(() => scrape(ports.api), ({ samples }) =>
    samples.get(seriesKey('arauto_notifications_held', gerencianet)) === 1
    && samples.get(seriesKey('arauto_deliveries_waiting_retry', gerencianet)) === 0);
  const a = (name: string, labels?: Record<string, string>) => delta(api0.samples, api1.samples, name, labels);
  assert.equal(a('arauto_payments_total', { outcome: 'accepted' }), 1);
  assert.equal(a('arauto_payments_total', { outcome: 'repeated_key' }), 1);
  assert.equal(a('arauto_payments_total', { outcome: 'conflict' }), 0);
  assert.equal(a('arauto_deliveries_held_total', gerencianet), 1, 'raised while the URL was inactive (G5)');
  const trigger202 = { route: '/v1/merchants/:merchantId/charges/:chargeId/status-changes', method: 'POST', status: '202' };
  assert.equal(a('arauto_http_requests_total', trigger202), 3);
  assert.equal(a('arauto_http_requests_total', { route: '/v1/merchants/:merchantId/payments', method: 'POST', status: '200' }), 2);
  assert.equal(a('arauto_http_request_duration_seconds_count', { route: trigger202.route, method: 'POST' }), 3);
  assert.equal(api1.samples.get(seriesKey('arauto_endpoints_inactive', gerencianet)), 1);

  // Labels: closed sets only.
  const unknown = await fetch(`${stack.api}/v1/no/such/${MERCHANT}`);
  assert.equal(unknown.status, 404);
  const api2 = await eventually(() => scrape(ports.api), ({ samples }) =>
    (samples.get(seriesKey('arauto_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })) ?? 0) >= 1);
  const receiverHost = new URL(receiver.url).host;
  for (const { text } of [worker1, api2]) {
    const values = text.split('\n').filter((l) => !l.startsWith('#')).flatMap((l) => labelsOf(/\{(.*)\}/.exec(l)?.[1] ?? '').map(([, v]) => v));
    assert.ok(values.length > 0);
    for (const value of values) {
      assert.ok(!value.includes(MERCHANT), `a label holds the merchant id: ${value}`);
      assert.ok(!value.includes(receiverHost), `a label holds the receiver's URL: ${value}`);
    }
  }
});

/** Core's metric names as the worker exposes them (worker/sdkMetrics.ts: seconds, unit suffixes, _total). */
const SDK_METRICS = [
  'temporal_workflow_task_schedule_to_start_latency_seconds_bucket',
  'temporal_activity_schedule_to_start_latency_seconds_bucket',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_sticky_cache_size',
  'temporal_workflow_task_queue_poll_succeed_total',
];
