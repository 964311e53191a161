// The time-skipping test server (provisioned Java server, else the SDK's download) with Arauto's worker.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { AddressPolicy } from '../../lib/outbound';
import { TEST_ENV, testConfig, testDataConverter } from './testConfig';
import type { PlugBoletoDeps } from '../../activities/pollReturnProtocol';
import { prepareNamespace } from '../../lib/namespace';
import { MISSING_SERVERS_HELP, timeSkippingExecutable } from '../../lib/temporalServers';
import { createMailer } from '../../lib/mailer';
import { createWorker } from '../../worker/createWorker';

export const TASK_QUEUE = 'arauto-test';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  worker: Worker;
  stop(): Promise<void>;
}

/** `smtpUrl`: where the deactivation e-mail goes (a test's SMTP catcher); unset, it is only logged. */
export async function startTimeSkippingStack(
  opts: { smtpUrl?: string; plugboleto?: PlugBoletoDeps } = {},
): Promise<TimeSkippingStack> {
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: timeSkippingExecutable() },
      client: { dataConverter: testDataConverter() },
    });
  } catch (err) {
    throw new Error(`${MISSING_SERVERS_HELP}\nCause: ${String(err)}`);
  }
  await prepareNamespace(env.client.connection, env.namespace ?? 'default', 0);
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    client: env.client,
    mailer: createMailer({ SMTP_URL: opts.smtpUrl, MAIL_FROM: 'Arauto <no-reply@arauto.test>' }),
    // The tests' receivers listen on loopback.
    addressPolicy: AddressPolicy.allowing([TEST_ENV.CALLBACK_ALLOWED_NETWORKS]),
    webhookSigningKey: Buffer.from(TEST_ENV.WEBHOOK_SIGNING_KEY, 'base64'),
    dataConverter: testDataConverter(),
    config: testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE }),
    ...(opts.plugboleto ? { plugboleto: opts.plugboleto } : {}),
  });
  const running = worker.run();
  return {
    env,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
