// API_RUNS_WORKER (issue 15, performance): `npm run api` with a worker of its own on its connection, the only
// worker of its task queue, runs the account and its deliveries, then stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createAccount } from '../api/accounts';
import { dataConverterOf } from '../lib/payloadCodec';
import { existingOrDevServer, type RunningServer } from '../lib/temporalServers';
import { freePort } from '../lib/freePort';
import { apiCall } from './support/apiCall';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

const TASK_QUEUE = `arauto-api-worker-${Date.now().toString(36)}`;
const merchant = `loja-api-worker-${Date.now().toString(36)}`;
const config = testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE });

let server: RunningServer;
let connection: Connection;
let receiver: Receiver;
let api: ChildProcess;
let base: string;

before(async () => {
  server = await existingOrDevServer();
  connection = await Connection.connect({ address: server.address });
  receiver = await Receiver.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../api/main.ts')], {
    env: {
      ...process.env, ...TEST_ENV, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, PORT: String(port),
      API_RUNS_WORKER: 'true', LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  while (!(output.includes('worker polling') && output.includes('api listening'))) {
    const [chunk] = await Promise.race([
      once(api.stdout!, 'data'),
      once(api, 'exit').then(() => { throw new Error(`the API exited before listening:\n${output}`); }),
    ]);
    output += String(chunk);
  }
  api.stdout!.resume();
}, { timeout: 300_000 }); // bounds a hung start only: the API must not wait on its worker to listen

after(async () => {
  if (api?.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
  await receiver?.stop();
  await connection?.close();
  await server?.stop();
});

test('the API process runs the account and its deliveries on its own worker, and stops cleanly', async () => {
  const client = new Client({ connection, dataConverter: dataConverterOf(config) });
  const [, key] = await createAccount({ client, config }, merchant);
  const auth = { authorization: `Bearer ${key.secret}` };
  const put = await apiCall(base, 'PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/api-worker`,
  }, auth);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const raised = await apiCall(base, 'POST', `/v1/merchants/${merchant}/charges/1/status-changes`, { currentStatus: 'paid' }, auth);
  assert.equal(raised.status, 202, JSON.stringify(raised.body));
  await receiver.waitFor('/api-worker', 1);
  const delivery = await eventually(
    () => apiCall(base, 'GET', `/v1/deliveries/${raised.body.deliveryId}`, undefined, auth),
    (res) => res.body?.status === 'delivered',
  );
  assert.deepEqual(delivery.body.attempts.map((a: any) => a.statusCode), [200]);

  api.kill('SIGTERM');
  const [code] = await once(api, 'exit');
  assert.equal(code, 0, 'the worker drained and the API closed');
});
