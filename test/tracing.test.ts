// Issue 19, Traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, one trigger and its attempts are one connected trace, sent
// over OTLP/HTTP to a collector (here an in-process one), from the API's server span to each callback POST; and
// what must never leave the process (bodies, tokens, secrets, the callback URL's path) is in no export.
// Without the endpoint nothing is installed (docs/observability.md, Traces).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import {
  flushTracing, startTracing, stopTracing, tracingClientInterceptors, tracingOn, tracingWorkerOptions,
} from '../lib/tracing';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './support/otlpReceiver';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig, testDataConverter } from './support/testConfig';
import { merchantWorkflowId } from '../workflows/contracts/merchant';

const merchant = 'loja-rastreada';
const TRIGGER_ROUTE = 'POST /v1/merchants/:merchantId/charges/:chargeId/status-changes';
let collector: OtlpReceiver;
let receiver: Receiver;
let stack: DevStack;
let shop: Account;
/** The traced delivery, whose history the last test replays. */
let tracedDeliveryId: string | undefined;

test('without OTEL_EXPORTER_OTLP_ENDPOINT nothing is installed: no provider, no interceptors, no sink', () => {
  assert.equal(startTracing(testConfig(), 'arauto-test'), false);
  assert.equal(tracingOn(), false);
  assert.equal(tracingClientInterceptors(), undefined);
  assert.deepEqual(tracingWorkerOptions(), {}, 'the workflow bundle is the one without the interceptor module');
});

test('a malformed endpoint stops the process with a message naming the variable', () => {
  assert.throws(() => loadConfig({ ...TEST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  before(async () => {
    collector = await OtlpReceiver.start();
    receiver = await Receiver.start();
    const config = testConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, RETRY_DELAY_DIVISOR: '600', TEMPORAL_TASK_QUEUE: 'arauto-tracing-test',
    });
    assert.equal(startTracing(config, 'arauto-test'), true);
    stack = await startDevStack(config);
    shop = await stack.as(merchant);
    const registered = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
      gerencianetNotificationUrl: `${receiver.url}/notificacao?canal=secreto`,
    });
    assert.equal(registered.status, 200);
  });

  after(async () => {
    await stack?.stop();
    await stopTracing();
    await receiver?.stop();
    await collector?.stop();
  });

  test('a trigger whose receiver fails once then answers 200 is one trace, from the REST call to both POSTs', async () => {
    receiver.respond([500], 200);
    const trigger = await shop.call('POST', `/v1/merchants/${merchant}/charges/7/status-changes`, { currentStatus: 'paid' });
    assert.equal(trigger.status, 202);
    const { deliveryId, token } = trigger.body;
    tracedDeliveryId = deliveryId;
    await receiver.waitFor('/notificacao', 2);

    // The workflow's span ends with the workflow, and the processes batch their exports: asked until all are in.
    const named = (name: string, spans: ReceivedSpan[]) => spans.filter((s) => s.name === name);
    const spans = await eventually(async () => {
      await flushTracing();
      return collector.spans;
    }, (all) => {
      const server = named(TRIGGER_ROUTE, all)[0];
      const trace = all.filter((s) => s.traceId === server?.traceId);
      return named('RunWorkflow:deliverCallback', trace).length === 1 && trace.filter((s) => s.name === 'POST').length === 2;
    });

    const server = one(named(TRIGGER_ROUTE, spans));
    assert.equal(server.kind, SPAN_KIND.SERVER);
    assert.equal(server.parentSpanId, undefined, 'the trigger starts the trace');
    assert.equal(server.attributes['http.route'], '/v1/merchants/:merchantId/charges/:chargeId/status-changes');
    assert.equal(server.attributes['http.response.status_code'], 202);
    const childrenOf = (parent: ReceivedSpan, name: string) => spans.filter((s) => s.parentSpanId === parent.spanId && s.name === name);

    const start = one(childrenOf(server, 'StartWorkflow:deliverCallback'));
    assert.equal(start.attributes.temporalWorkflowId, deliveryId);
    const run = one(childrenOf(start, 'RunWorkflow:deliverCallback'));
    const scheduled = childrenOf(run, 'StartActivity:postCallback');
    assert.equal(scheduled.length, 2, 'one per attempt');
    const attempts = scheduled.map((s) => one(childrenOf(s, 'RunActivity:postCallback')));
    const posts = attempts.map((a) => one(childrenOf(a, 'POST'))).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
    assert.deepEqual(posts.map((p) => p.attributes['http.response.status_code']), [500, 200]);
    assert.deepEqual(posts.map((p) => p.attributes['error.type']), ['500', undefined]);
    for (const post of posts) {
      assert.equal(post.kind, SPAN_KIND.CLIENT);
      assert.equal(post.attributes['http.request.method'], 'POST');
      assert.equal(post.attributes['server.address'], '127.0.0.1');
    }
    for (const span of [server, start, run, ...scheduled, ...attempts, ...posts]) {
      assert.equal(span.traceId, server.traceId, `${span.name} is in the trigger's trace`);
    }

    // Never exported, in any span of any export: the bodies, the token, the signing secret and key, the signature,
    // the API key, the callback URL's path and query, the delivery's memo.
    const { secret } = (await shop.call('GET', `/v1/merchants/${merchant}/endpoints/gerencianetNotificationUrl/signing-secret`)).body;
    const [first] = receiver.requestsTo('/notificacao');
    const exported = collector.raw.join('\n');
    const forbidden = {
      body: first.body, token, secret, secretKey: secret.replace(/^whsec_/, ''), signature: String(first.headers['webhook-signature']),
      signingKey: TEST_ENV.WEBHOOK_SIGNING_KEY, apiKey: shop.apiKey, urlPath: '/notificacao', query: 'canal=secreto',
      memo: '"currentStatus"',
    };
    for (const [what, value] of Object.entries(forbidden)) {
      assert.ok(value.length > 5 && !exported.includes(value), `${what} is in an export`);
    }
  });

  // Tracing can be turned off again: what ran traced (a delivery; the merchant's update, whose handler the
  // interceptors wrapped) replays on workers without the interceptors, as the recorded histories replay with them
  // (test/replay.test.ts).
  test('workflows that ran with tracing on replay without it', async () => {
    assert.ok(tracedDeliveryId, 'the trace test ran');
    const histories = await Promise.all([tracedDeliveryId, merchantWorkflowId(merchant)].map(async (workflowId) => ({
      workflowId, history: await stack.client.workflow.getHandle(workflowId).fetchHistory(),
    })));
    const results = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows'), dataConverter: testDataConverter() }, histories);
    for await (const { workflowId, error } of results) assert.equal(error, undefined, `${workflowId}: ${error?.message}`);
  });
});

function one<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected one, got ${items.length}`);
  return items[0];
}
