// The API and a worker in this process against a real dev server (or TEMPORAL_ADDRESS): what tests that
// need features the time-skipping server lacks (async updates) run on.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createMailer } from '../../activities/sendDeactivationEmail';
import type { Config } from '../../lib/config';
import { existingOrDevServer } from '../../lib/temporalServers';
import { createWorker } from '../../worker/createWorker';

export interface DevStack {
  client: Client;
  /** The API's base URL. */
  base: string;
  /** JSON in, status and parsed body out (text when the answer is not JSON). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startDevStack(config: Config): Promise<DevStack> {
  const temporal = await existingOrDevServer();
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection: native, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE,
    client, mailer: createMailer(config),
  });
  const workerRun = worker.run().finally(() => native.close());
  const server: Server = createApp({ client, config }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    client,
    base,
    async call(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    },
    async stop() {
      server.close();
      await connection.close();
      worker.shutdown();
      await workerRun;
      await temporal.stop();
    },
  };
}
