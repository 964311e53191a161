// API process: `npm run api` (started for you by `npm start`).
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, required, temporalConnectionOptions, workerTuning, type Config } from '../lib/config';
import { log, setLogLevel } from '../lib/log';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { activityDepsOf, createWorker, describeTuning, installWorkerRuntime } from '../worker/createWorker';
import { serveMetrics } from '../lib/metricsServer';
import { sdkMetrics } from '../worker/sdkMetrics';
import { createApp } from './app';
import { registerDeliveryGauges } from './deliveryGauges';
import { apiConnection } from './temporalAway';
import { startTracing, stopTracing, tracingClientInterceptors } from '../lib/tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL, config.LOG_FORMAT);
  required(config, 'ACCESS_TOKEN_KEY'); // fail at start, not at the first token
  startTracing(config, 'arauto-api'); // before the client it instruments
  // Lazy and quick to give up: /healthz and the routes answer 503 while Temporal is coming up or away. A worker
  // needs a native connection at once (a process with one restarts until Temporal answers).
  const sdk = config.API_RUNS_WORKER && config.API_METRICS_PORT ? await sdkMetrics() : undefined;
  if (config.API_RUNS_WORKER) installWorkerRuntime(config, sdk); // before the native connection creates the runtime
  const connection = config.API_RUNS_WORKER
    ? await NativeConnection.connect(temporalConnectionOptions(config))
    : apiConnection(config);
  const client = new Client({
    connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config), interceptors: tracingClientInterceptors(),
  });
  const worker = config.API_RUNS_WORKER ? await workerBeside(client, connection as NativeConnection, config) : undefined;
  const server = createApp({ client, config }).listen(config.PORT, () =>
    log.info('api listening', { url: `http://localhost:${config.PORT}`, docs: `http://localhost:${config.PORT}/docs` }),
  );
  void prepareInBackground(client, config);
  if (config.API_METRICS_PORT) registerDeliveryGauges({ client, config });
  const metrics = config.API_METRICS_PORT
    ? await serveMetrics(config.API_METRICS_PORT, { sdkMetricsUrl: sdk?.url }) : undefined;
  const stop = () => {
    metrics?.close();
    server.close(() => {
      // The worker drains on its own signal handlers (Worker.run's); the connection is closed after it.
      void (worker?.stopped ?? Promise.resolve()).then(() => connection.close()).then(stopTracing).finally(() => log.info('api stopped'));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** API_RUNS_WORKER: a worker on the API's connection, whose workflows start eagerly; polling once this resolves. */
async function workerBeside(client: Client, connection: NativeConnection, config: Config): Promise<{ stopped: Promise<void> }> {
  const worker = await createWorker({
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, tuning: workerTuning(config),
    dataConverter: client.options.dataConverter, ...activityDepsOf(config, client),
  });
  const stopped = worker.run(); // until SIGINT/SIGTERM (the SDK's own handlers), once in-flight tasks are done
  log.info('worker polling', { taskQueue: config.TEMPORAL_TASK_QUEUE, inApiProcess: true, ...describeTuning(worker) });
  return { stopped };
}

/**
 * The worker prepares the namespace too; this covers an API started first (a trigger would otherwise be
 * refused, 503, until the search attributes exist). Retried until Temporal answers.
 */
async function prepareInBackground(client: Client, config: Config): Promise<void> {
  for (;;) {
    try {
      const setup = await prepareNamespace(client.connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
      log.info('namespace ready', { namespace: config.TEMPORAL_NAMESPACE, ...setup });
      return;
    } catch (err) {
      log.warn('namespace not prepared yet; retrying', { error: (err as Error).message });
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
