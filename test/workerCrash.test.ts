// A worker killed in the middle of a series of retries (kill -9, another started): nothing is lost and
// nothing is sent again after a success (issue 4; D1, G3). On the dev server with the schedule compressed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { testConfig } from './support/testConfig';
import { paidCharges, startDevStack, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { WorkerProcesses } from './support/workerProcess';

const TASK_QUEUE = `arauto-crash-${Date.now().toString(36)}`;
// gerencianet's first retry (1 min) after 1 s.
const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, RETRY_DELAY_DIVISOR: '60', CALLBACK_TIMEOUT_MS: '2000' });
const merchant = `loja-crash-${Date.now().toString(36)}`;
const N = 5;

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

test('a worker killed mid-series: every notification delivered, none POSTed again after its success', async () => {
  const first = await startWorker();
  const shop = await stack.as(merchant);
  const put = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/crash`,
  });
  assert.equal(put.status, 200);
  // Decided per notification, never by arrival order (a retry may come before another's first attempt): every POST
  // fails until the first worker is dead, every later one succeeds, whenever each retry falls due.
  let killed = false;
  receiver.respondPerNotification(() => (killed ? 200 : 500));

  const deliveryIds = await paidCharges(shop, N);
  await receiver.until(() => receiver.postsPerToken('/crash').size === N); // every first attempt made and failed
  first.kill('SIGKILL');
  await once(first, 'exit');
  killed = true;
  const beforeRestart = receiver.requests.length;
  await startWorker();

  const states: DeliveryState[] = await Promise.all(deliveryIds.map((id) => stack.client.workflow.getHandle(id).result()));
  for (const state of states) {
    assert.equal(state.status, 'delivered');
    // Failures, then one success. An attempt the killed worker had not reported is in the log as outcome_unknown
    // (docs/operating.md, Reliability), made again by the new worker.
    const codes = state.attempts.map((a) => a.statusCode ?? a.errorClass);
    assert.ok(codes.at(-1) === 200 && codes.slice(0, -1).every((c) => c !== 200), `attempts: ${codes}`);
    const posts = receiver.requests.filter((r) => r.headers['webhook-id'] === state.deliveryId);
    const afterRestart = receiver.requests.slice(beforeRestart).filter((r) => r.headers['webhook-id'] === state.deliveryId);
    // Nothing after the success: the new worker's first POST was answered 200 and was the notification's last.
    assert.equal(afterRestart.length, 1, `${afterRestart.length} POSTs after the restart`);
    // Every POST is an attempt; an attempt the receiver did not see can only be one whose outcome is unknown.
    const unknown = codes.filter((c) => c === 'outcome_unknown').length;
    assert.ok(posts.length <= codes.length && codes.length - posts.length <= unknown, `${posts.length} POSTs, attempts ${codes}`);
  }
});
