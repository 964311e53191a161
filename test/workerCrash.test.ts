// A worker killed in the middle of a series of retries (kill -9, another started): nothing is lost and
// nothing is sent again after a success (issue 4; D1, G3). On the dev server with the schedule compressed.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { DeliveryState } from '../workflows/deliverCallback';
import { testConfig } from './support/testConfig';
import { paidCharges, startDevStack, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { startWorkerProcess } from './support/workerProcess';

const TASK_QUEUE = `arauto-crash-${Date.now().toString(36)}`;
// gerencianet's first retry (1 min) after 1 s.
const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, RETRY_DELAY_DIVISOR: '60', CALLBACK_TIMEOUT_MS: '2000' });
const merchant = `loja-crash-${Date.now().toString(36)}`;
const N = 5;

let stack: DevStack;
let receiver: Receiver;
const workers: ChildProcess[] = [];

/** A worker process of this test's, killed at the end if still running. */
async function startWorker(): Promise<ChildProcess> {
  const child = await startWorkerProcess(stack.address, TASK_QUEUE);
  workers.push(child);
  return child;
}

before(async () => {
  stack = await startDevStack(config, { worker: false });
  receiver = await Receiver.start();
});
after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await receiver?.stop();
  await stack?.stop();
});

test('a worker killed mid-series: every notification delivered, none POSTed again after its success', async () => {
  const first = await startWorker();
  const shop = await stack.as(merchant);
  const put = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/crash`,
  });
  assert.equal(put.status, 200);
  receiver.respond(Array(N).fill(500), 200); // every first attempt fails; every retry succeeds

  const deliveryIds = await paidCharges(shop, N);
  await receiver.waitFor('/crash', N); // every first attempt made and failed: all wait on a timer
  first.kill('SIGKILL');
  await once(first, 'exit');
  await startWorker();

  const states: DeliveryState[] = await Promise.all(deliveryIds.map((id) => stack.client.workflow.getHandle(id).result()));
  for (const state of states) {
    assert.equal(state.status, 'delivered');
    // [500, 200]; or [outcome_unknown, 200] when the worker died after its POST but before reporting it: the
    // attempt is in the log all the same, and was made again (the at-least-once window, README Reliability).
    const codes = state.attempts.map((a) => a.statusCode ?? a.errorClass);
    assert.ok(['500,200', 'outcome_unknown,200'].includes(codes.join()), `attempts: ${codes}`);
  }
  // Per notification, exactly the failed POST and the successful one reached the receiver: none after it.
  const byToken = receiver.postsPerToken('/crash');
  assert.equal(byToken.size, N);
  assert.ok([...byToken.values()].every((n) => n === 2), JSON.stringify([...byToken]));
});
