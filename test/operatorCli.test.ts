// The operator's guide (docs/operating.md, D6), its `<!-- operator-cli -->` blocks run as written against a dev
// server, with both CLIs through the API's /codec: a URL that died (G4) found, reactivated with the
// `activateEndpoint` update (G6, D3), one notification resent by each CLI's `resend` signal (G8), one reset, and a
// history exported by each CLI and replayed. Only the addresses change (the test's, not localhost:7233/3000) and
// `D=` (the guide's example id) is set to the test's delivery. tctl's lines skip, saying why, without tctl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { paidCharge, startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { needsTctl, tctlSkip } from './support/tctl';
import { TEST_ENV, testConfig } from './support/testConfig';

const root = path.join(__dirname, '..');
const guide = readFileSync(path.join(root, 'docs/operating.md'), 'utf8');
const [cliBlock, replayBlock] = [...guide.matchAll(/<!-- operator-cli -->\s*```sh\n([\s\S]*?)```/g)]
  .map((m) => m[1].replace(/\\\n\s*/g, '')); // continuation lines joined
const lines = (block: string) => block.split('\n').filter((line) => line.trim() && !line.startsWith('#'));

// Gerencianet's hour of retries (G3) in three seconds.
const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-operator-cli-test', RETRY_DELAY_DIVISOR: '1200', CALLBACK_TIMEOUT_MS: '2000' });
const merchant = 'loja-1'; // the guide's
let stack: DevStack;
let receiver: Receiver;
let shop: Account;
let project: string; // an operator's project folder: the checkout's package.json, scripts and tools
let failed: string; // exhausted (G3, G4): ArautoDeliveryStatus="failed"
let held: string; // raised while the URL was inactive (G5)

/** The guide's line that `pattern` picks (exactly one), after its preamble (PATH, addresses, C, T) with D set. */
async function guideLine(pattern: RegExp, delivery: string): Promise<string> {
  const picked = lines(cliBlock).filter((line) => pattern.test(line));
  assert.equal(picked.length, 1, `one line of the guide matches ${pattern}: ${picked.join(' | ')}`);
  return run(`${preamble()}\n${picked[0]}`, delivery);
}

/** The guide's preamble: every line of its first block before the first command, but the example `D=`. */
function preamble(): string {
  const all = lines(cliBlock);
  return all.slice(0, all.findIndex((line) => /^(temporal|tctl|npm) /.test(line))).filter((line) => !line.startsWith('D=')).join('\n');
}

async function run(script: string, delivery: string): Promise<string> {
  const address = stack.address;
  const localised = script.replaceAll('localhost:7233', address).replaceAll('http://localhost:3000', stack.base);
  const { stdout, stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', localised], {
    cwd: project, env: { ...process.env, ...TEST_ENV, D: delivery }, maxBuffer: 64 * 1024 * 1024,
  });
  return stdout + stderr;
}

