// The operator's guide (docs/operating.md), run with the Temporal CLI as written there (D6): a URL that died
// (G4) is reactivated with the `activateEndpoint` update (G6, D3), its failed notification resent with the `resend`
// signal (G8), and a delivered one reset to run again. Payloads are encrypted, so the CLI goes through the API's
// /codec, inputs and results included.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { TEMPORAL_CLI } from '../lib/temporalServers';
import type { DeliveryState } from '../workflows/contracts/deliverCallback';
import { merchantWorkflowId } from '../workflows/contracts/merchant';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

// gerencianet's hour of retries (G3) in three seconds.
const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-operator-cli-test', RETRY_DELAY_DIVISOR: '1200', CALLBACK_TIMEOUT_MS: '2000' });
const merchant = 'loja-operada';
let stack: DevStack;
let receiver: Receiver;
let shop: Account;

/** `temporal <args>` against the test's server, through the API's codec; the parsed JSON it prints. */
async function cli(...args: string[]): Promise<any> {
  const { stdout } = await promisify(execFile)(TEMPORAL_CLI, [...args, '--address', stack.address, '--output', 'json',
    '--codec-endpoint', `${stack.base}/codec`, '--codec-auth', `Bearer ${TEST_ENV.CODEC_AUTH_TOKEN}`]);
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}

before(async () => {
  receiver = await Receiver.start();
  stack = await startDevStack(config);
  shop = await stack.as(merchant);
  const put = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/n` });
  assert.equal(put.status, 200);
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
});

test('reactivate with an update, resend with a signal, both from the CLI', async () => {
  receiver.respond([], 500); // the merchant's server is down
  const charge = await shop.call('POST', `/v1/merchants/${merchant}/charges/77/status-changes`, { currentStatus: 'paid' });
  const deliveryId: string = charge.body.deliveryId;
  const delivery = stack.client.workflow.getHandle(deliveryId);
  // Ten attempts failed (G3): the URL is deactivated (G4) and the notification waits for a resend (G8).
  await eventually(async () => (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body.endpoints
    .gerencianetNotificationUrl.status, (s) => s === 'inactive');
  await eventually(() => delivery.query<DeliveryState>('deliveryState'), (s) => s.status === 'failed');

  receiver.respond([], 200); // back up
  const posted = receiver.requests.length;
  const activated = await cli('workflow', 'update', 'execute', '--workflow-id', merchantWorkflowId(merchant),
    '--name', 'activateEndpoint', '--input', JSON.stringify({ endpoint: 'gerencianetNotificationUrl', attemptTimeoutMs: 5000 }));
  assert.equal(activated.result.status, 'active', JSON.stringify(activated)); // decoded through /codec
  assert.equal(receiver.requests.length, posted + 1, 'the activation\'s test notification (G6)');

  await cli('workflow', 'signal', '--workflow-id', deliveryId, '--name', 'resend');
  const state: DeliveryState = await delivery.result();
  assert.equal(state.status, 'delivered');
  assert.equal(state.attempts.at(-1)!.statusCode, 200);
  assert.equal(state.attempts.length, 11, 'ten failed, then the resend\'s first attempt');
});

test('reset: a delivered notification runs again from its first workflow task (it is POSTed again)', async () => {
  receiver.respond([], 200);
  const charge = await shop.call('POST', `/v1/merchants/${merchant}/charges/78/status-changes`, { currentStatus: 'paid' });
  const deliveryId: string = charge.body.deliveryId;
  await stack.client.workflow.getHandle(deliveryId).result();
  const before = receiver.requestsTo('/n').length;

  const reset = await cli('workflow', 'reset', '--workflow-id', deliveryId, '--type', 'FirstWorkflowTask',
    '--reason', 'operator: the merchant lost this notification');
  const rerun = stack.client.workflow.getHandle(deliveryId, reset.runId);
  assert.equal((await rerun.result() as DeliveryState).status, 'delivered');
  assert.equal(receiver.requestsTo('/n').length, before + 1);
});
