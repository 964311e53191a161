// The API and a worker in this process against a real dev server (or TEMPORAL_ADDRESS): what tests that
// need features the time-skipping server lacks (async updates) run on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createAccount } from '../../api/accounts';
import { createApp } from '../../api/app';
import { createMailer } from '../../lib/mailer';
import { requiredKey, type Config } from '../../lib/config';
import { AddressPolicy } from '../../lib/outbound';
import { prepareNamespace } from '../../lib/namespace';
import { dataConverterOf } from '../../lib/payloadCodec';
import { existingOrDevServer, startDevServer } from '../../lib/temporalServers';
import { freePort } from '../../lib/freePort';
import { tracingClientInterceptors } from '../../lib/tracing';
import { createWorker, plugboletoDepsOf } from '../../worker/createWorker';
import { apiCall } from './apiCall';

export interface Account {
  merchantId: string;
  apiKey: string;
  clientId: string;
  clientSecret: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** A charge of the account paid (G1): one notification; its delivery id. */
export async function paidCharge(account: Account, chargeId: number | string): Promise<string> {
  const res = await account.call('POST', `/v1/merchants/${account.merchantId}/charges/${chargeId}/status-changes`, { currentStatus: 'paid' });
  if (res.status !== 202) throw new Error(`charge ${chargeId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.deliveryId;
}

/** Charges 0…count-1 of the account paid (G1), one notification each; their delivery ids. */
export async function paidCharges(account: Account, count: number): Promise<string[]> {
  const deliveryIds: string[] = [];
  for (let i = 0; i < count; i++) deliveryIds.push(await paidCharge(account, i));
  return deliveryIds;
}

export interface DevStack {
  /** The Temporal frontend, for processes a test starts itself (e.g. a worker to kill). */
  address: string;
  client: Client;
  /** The API's base URL. */
  base: string;
  /** The Web UI's origin, with `ui: true`. */
  uiUrl?: string;
  /** JSON in, status and parsed body out (text when the answer is not JSON); no credentials. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Creates the account (operator bootstrap) and calls as it, with its API key. */
  as(merchantId: string, notificationEmail?: string): Promise<Account>;
  stop(): Promise<void>;
}

/**
 * `worker: false`: no worker in this process (the test runs its own, e.g. one it kills).
 * `ui: true`: a dev server of its own (even with TEMPORAL_ADDRESS set) with the Web UI, which decodes payloads through
 * this API's /codec; TEMPORAL_UI_URL becomes the UI's origin so that /codec answers it (CORS).
 * `dynamicConfig`: a dev server of its own with these `KEY=VALUE` settings (e.g. a low continue-as-new threshold).
 * `dbFile`: a dev server of its own keeping its data in this SQLite file (whose raw bytes a test can search).
 */
export async function startDevStack(
  config: Config,
  { worker: withWorker = true, ui = false, dynamicConfig = [] as string[], dbFile = undefined as string | undefined } = {},
): Promise<DevStack> {
  // Listening first: the Web UI is told where /codec is before the app exists.
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const uiUrl = ui ? `http://127.0.0.1:${await freePort()}` : undefined;
  if (uiUrl) config = { ...config, TEMPORAL_UI_URL: uiUrl };
  const temporal = uiUrl || dynamicConfig.length > 0 || dbFile
    ? await startDevServer({
      port: await freePort(), dynamicConfig, dbFile,
      ...(uiUrl ? { uiPort: Number(new URL(uiUrl).port), uiCodecEndpoint: `${base}/codec` } : {}),
    })
    : await existingOrDevServer();
  const native = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const dataConverter = dataConverterOf(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter, interceptors: tracingClientInterceptors() });
  await prepareNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
  const worker = withWorker
    ? await createWorker({
      connection: native, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE,
      client, mailer: createMailer(config), addressPolicy: AddressPolicy.allowing(config.CALLBACK_ALLOWED_NETWORKS),
      webhookSigningKey: requiredKey(config, 'WEBHOOK_SIGNING_KEY'), dataConverter, config, ...plugboletoDepsOf(config),
    })
    : undefined;
  const workerRun = worker ? worker.run().finally(() => native.close()) : native.close();
  server.on('request', createApp({ client, config }));
  return {
    address: temporal.address,
    client,
    base,
    uiUrl,
    call: (method, path, body) => apiCall(base, method, path, body),
    async as(merchantId, notificationEmail) {
      const [oauth, key] = await createAccount({ client, config }, merchantId, notificationEmail);
      const authorization = `Bearer ${key.secret}`;
      return {
        merchantId, apiKey: key.secret, clientId: oauth.clientId!, clientSecret: oauth.secret,
        call: (method, path, body) => apiCall(base, method, path, body, { authorization }),
      };
    },
    async stop() {
      server.close();
      await connection.close();
      worker?.shutdown();
      await workerRun;
      await temporal.stop();
    },
  };
}
