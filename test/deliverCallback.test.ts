// Delivery schedules and success rules on the time-skipping server, with real POSTs to a real
// receiver on loopback (G2, G3, C3, C5–C7, D2).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { freePort } from '../lib/freePort';
import type { CallbackEvent } from '../providers/registry';
import {
  DELIVERY_EXHAUSTED, DELIVERY_HELD, deliveryStateQuery, resendSignal, type DeliverCallbackInput, type DeliveryState,
} from '../workflows/contracts/deliverCallback';
import { deliverCallback } from '../workflows/deliverCallback';
import { Receiver } from './support/receiver';
import { startTimeSkippingStack, TASK_QUEUE, type TimeSkippingStack } from './support/timeSkippingEnv';

const MIN = 60_000;
const chargePaid: CallbackEvent = {
  type: 'charge-status-changed', token: 'tok-1', chargeId: '1001', customId: null,
  previousStatus: 'waiting', currentStatus: 'paid', occurredAt: '2026-11-22T10:00:00.000Z',
};
const saleAuthorized: CallbackEvent = {
  type: 'sale-intent-finalized', cpfCnpj: '01001001000113', intencaoVendaId: '777', intencaoVendaReferencia: 'ref-9',
  pedidoId: null, pedidoReferencia: null, outcome: 'authorized', occurredAt: '2026-11-22T10:00:00.000Z',
};

let stack: TimeSkippingStack;
let receiver: Receiver;
let runs = 0;

before(async () => {
  stack = await startTimeSkippingStack();
  receiver = await Receiver.start();
});
after(async () => {
  await receiver?.stop();
  await stack?.stop();
});
beforeEach(() => receiver.reset());

function deliver(event: CallbackEvent, endpointUrl: string, attemptTimeoutMs = 2000) {
  return stack.env.client.workflow.execute(deliverCallback, {
    taskQueue: TASK_QUEUE,
    workflowId: `test-delivery-${++runs}`,
    args: [{ merchantId: 'm1', endpointUrl, event, delayDivisor: 1, attemptTimeoutMs }],
  });
}

