// API process: `npm run api` (started for you by `npm start`).
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, required, temporalConnectionOptions, workerTuning, type Config } from '../lib/config';
import { log, setLogLevel } from '../lib/log';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { activityDepsOf, createWorker, describeTuning, installWorkerRuntime } from '../worker/createWorker';
import { createApp } from './app';
import { apiConnection } from './temporalAway';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL, config.LOG_FORMAT);
  required(config, 'ACCESS_TOKEN_KEY'); // fail at start, not at the first token
  // Lazy and quick to give up: /healthz and the routes answer 503 while Temporal is coming up or away. A worker
  // needs a native connection at once (a process with one restarts until Temporal answers).
  if (config.API_RUNS_WORKER) installWorkerRuntime(config); // before the native connection creates the runtime
  const connection = config.API_RUNS_WORKER
    ? await NativeConnection.connect(temporalConnectionOptions(config))
    : apiConnection(config);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config) });
  const worker = config.API_RUNS_WORKER ? await workerBeside(client, connection as NativeConnection, config) : undefined;
  const server = createApp({ client, config }).listen(config.PORT, () =>
    log.info('api listening', { url: `http://localhost:${config.PORT}`, docs: `http://localhost:${config.PORT}/docs` }),
  );
  void prepareInBackground(client, config);
  const stop = () => {
    server.close(() => {
      // The worker drains on its own signal handlers (Worker.run's); the connection is closed after it.
      void (worker?.stopped ?? Promise.resolve()).then(() => connection.close()).finally(() => log.info('api stopped'));
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
