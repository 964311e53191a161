// `npm run replay` (D6), as an operator runs it: exported files in either CLI's JSON, or a workflow fetched from
// Temporal by id; exit 0 when the current code reproduces the history, 1 with the divergence when it does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { merchantWorkflowId } from '../workflows/contracts/merchant';
import { startDevStack, type DevStack } from './support/devStack';
import { TEST_ENV, testConfig } from './support/testConfig';

const histories = path.join(__dirname, 'histories');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'arauto-replay-'));

function replay(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../scripts/replay.ts'), ...args], {
    env: { ...process.env, ...TEST_ENV, ...env }, encoding: 'utf8',
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

/** A history file rewritten by `edit` (the JSON of `temporal workflow show --output json`). */
function variant(name: string, file: string, edit: (text: string) => string): string {
  const out = path.join(tmp, name);
  writeFileSync(out, edit(readFileSync(path.join(histories, file), 'utf8')));
  return out;
}

let stack: DevStack;
before(async () => { stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-replay-command-test' })); });
after(() => stack?.stop());

test('D6: files exported by the Temporal CLI replay, exit 0', () => {
  const { status, out } = replay([path.join(histories, 'deliverCallback-v2-gerencianet-exhausted-resent-delivered.json'),
    path.join(histories, 'merchant-v4-payment-url-continued-as-new.json')]);
  assert.equal(status, 0, out);
  assert.match(out, /ok {4}deliverCallback-v2-gerencianet-exhausted-resent-delivered\.json: 46 events/);
  assert.match(out, /ok {4}merchant-v4-payment-url-continued-as-new\.json: 70 events/);
});

test('D6: tctl\'s JSON (enums in PascalCase) replays too', () => {
  // tctl could not be built here (the Go module proxy refuses github.com/temporalio/tctl), so its format is
  // reproduced from a CLI export: tctl writes enum values as `WorkflowExecutionStarted`, `Normal`, `RetryPolicyNotSet`.
  const tctlStyle = variant('tctl-exhausted.json', 'deliverCallback-v1-gerencianet-exhausted-deactivates.json', (text) =>
    text.replace(/"(EVENT_TYPE|TASK_QUEUE_KIND|RETRY_STATE|APPLICATION_ERROR_CATEGORY)_([A-Z0-9_]+)"/g, (_, _prefix, rest: string) =>
      `"${rest.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join('')}"`));
  assert.match(readFileSync(tctlStyle, 'utf8'), /"eventType": "WorkflowExecutionStarted"/);
  const { status, out } = replay([tctlStyle]);
  assert.equal(status, 0, out);
  assert.match(out, /ok {4}tctl-exhausted\.json: 68 events/);
});

test('D6: a history the current code would not reproduce exits 1 with the divergence', () => {
  // As if the code now scheduled another activity where the recorded run uploaded the return file.
  const diverging = variant('diverging.json', 'returnProtocolPoll-v1-upload-processing-paid.json',
    (text) => text.replace('"name": "uploadReturnFile"', '"name": "uploadRemessa"'));
  const { status, out } = replay([path.join(histories, 'debtQuery-v4-debts-found.json'), diverging]);
  assert.equal(status, 1, out);
  assert.match(out, /ok {4}debtQuery-v4-debts-found\.json/);
  assert.match(out, /FAIL {2}diverging\.json: 32 events; the current workflow code diverges:\n.*DeterminismViolationError.*uploadRemessa.*uploadReturnFile/);
});

test('D6: --workflow-id fetches the history from Temporal; a wrong key or usage is said plainly', async () => {
  await stack.as('loja-replay');
  const env = { TEMPORAL_ADDRESS: stack.address };
  const fetched = replay(['--workflow-id', merchantWorkflowId('loja-replay')], env);
  assert.equal(fetched.status, 0, fetched.out);
  assert.match(fetched.out, /ok {4}merchant\.loja-replay: \d+ events/);
  const otherKey = `other=${Buffer.alloc(32, 'another key').toString('base64')}`;
  const wrongKey = replay(['--workflow-id', merchantWorkflowId('loja-replay')], { ...env, PAYLOAD_ENCRYPTION_KEYS: otherKey });
  assert.equal(wrongKey.status, 2, wrongKey.out);
  assert.match(wrongKey.out, /SKIP {2}merchant\.loja-replay: encrypted with "test1", which PAYLOAD_ENCRYPTION_KEYS does not list/);
  const usage = replay([]);
  assert.equal(usage.status, 2);
  assert.match(usage.out, /usage: npm run replay/);
  const missing = replay(['--workflow-id', 'merchant.nobody'], env);
  assert.equal(missing.status, 2);
  assert.match(missing.out, /not found/i);
});
