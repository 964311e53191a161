// The attempt log tells the truth (issue 15; G2, G7): a worker that stalls past its workflow task's timeout
// repeats no POST, and a worker that dies after its POST is answered leaves that POST in the log as
// `outcome_unknown`, made again once. On the dev server, with real worker processes and a real receiver.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { paidCharges, startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { testConfig } from './support/testConfig';
import { WorkerProcesses } from './support/workerProcess';

const TASK_QUEUE = `arauto-record-${Date.now().toString(36)}`;
// The worker stalls for STALL_MS: longer than a workflow task may take (10 s), shorter than a POST may take
// (CALLBACK_TIMEOUT_MS, else the stalled client rightly calls its answer late) and than an attempt may go unreported
// (CALLBACK_TIMEOUT_MS + CALLBACK_REPORT_GRACE_MS).
const STALL_MS = 15_000;
const config = testConfig({
  TEMPORAL_TASK_QUEUE: TASK_QUEUE, CALLBACK_TIMEOUT_MS: '30000', CALLBACK_REPORT_GRACE_MS: '5000',
});

let stack: DevStack;
let receiver: Receiver;
const workers = new WorkerProcesses(TASK_QUEUE);
const startWorker = () => workers.start(stack.address);

before(async () => {
  stack = await startDevStack(config, { worker: false });
  receiver = await Receiver.start();
});
after(async () => {
  workers.killAll();
  await receiver?.stop();
  await stack?.stop();
});

async function accountPosting(name: string, path: string): Promise<Account> {
  const shop = await stack.as(`${name}-${Date.now().toString(36)}`);
  const put = await shop.call('PUT', `/v1/merchants/${shop.merchantId}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}${path}`,
  });
  assert.equal(put.status, 200);
  return shop;
}

/** Answers 200 to every POST at `path`, each only after `meanwhile` ran with the worker frozen (SIGSTOP). */
function answerAfter(worker: () => ChildProcess, meanwhile: (request: ReceivedRequest) => Promise<void>) {
  return async (request: ReceivedRequest) => {
    worker().kill('SIGSTOP'); // the answer waits in the frozen worker's socket, unread
    await meanwhile(request);
    return 200;
  };
}

test('a worker stalled past its workflow task timeout after a 200 POSTs nothing again', async () => {
  const worker = await startWorker();
  const shop = await accountPosting('stall', '/stall');
  let stalled = 0;
  receiver.respond([answerAfter(() => worker, async () => {
    stalled++;
    await delay(STALL_MS); // the fault injected: a worker that cannot run for this long
    worker.kill('SIGCONT');
  })]);
  const [deliveryId] = await paidCharges(shop, 1);
  const state: DeliveryState = await stack.client.workflow.getHandle(deliveryId).result();
  assert.equal(stalled, 1);
  assert.deepEqual(state.attempts.map((a) => a.statusCode ?? a.errorClass), [200]);
  assert.equal(receiver.requestsTo('/stall').length, 1, 'one POST, recorded once');
  worker.kill('SIGTERM');
  await once(worker, 'exit');
});

test('a worker killed after its POST was answered: the log shows it as outcome_unknown, made again once', async () => {
  let worker = await startWorker();
  const shop = await accountPosting('killed', '/killed');
  receiver.respond([answerAfter(() => worker, async () => {
    const dead = worker;
    dead.kill('SIGKILL'); // answered, but the worker can never report it
    await once(dead, 'exit');
    worker = await startWorker();
  })]);
  const [deliveryId] = await paidCharges(shop, 1);
  const state: DeliveryState = await stack.client.workflow.getHandle(deliveryId).result();
  assert.equal(state.status, 'delivered');
  assert.deepEqual(state.attempts.map((a) => a.statusCode ?? a.errorClass), ['outcome_unknown', 200]);
  assert.match(state.attempts[0].errorMessage ?? '', /may have reached the receiver/);
  // Both POSTs reached the receiver (the only at-least-once window: the process that made the first died), and
  // both are in the log.
  assert.equal(receiver.requestsTo('/killed').length, 2);
  const read = await shop.call('GET', `/v1/deliveries/${deliveryId}`);
  assert.equal(read.status, 200);
  assert.deepEqual(read.body.attempts.map((a: any) => a.errorClass ?? a.statusCode), ['outcome_unknown', 200]);
});
