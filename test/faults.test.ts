// Faults as an operator meets them (issue 15): the stack as `npm start` runs it, every core busy with a CPU hog,
// notifications failing twice each; then kill -9 of the whole stack (restarted on the same data), of the dev server
// alone, of the worker alone (the supervisor restarts them). Nothing may be lost, the attempt log must hold every
// POST the receiver saw, and nothing may be POSTed after a success but one in-doubt repeat per crash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../lib/freePort';
import { startCpuHog, type CpuHog } from './support/cpuHog';
import { untilGone } from './support/processes';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { Stack, type ChildName } from './support/stack';

const DIVISOR = 60; // gerencianet's retries after 1 and 3 s
const PATH = '/notificacao';
const shop = `loja-faults-${Date.now().toString(36)}`;

let hog: CpuHog;
let receiver: Receiver;
let dataDir: string;
let stack: Stack;
const env = { CALLBACK_TIMEOUT_MS: '60000' }; // a slow answer under load is not a failed attempt here
/** The receiver's answers to each notification, by token, in order. */
const answers = new Map<string, number[]>();
const tokenOf = (r: ReceivedRequest) => new URLSearchParams(r.body).get('notification')!;

before(async () => {
  hog = startCpuHog();
  receiver = await Receiver.start();
  // Per notification, never by arrival order: its first two POSTs get 503, every later one 200.
  receiver.respond([], async (r) => {
    const seen = answers.get(tokenOf(r)) ?? [];
    answers.set(tokenOf(r), seen);
    seen.push(seen.length < 2 ? 503 : 200);
    return seen.at(-1)!;
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-faults-'));
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  stack = await Stack.start({ dataDir, retryDelayDivisor: DIVISOR, ports, env });
  await stack.createAccount(shop);
  const put = await stack.request('PUT', `/v1/merchants/${shop}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}${PATH}` });
  assert.equal(put.status, 200, JSON.stringify(put.body));
});

after(async () => {
  await stack?.interrupt();
  await hog?.stop();
  await receiver?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let nextCharge = 0;
/** `count` charges paid (G1), ten triggers at a time; their delivery ids by token. */
async function notify(count: number): Promise<Map<string, string>> {
  const charges = Array.from({ length: count }, () => nextCharge++);
  const ids = new Map<string, string>();
  const worker = async () => {
    for (let charge = charges.shift(); charge !== undefined; charge = charges.shift()) {
      const res = await stack.request('POST', `/v1/merchants/${shop}/charges/${charge}/status-changes`, { currentStatus: 'paid' });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      ids.set(res.body.token, res.body.deliveryId);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return ids;
}

const successes = (tokens: Iterable<string>) => [...tokens].filter((t) => answers.get(t)?.includes(200)).length;

/**
 * Every notification delivered; per notification, the POSTs the receiver saw are in its attempts, the attempts it
 * did not see are in-doubt ones (`outcome_unknown`), and at most one POST follows its first 200, only with one.
 */
function checkTruthful(name: string, ids: Map<string, string>, deliveries: Map<string, any>, times: Record<string, number>) {
  const problems: string[] = [];
  let posts = 0, recorded = 0, inDoubt = 0, repeats = 0;
  for (const [token, deliveryId] of ids) {
    const delivery = deliveries.get(token);
    const seen = answers.get(token) ?? [];
    const attempts: { errorClass?: string }[] = delivery.attempts;
    const unknown = attempts.filter((a) => a.errorClass === 'outcome_unknown').length;
    const afterSuccess = seen.includes(200) ? seen.length - seen.indexOf(200) - 1 : 0;
    posts += seen.length;
    recorded += attempts.length;
    inDoubt += unknown;
    repeats += afterSuccess;
    const why = [
      delivery.status !== 'delivered' && `status ${delivery.status}`,
      seen.length > attempts.length && `receiver saw ${seen.length} POSTs, ${attempts.length} attempts recorded`,
      attempts.length - seen.length > unknown && `${attempts.length} attempts recorded, receiver saw ${seen.length}, ${unknown} in doubt`,
      afterSuccess > 1 && `${afterSuccess} POSTs after its 200`,
      afterSuccess === 1 && unknown === 0 && 'a POST after its 200 with no attempt in doubt',
    ].filter(Boolean);
    if (why.length) problems.push(`${deliveryId} (answers ${seen.join(',')}): ${why.join('; ')}`);
  }
  const durations = Object.entries(times).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ');
  console.log(`[faults] ${name} (${hog.description}): ${ids.size} notifications, ${posts} POSTs seen, ${recorded} attempts ` +
    `recorded, ${inDoubt} in doubt, ${repeats} POSTs after a success, ${problems.length} notifications wrong; ${durations}`);
  assert.deepEqual(problems, [], `${problems.length} of ${ids.size} notifications:\n${problems.slice(0, 20).join('\n')}`);
}

/** Notifications raised, then `crash` once a third of them have had their 200 (the rest mid-series), then checked. */
async function scenario(name: string, count: number, crash: () => Promise<void>) {
  const t0 = performance.now();
  const ids = await notify(count);
  const triggered = performance.now() - t0;
  await receiver.until(() => successes(ids.keys()) >= count / 3);
  const delivered = successes(ids.keys());
  assert.ok(delivered < count, 'the crash comes mid-series');
  const crashedAt = performance.now() - t0;
  await crash();
  const recovered = performance.now() - t0;
  // Every delivery closed: then the receiver has seen every POST there will be (a closed workflow sends none).
  const deliveries = new Map<string, any>();
  for (const [token, deliveryId] of ids) {
    deliveries.set(token, await stack.deliveryWhen(deliveryId, (d) => d.status !== 'delivering', 600_000));
  }
  checkTruthful(`${name}, killed after ${delivered} of ${count} had their 200`, ids, deliveries, {
    'triggers accepted': triggered, 'crash at': crashedAt, 'back up at': recovered, 'all closed at': performance.now() - t0,
  });
}

test('(a) kill -9 of the whole stack mid-series, then npm start on the same data: none lost, the log holds every POST', async () => {
  await scenario('whole stack kill -9', 300, async () => {
    const pids = stack.pids;
    // Children first, then the script: nobody gets a chance to stop gracefully, as when a machine's processes die.
    for (const pid of [pids.api, pids.worker, pids.temporal, pids.script]) process.kill(pid, 'SIGKILL');
    await stack.exited;
    await untilGone(Object.values(pids));
    const apiKey = stack.apiKey;
    stack = await Stack.start({ dataDir, retryDelayDivisor: DIVISOR, ports: stack.ports, env });
    stack.apiKey = apiKey;
  });
});

/** kill -9 of one child; resolves once the supervisor has it running (and, for the dev server, the API reaches it). */
async function killChild(name: ChildName): Promise<void> {
  const pid = stack.childPid(name);
  const starts = stack.starts(name);
  process.kill(pid, 'SIGKILL');
  await stack.untilLogged(new RegExp(`\\] ${name} exited \\(SIGKILL\\)`));
  await stack.untilLogged(new RegExp(`\\] ${name} started \\(pid \\d+\\)`), starts + 1);
  await stack.untilHealthy();
}

test('(b) kill -9 of the dev server alone, restarted by the supervisor: none lost, the log holds every POST', async () => {
  await scenario('dev server kill -9', 100, () => killChild('temporal'));
});

test('(b) kill -9 of the worker alone, restarted by the supervisor: none lost, the log holds every POST', async () => {
  await scenario('worker kill -9', 100, () => killChild('worker'));
});