/** Runs a delivery expected to exhaust; returns the state the failure carries. */
async function deliverUntilExhausted(event: CallbackEvent, endpointUrl: string): Promise<DeliveryState> {
  const err = await deliver(event, endpointUrl).then(
    () => assert.fail('delivery should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError);
  assert.ok(err.cause instanceof ApplicationFailure);
  assert.equal(err.cause.type, DELIVERY_EXHAUSTED);
  return err.cause.details![0] as DeliveryState;
}

function assertOffsetsMinutes(state: DeliveryState, expectedMinutes: number[]): void {
  const actual = state.attempts.map((a) => a.offsetMs);
  assert.equal(actual.length, expectedMinutes.length, `attempt count: ${actual}`);
  // A durable timer never fires early; how late it runs is the loaded machine's processing, so the bound above is
  // half the shortest gap of any schedule (1 min): enough to tell each documented slot from its neighbours.
  expectedMinutes.forEach((m, i) =>
    assert.ok(actual[i] >= m * MIN && actual[i] < m * MIN + MIN / 2, `attempt ${i + 1} at ${actual[i]} ms, expected ${m} min`),
  );
}

describe('controlpay profile (C3)', () => {
  test('non-2xx is retried after 2, 4, 8, 16, 32 min: six attempts, then a clear failure', async () => {
    receiver.respond([], 500);
    const state = await deliverUntilExhausted(saleAuthorized, `${receiver.url}/venda`);
    assertOffsetsMinutes(state, [0, 2, 6, 14, 30, 62]);
    assert.equal(state.status, 'failed');
    assert.equal(receiver.requestsTo('/venda').length, 6);
    assert.ok(state.attempts.every((a) => a.statusCode === 500 && a.errorClass === 'unexpected_status'));
  });

  test('any 2xx ends it: 201 on the third attempt, nothing sent after', async () => {
    receiver.respond([503, 404, 201], 200);
    const state = await deliver(saleAuthorized, `${receiver.url}/venda?loja=3`);
    assert.equal(state.status, 'delivered');
    assertOffsetsMinutes(state, [0, 2, 6]);
    const requests = receiver.requestsTo('/venda');
    assert.equal(requests.length, 3);
    // C5 with an existing query, C6 parameters, blank order fields, JSON content type and empty body.
    for (const r of requests) {
      assert.equal(r.method, 'POST');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.body, '');
      assert.equal(
        r.path,
        '/venda?loja=3&cpfCnpj=01001001000113&intencaoVendaId=777&intencaoVendaReferencia=ref-9&pedidoId=&pedidoReferencia=',
      );
    }
  });

  test('a refused connection is a failed attempt with its class', async () => {
    const closedPort = await freePort();
    const state = await deliverUntilExhausted(saleAuthorized, `http://127.0.0.1:${closedPort}/venda`);
    assert.equal(state.attempts.length, 6);
    assert.ok(state.attempts.every((a) => a.errorClass === 'connection_refused'), JSON.stringify(state.attempts[0]));
  });
});

describe('gerencianet profile (G2, G3)', () => {
  test('ten attempts at distinct, growing intervals; the tenth 55–65 min after the first', async () => {
    receiver.respond([], 500);
    const state = await deliverUntilExhausted(chargePaid, `${receiver.url}/notificacao`);
    assertOffsetsMinutes(state, [0, 1, 3, 6, 10, 15, 22, 31, 43, 60]);
    const last = state.attempts[9].offsetMs;
    assert.ok(last >= 55 * MIN && last <= 65 * MIN);
    const gaps = state.attempts.slice(1).map((a, i) => a.offsetMs - state.attempts[i].offsetMs);
    assert.equal(new Set(gaps.map((g) => Math.round(g / MIN))).size, 9, 'nine distinct intervals');
    const requests = receiver.requestsTo('/notificacao');
    assert.equal(requests.length, 10);
    assert.equal(requests[0].headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(requests[0].body, 'notification=tok-1');
  });

  test('only 200 is success: 201, a redirect, a timeout and a reset all fail; nothing after the 200', async () => {
    receiver.respond([201, 'redirect', 'hang', 'reset', 200], 200);
    // 3 s: the hanging attempt times out, and no other is slowed that much by a loaded machine.
    const state = await deliver(chargePaid, `${receiver.url}/notificacao`, 3000);
    assert.equal(state.status, 'delivered');
    assert.deepEqual(
      state.attempts.map((a) => a.statusCode ?? a.errorClass),
      [201, 302, 'timeout', 'connection_reset', 200],
    );
    assert.deepEqual(
      state.attempts.slice(0, 4).map((a) => a.errorClass),
      ['unexpected_status', 'unexpected_status', 'timeout', 'connection_reset'],
    );
    assertOffsetsMinutes(state, [0, 1, 3, 6, 10]);
    assert.equal(receiver.requestsTo('/notificacao').length, 5);
    assert.equal(receiver.requestsTo('/redirected').length, 0, 'a 3xx is never followed');
    assert.match(state.attempts[1].responseExcerpt, /Location: .*\/redirected/);
  });
});

describe('resend (G8) on the schedule, time-skipping', () => {
  const DAY = 24 * 60 * MIN;
  /** A delivery that keeps what it could not send open for a resend, as the API starts them. */
  const startKept = (extra: Partial<DeliverCallbackInput> = {}) =>
    stack.env.client.workflow.start(deliverCallback, {
      taskQueue: TASK_QUEUE,
      workflowId: `test-delivery-${++runs}`,
      args: [{
        merchantId: 'm1', endpointUrl: `${receiver.url}/venda`, event: saleAuthorized, delayDivisor: 1,
        attemptTimeoutMs: 2000, resendWindowMs: 30 * DAY, ...extra,
      }],
    });

  test('a failed notification waits open; a resend runs a new series on the same schedule (C3)', async () => {
    receiver.respond([], 500);
    const handle = await startKept();
    await stack.env.sleep(63 * MIN); // the test server's clock: past the sixth attempt at 62 min
    const failed = await handle.query(deliveryStateQuery);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts.length, 6);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'not sent: kept open for a resend');

    receiver.respond([500, 503], 200);
    await handle.signal(resendSignal);
    const state = await handle.result();
    assert.equal(state.status, 'delivered');
    assert.equal(state.resends, 1);
    const second = state.attempts.filter((a) => a.series === 2);
    assert.deepEqual(second.map((a) => Math.round(a.offsetMs / MIN)), [0, 2, 6], 'the schedule again, from the resend');
    assert.equal(receiver.requestsTo('/venda').length, 9);
  });

  test('held at trigger: nothing is POSTed until a resend; then the first attempt goes at once', async () => {
    const handle = await startKept({ endpointInactive: true });
    await stack.env.sleep(DAY);
    assert.equal((await handle.query(deliveryStateQuery)).status, 'held');
    assert.equal(receiver.requests.length, 0);
    await handle.signal(resendSignal);
    const state = await handle.result();
    assert.deepEqual([state.status, state.attempts.length, state.attempts[0].series], ['delivered', 1, 1]);
  });

  test('without a resend within the window it closes as not sent: failed, or held', async () => {
    receiver.respond([], 500);
    const failed = await startKept({ resendWindowMs: DAY }).then((h) => h.result()).then(
      () => assert.fail('should fail'), (e) => e);
    assert.equal(failed.cause.type, DELIVERY_EXHAUSTED);
    assert.equal(failed.cause.details[0].attempts.length, 6);
    const held = await startKept({ resendWindowMs: DAY, endpointInactive: true }).then((h) => h.result()).then(
      () => assert.fail('should fail'), (e) => e);
    assert.equal(held.cause.type, DELIVERY_HELD);
    assert.equal(receiver.requests.length, 6, 'the held one never POSTed');
  });
});
