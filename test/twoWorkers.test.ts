// Workers scale horizontally (D7): two worker processes on one task queue of one dev server share the deliveries,
// and one stopped in the middle of their retry series (SIGTERM, as `docker compose up --scale worker=1` does)
// loses none: the other finishes them on the documented schedule (G3), and every POST is in its delivery's attempts.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { after, before, test } from 'node:test';
import { freePort } from '../lib/freePort';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { paidCharges, startDevStack, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { testConfig } from './support/testConfig';
import { WorkerProcesses } from './support/workerProcess';

const TASK_QUEUE = `arauto-two-workers-${Date.now().toString(36)}`;
// gerencianet's first retry (1 min) after 3 s: time to stop a worker while every delivery waits for it.
const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE, RETRY_DELAY_DIVISOR: '20', CALLBACK_TIMEOUT_MS: '2000' });
const merchant = `loja-escala-${Date.now().toString(36)}`;
const N = 20;

let stack: DevStack;
let receiver: Receiver;
const processes = new WorkerProcesses(TASK_QUEUE);
/** In the order of healthPorts. */
const workers: ChildProcess[] = [];
const healthPorts: number[] = [];
const health = async (port: number) => {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, ...(await res.json()) };
};

before(async () => {
  stack = await startDevStack(config, { worker: false });
  receiver = await Receiver.start();
  healthPorts.push(await freePort(), await freePort());
  workers.push(...await Promise.all(healthPorts.map((port) =>
    processes.start(stack.address, { WORKER_HEALTH_PORT: String(port) }))));
});
after(async () => {
  processes.killAll();
  await receiver?.stop();
  await stack?.stop();
});

/** The identities of the workers that ran each workflow task of a delivery, in order (the SDK's pid@host). */
async function workersOf(deliveryId: string): Promise<string[]> {
  const history = await stack.client.workflow.getHandle(deliveryId).fetchHistory();
  return history.events!.flatMap((e) => e.workflowTaskStartedEventAttributes?.identity ?? []);
}

test('two workers share the deliveries; stopping one mid-series loses none', async () => {
  const [stopped, survivor] = workers.map((w) => `${w.pid}@${os.hostname()}`);
  // What a container orchestrator probes (docker-compose.yml): healthy while polling. Probed until it answers, as an
  // orchestrator does: the worker logs "worker polling" before its probe listens and before the SDK runs it.
  for (const port of healthPorts) {
    const probed = await eventually(() => health(port).catch((err) => ({ status: 0, error: String(err) })), (h) => h.status === 200);
    assert.deepEqual(probed, { status: 200, state: 'RUNNING' });
  }
  const shop = await stack.as(merchant);
  const put = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/escala` });
  assert.equal(put.status, 200);
  // Decided per notification, never by arrival order (a retry may come before another's first attempt): every POST
  // fails until the worker to stop has exited, so each success is the survivor's, whenever each retry falls due.
  let stoppedExited = false;
  receiver.respondPerNotification(() => (stoppedExited ? 200 : 500));

  const deliveryIds = await paidCharges(shop, N);
  // Every first attempt made: each notification waits for a retry.
  await receiver.until(() => receiver.postsPerToken('/escala').size === N);
  const firstBy = await Promise.all(deliveryIds.map(async (id) => (await workersOf(id))[0]));
  const share = (identity: string) => firstBy.filter((w) => w === identity).length;
  assert.deepEqual(new Set(firstBy), new Set([stopped, survivor]), `first attempts by ${JSON.stringify(firstBy)}`);
  console.log(`first attempts: ${share(stopped)} on the worker to stop, ${share(survivor)} on the other`);

  workers[0].kill('SIGTERM');
  await once(workers[0], 'exit');
  stoppedExited = true;
  await assert.rejects(health(healthPorts[0]), 'a stopped worker answers no probe');
  assert.equal((await health(healthPorts[1])).status, 200);

  const states: DeliveryState[] = await Promise.all(deliveryIds.map((id) => stack.client.workflow.getHandle(id).result()));
  for (const state of states) {
    assert.equal(state.status, 'delivered');
    // Failures (one or more, as retries fell due before the stop), then the survivor's success.
    const codes = state.attempts.map((a) => a.statusCode);
    assert.deepEqual(codes, [...Array(codes.length - 1).fill(500), 200], state.deliveryId);
    // A graceful stop loses no record: each POST the receiver saw is one attempt, and none came after the success.
    const posts = receiver.requests.filter((r) => r.headers['webhook-id'] === state.deliveryId).length;
    assert.equal(posts, codes.length, `${state.deliveryId}: ${posts} POSTs, attempts ${codes}`);
  }
  // The stopped worker's deliveries were finished by the other.
  for (const [i, id] of deliveryIds.entries()) {
    if (firstBy[i] === stopped) assert.equal((await workersOf(id)).at(-1), survivor, id);
  }
  assert.equal(receiver.postsPerToken('/escala').size, N);
});
