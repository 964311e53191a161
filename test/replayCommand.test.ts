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

test('D6: files exported by the Temporal CLI and by tctl replay, exit 0', () => {
  // The last one is tctl's JSON (enums in PascalCase), recorded with the real tctl (test/tctlReplay.test.ts exports
  // fresh ones where tctl is provisioned).
  const { status, out } = replay([path.join(histories, 'deliverCallback-v2-gerencianet-exhausted-resent-delivered.json'),
    path.join(histories, 'merchant-v4-payment-url-continued-as-new.json'),
    path.join(histories, 'deliverCallback-v5-gerencianet-exhausted-resent-delivered-tctl.json')]);
  assert.equal(status, 0, out);
  assert.match(out, /ok {4}deliverCallback-v2-gerencianet-exhausted-resent-delivered\.json: 46 events/);
  assert.match(out, /ok {4}merchant-v4-payment-url-continued-as-new\.json: 70 events/);
  assert.match(out, /ok {4}deliverCallback-v5-gerencianet-exhausted-resent-delivered-tctl\.json: 109 events/);
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
