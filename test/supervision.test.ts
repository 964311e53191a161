// `npm start` supervises (issue 15): a killed worker or dev server is restarted; while Temporal is away the API
// answers 503 at once and recovers after; SIGINT or SIGTERM to npm or to the start script stops everything, in
// order, exit code 0; a start script killed with -9 leaves no child behind. Real `npm start`, real processes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isRunning, untilGone } from './support/processes';
import { Receiver } from './support/receiver';
import { Stack } from './support/stack';

const DIVISOR = 60;
const shop = `loja-sup-${Date.now().toString(36)}`;
let dataDir: string;
let receiver: Receiver;
const stacks: Stack[] = [];

/** `npm start` on this test's data; the account and its URL are made once and carried over. */
async function start(): Promise<Stack> {
  const stack = await Stack.start({ dataDir, retryDelayDivisor: DIVISOR, viaNpm: true });
  stacks.push(stack);
  if (stacks.length === 1) {
    await stack.createAccount(shop);
    const put = await stack.request('PUT', `/v1/merchants/${shop}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/n` });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  } else {
    stack.apiKey = stacks[0].apiKey;
  }
  return stack;
}

/** Sends `signal` to npm or to the start script; npm exits 0 and none of the processes is left. */
async function stopsCleanly(stack: Stack, target: 'npm' | 'script', signal: NodeJS.Signals): Promise<void> {
  const pids = stack.pids;
  process.kill(target === 'npm' ? stack.pid : pids.script, signal);
  const { code } = await stack.exited;
  assert.equal(code, 0, stack.logs);
  await untilGone(Object.values(pids));
  const logs = stack.logs;
  assert.match(logs, /stopping: API and worker first, then Temporal/);
  // Temporal stops only after both have stopped.
  const temporalStops = logs.indexOf('[temporal] Stopping server');
  assert.ok(temporalStops > logs.indexOf('worker stopped') && temporalStops > logs.indexOf('api stopped'), logs);
}

let charge = 0;
async function trigger(stack: Stack) {
  const started = performance.now();
  const res = await fetch(`${stack.api}/v1/merchants/${shop}/charges/${++charge}/status-changes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ currentStatus: 'paid' }),
  });
  return { status: res.status, body: (await res.json()) as any, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
}

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-supervision-'));
  receiver = await Receiver.start();
});

after(async () => {
  for (const stack of stacks) if (isRunning(stack.pid)) await stack.interrupt();
  await receiver?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a killed worker is restarted and polls again; while the dev server is away the API answers 503 at once, and recovers after its restart', async () => {
  const stack = await start();
  await stack.untilLogged(/worker polling/);

  const worker = stack.childPid('worker');
  process.kill(worker, 'SIGKILL');
  await stack.untilLogged(/\] worker exited \(SIGKILL\) after [\d.]+ s; restarting in/);
  await stack.untilLogged(/worker polling/, 2);
  assert.notEqual(stack.childPid('worker'), worker);
  const viaNewWorker = await trigger(stack);
  assert.equal(viaNewWorker.status, 202);
  assert.equal((await stack.deliveryWhen(viaNewWorker.body.deliveryId, (d) => d.status !== 'delivering')).status, 'delivered');

  // The supervisor is held (SIGSTOP) while the dev server is dead, so that Temporal stays away as long as the test
  // looks, whatever the machine's load; then it carries on and restarts it.
  const { script, temporal } = stack.pids;
  process.kill(script, 'SIGSTOP');
  try {
    process.kill(temporal, 'SIGKILL');
    await untilGone([temporal]);
    const health = await fetch(`${stack.api}/healthz`);
    assert.equal(health.status, 503);
    assert.equal(((await health.json()) as any).error, 'temporal_unavailable');
    const refused = await trigger(stack);
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'temporal_unavailable');
    assert.ok(Number(refused.retryAfter) > 0, 'Retry-After');
    assert.ok(refused.ms < 2000, `answered after ${refused.ms} ms`);
  } finally {
    process.kill(script, 'SIGCONT');
  }
  await stack.untilLogged(/\] temporal exited \(SIGKILL\) after [\d.]+ s; restarting in/);
  await stack.untilLogged(/\] temporal ready again/);
  await stack.untilHealthy();
  assert.notEqual(stack.childPid('temporal'), temporal);
  // The worker reconnected by itself: a new notification is delivered.
  const afterRestart = await trigger(stack);
  assert.equal(afterRestart.status, 202, JSON.stringify(afterRestart.body));
  assert.equal((await stack.deliveryWhen(afterRestart.body.deliveryId, (d) => d.status !== 'delivering')).status, 'delivered');

  await stopsCleanly(stack, 'npm', 'SIGTERM');
});

for (const [target, signal] of [['npm', 'SIGINT'], ['script', 'SIGTERM'], ['script', 'SIGINT']] as const) {
  test(`${signal} to ${target === 'npm' ? "npm's" : "the start script's"} PID stops API and worker, then Temporal; nothing is left`, async () => {
    await stopsCleanly(await start(), target, signal);
  });
}

test('the start script killed with -9: the dev server, the worker and the API exit by themselves', async () => {
  const stack = await start();
  const { script, ...children } = stack.pids;
  process.kill(script, 'SIGKILL');
  await stack.exited;
  await untilGone(Object.values(children));
});