const stateOf = (deliveryId: string) => stack.client.workflow.getHandle(deliveryId).query<DeliveryState>('deliveryState');
const urlStatus = async () => (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body.endpoints.gerencianetNotificationUrl.status;

before(async () => {
  assert.ok(cliBlock && replayBlock, 'docs/operating.md has its two operator-cli blocks');
  project = mkdtempSync(path.join(os.tmpdir(), 'arauto-operator-'));
  for (const entry of ['package.json', 'node_modules', 'scripts', '.tools']) symlinkSync(path.join(root, entry), path.join(project, entry));
  receiver = await Receiver.start();
  stack = await startDevStack(config);
  shop = await stack.as(merchant);
  const put = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/n` });
  assert.equal(put.status, 200);
  receiver.respond([], 500); // the merchant's server is down: ten attempts fail, the URL is deactivated
  failed = await paidCharge(shop, 77);
  await eventually(() => stateOf(failed), (s) => s.status === 'failed');
  await eventually(urlStatus, (s) => s === 'inactive');
  held = await paidCharge(shop, 78);
  await eventually(() => stateOf(held), (s) => s.status === 'held');
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('temporal: list, show decoded, reactivate with the update, resend with the signal, reset a delivered one', async () => {
  // Visibility lags the workflow's own state: ask until the failed notification is listed.
  const list = await eventually(() => guideLine(/^temporal workflow list /, ''), (out) => out.includes(failed));
  assert.ok(!list.includes(held), list);
  const show = await guideLine(/^temporal workflow show /, failed);
  assert.match(show, /chargeId\W+77\b/, 'the input, decoded through /codec');
  assert.doesNotMatch(show, /binary\/encrypted/);

  receiver.respond([], 200); // back up
  const posted = receiver.requests.length;
  await guideLine(/^temporal workflow update execute /, '');
  assert.equal(await urlStatus(), 'active');
  assert.equal(receiver.requests.length, posted + 1, 'the activation\'s test notification (G6)');

  await guideLine(/^temporal workflow signal /, held);
  const resent: DeliveryState = await stack.client.workflow.getHandle(held).result();
  assert.equal(resent.status, 'delivered');
  assert.equal(resent.attempts.length, 1, 'held, so nothing was attempted before the resend');

  // A notification delivered at once, reset to its first workflow task: a new run that POSTs it again.
  const delivered = await paidCharge(shop, 79);
  const { runId } = await stack.client.workflow.getHandle(delivered).describe();
  assert.equal((await stack.client.workflow.getHandle(delivered, runId).result() as DeliveryState).status, 'delivered');
  const before = receiver.requestsTo('/n').length;
  await guideLine(/^temporal workflow reset /, delivered);
  const rerun = await eventually(() => stack.client.workflow.getHandle(delivered).describe(), (d) => d.runId !== runId);
  assert.equal((await stack.client.workflow.getHandle(delivered, rerun.runId).result() as DeliveryState).status, 'delivered');
  assert.equal(receiver.requestsTo('/n').length, before + 1, 'POSTed again');
});

test('tctl: list, show decoded, resend with the signal; no update command', { skip: tctlSkip }, async () => {
  needsTctl();
  const list = await eventually(() => guideLine(/^tctl workflow list /, ''), (out) => out.includes(failed));
  assert.ok(!list.includes(held), list);
  const show = await guideLine(/^tctl .*workflow show /, failed);
  assert.match(show, /chargeId\W+77\b/, 'the input, decoded through /codec');
  assert.match(show, /statusCode\W+500\b/, 'an attempt\'s result, decoded');
  assert.doesNotMatch(show, /payload encoding is not supported/);
  assert.doesNotMatch(show, /Gerencianet charge 77/, 'no summary: tctl predates them');
  assert.match(show, /"current":"paid"/, 'the start event\'s memo, decoded');
  const account = await run(`${preamble()}\ntctl "\${T[@]}" workflow show -w merchant.loja-1`, '');
  assert.match(account, /"deactivate":true/, 'a signal\'s input (endpointExhausted), decoded');
  const raw = await run(`${preamble()}\ntctl workflow show -w "$D"`, failed);
  assert.match(raw, /binary\/encrypted:\s+payload\s+encoding\s+is\s+not\s+supported/, 'without the codec: payloads as stored');
  const describe = await run(`${preamble()}\ntctl "\${T[@]}" workflow describe -w "$D"`, failed);
  assert.match(describe, /"encoding": "YmluYXJ5L2VuY3J5cHRlZA=="/, 'describe shows the memo as stored (binary/encrypted)');
  const query = await run(`${preamble()}\ntctl "\${T[@]}" workflow query -w "$D" --query_type deliveryState`, failed);
  assert.match(query, /"status":"failed"/, 'query results are decoded');
  assert.doesNotMatch(await run(`${preamble()}\ntctl workflow --help`, ''), /^\s+update\b/m, 'tctl has no workflow update');

  await guideLine(/^tctl .*workflow signal /, failed);
  const state: DeliveryState = await stack.client.workflow.getHandle(failed).result();
  assert.equal(state.status, 'delivered');
  assert.equal(state.attempts.length, 11, 'ten failed, then the resend\'s first attempt');
});

test('export with each CLI, replay with npm run replay', { skip: tctlSkip }, async () => {
  needsTctl();
  const out = await run(`${preamble()}\n${replayBlock}`, failed);
  assert.match(out, new RegExp(`ok {4}${failed}\\.json: \\d+ events replay with the current workflow code`), out);
  assert.match(out, new RegExp(`ok {4}${failed}\\.tctl\\.json: \\d+ events replay with the current workflow code`), out);
});
