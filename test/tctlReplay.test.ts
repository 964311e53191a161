// D6 with the real tctl (issue 20): histories of real deliveries on a dev server, exported with
// `tctl workflow show --output_filename`, replay with `npm run replay` (exit 0); a history recorded by a worker
// running a changed schedule without patched() makes it exit 1. Skipped, saying why, when tctl could not be provisioned.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { activityDepsOf } from '../worker/createWorker';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { merchantWorkflowId } from '../workflows/contracts/merchant';
import { paidCharge, startDevStack, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { needsTctl, tctl, tctlSkip } from './support/tctl';
import { TEST_ENV, testConfig } from './support/testConfig';

const root = path.join(__dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'arauto-tctl-'));
// Gerencianet's hour of retries (G3) in three seconds.
const settings = { RETRY_DELAY_DIVISOR: '1200', CALLBACK_TIMEOUT_MS: '2000' };

/** `npm run replay -- <files>` as an operator runs it in the project folder: its exit code and output. */
async function npmReplay(files: string[]): Promise<{ status: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'replay', '--', ...files], {
      cwd: root, env: { ...process.env, ...TEST_ENV },
    });
    return { status: 0, out: stdout + stderr };
  } catch (err: any) {
    return { status: err.code, out: `${err.stdout}${err.stderr}` };
  }
}

/** The workflow's history exported by tctl into <tmp>/<name>.json. */
async function exportWithTctl(stack: DevStack, workflowId: string, name: string): Promise<string> {
  const file = path.join(tmp, `${name}.json`);
  await tctl(stack.address, 'workflow', 'show', '--workflow_id', workflowId, '--output_filename', file);
  return file;
}

const stateOf = (stack: DevStack, deliveryId: string) =>
  stack.client.workflow.getHandle(deliveryId).query<DeliveryState>('deliveryState');

describe('histories exported with tctl', () => {
  let receiver: Receiver;
  before(async () => { receiver = await Receiver.start(); });
  after(async () => {
    await receiver?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('a delivery sent at once, one exhausted then resent, one held, and their account replay (exit 0)', { skip: tctlSkip }, async () => {
    needsTctl();
    const stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-tctl-replay-test', ...settings }));
    try {
      const shop = await stack.as('loja-tctl');
      assert.equal((await shop.call('PUT', '/v1/merchants/loja-tctl/callback-urls', { gerencianetNotificationUrl: `${receiver.url}/n` })).status, 200);
      receiver.respond([], 200);
      const atOnce = await paidCharge(shop, 1);
      assert.equal((await stack.client.workflow.getHandle(atOnce).result() as DeliveryState).attempts.length, 1);

      receiver.respond([], 500); // ten attempts fail (G3): the URL is deactivated (G4)
      const resent = await paidCharge(shop, 2);
      await eventually(() => stateOf(stack, resent), (s) => s.status === 'failed');
      await eventually(async () => (await shop.call('GET', '/v1/merchants/loja-tctl/endpoints')).body.endpoints
        .gerencianetNotificationUrl.status, (s) => s === 'inactive');
      const held = await paidCharge(shop, 3); // raised while the URL is inactive: held (G5)
      await eventually(() => stateOf(stack, held), (s) => s.status === 'held');

      receiver.respond([], 200);
      const activation = await shop.call('POST', '/v1/merchants/loja-tctl/endpoints/gerencianetNotificationUrl/activation');
      assert.equal(activation.status, 200, JSON.stringify(activation.body));
      await stack.client.workflow.getHandle(resent).signal('resend'); // G8
      assert.equal((await stack.client.workflow.getHandle(resent).result() as DeliveryState).attempts.length, 11);

      const files = [
        await exportWithTctl(stack, atOnce, 'delivered-at-once'),
        await exportWithTctl(stack, resent, 'exhausted-resent'),
        await exportWithTctl(stack, held, 'held'),
        await exportWithTctl(stack, merchantWorkflowId('loja-tctl'), 'account'),
      ];
      // tctl's own JSON (enums in PascalCase), its payloads as stored: encrypted.
      const exported = readFileSync(files[1], 'utf8');
      assert.match(exported, /"eventType": "WorkflowExecutionStarted"/);
      assert.match(exported, /"encoding": "YmluYXJ5L2VuY3J5cHRlZA=="/); // binary/encrypted
      assert.match(readFileSync(files[3], 'utf8'), /"eventType": "WorkflowExecutionUpdateCompleted"/);

      const { status, out } = await npmReplay(files);
      assert.equal(status, 0, out);
      for (const name of ['delivered-at-once', 'exhausted-resent', 'held', 'account']) {
        assert.match(out, new RegExp(`ok {4}${name}\\.json: \\d+ events replay with the current workflow code`), out);
      }
    } finally {
      await stack.stop();
    }
  });

  test('a history recorded by a schedule changed without patched() fails the replay (exit 1)', { skip: tctlSkip }, async () => {
    needsTctl();
    const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-tctl-changed-test', ...settings });
    const stack = await startDevStack(config, { worker: false });
    const connection = await NativeConnection.connect({ address: stack.address });
    // One more retry appended to Gerencianet's schedule (test/support/scheduleEditedWorkflows.ts).
    const changed = await Worker.create({
      connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE,
      dataConverter: stack.client.options.dataConverter,
      workflowsPath: require.resolve('./support/scheduleEditedWorkflows'),
      activities: createActivities(activityDepsOf(config, stack.client)),
    });
    const running = changed.run();
    try {
      const shop = await stack.as('loja-alterada');
      await shop.call('PUT', '/v1/merchants/loja-alterada/callback-urls', { gerencianetNotificationUrl: `${receiver.url}/alterada` });
      receiver.respond([], 500);
      const deliveryId = await paidCharge(shop, 1);
      const failed = await eventually(() => stateOf(stack, deliveryId), (s) => s.status === 'failed');
      assert.equal(failed.attempts.length, 11, 'the changed schedule ran');

      const file = await exportWithTctl(stack, deliveryId, 'changed-schedule');
      const { status, out } = await npmReplay([file]);
      assert.equal(status, 1, out);
      assert.match(out, /FAIL {2}changed-schedule\.json: \d+ events; the current workflow code diverges:\n.*DeterminismViolationError/, out);
    } finally {
      changed.shutdown();
      await running;
      await connection.close();
      await stack.stop();
    }
  });
});
