// Logs what the processes log, the way they do (LOG_LEVEL and LOG_FORMAT from the environment), for
// test/log.test.ts, which runs it as a child and reads its stdout and stderr.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { createPostCallback } from '../../activities/postCallback';
import { createReportEndpointExhausted } from '../../activities/reportEndpointExhausted';
import { loadConfig } from '../../lib/config';
import { log, setLogLevel } from '../../lib/log';
import { AddressPolicy } from '../../lib/outbound';
import { installWorkerRuntime } from '../../worker/createWorker';

export const TOKEN = 'token-secreto-do-lojista';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL, config.LOG_FORMAT);
  installWorkerRuntime(config);
  log.debug('a debug line', { deliveryId: 'd-1' });
  log.info('worker polling', { taskQueue: 'arauto', tls: false });
  // An attempt, as a delivery's workflow schedules it: refused before any connection (a loopback address).
  const activity = new MockActivityEnvironment({ workflowExecution: { workflowId: 'd-1', runId: 'r-1' } });
  const noClient = {} as Client;
  await activity.run(createPostCallback(noClient, AddressPolicy.allowing([]), Buffer.alloc(32)), {
    request: { url: `http://127.0.0.1:9/cb?token=${TOKEN}`, contentType: 'text/plain', body: 'x' }, timeoutMs: 1000, attempt: 2,
  });
  // A receiver that answers 200: that attempt's line is at debug.
  const receiver = createServer((_, res) => res.end()).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const { port } = receiver.address() as AddressInfo;
  await activity.run(createPostCallback(noClient, AddressPolicy.allowing(['127.0.0.0/8']), Buffer.alloc(32)), {
    request: { url: `http://127.0.0.1:${port}/cb?token=${TOKEN}`, contentType: 'text/plain', body: 'x' }, timeoutMs: 5000, attempt: 3,
  });
  const noMerchant = { workflow: { getHandle: () => ({ signal: async () => { throw new WorkflowNotFoundError('none', 'm', undefined); } }) } };
  await activity.run(createReportEndpointExhausted(noMerchant as unknown as Client), {
    deliveryId: 'd-1', merchantId: 'loja', endpointUrl: `https://loja.example:8443/cb?token=${TOKEN}`,
    deactivateOnExhaustion: true, lastErrors: ['HTTP 500'], attempt: 3,
  });
  // What the SDK logs when a delivery fails: its failure's details are the delivery's state, URL included.
  const failure = ApplicationFailure.nonRetryable('callback not received', 'DeliveryExhausted', { endpointUrl: `https://x/?token=${TOKEN}` });
  const sdk = Runtime.instance().logger;
  sdk.warn('Workflow failed', { sdkComponent: 'worker', workflowType: 'deliverCallback', workflowId: 'd-1', error: failure });
  sdk.info('an SDK info line', { sdkComponent: 'worker' });
  Runtime.instance().flushLogs(); // forwarded lines wait 100 ms in the SDK's buffer otherwise
  process.exit(0);
}

if (require.main === module) void main(); // not when test/log.test.ts imports TOKEN
