// Worker process: `npm run worker` (started for you by `npm start`).
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, temporalConnectionOptions, workerTuning } from '../lib/config';
import { log, setLogLevel } from '../lib/log';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { retryDivisorNote } from '../lib/retryDivisorNote';
import { connectActivityDeps, createWorker, describeTuning, installWorkerRuntime } from './createWorker';
import { serveHealth } from './health';
import { serveMetrics } from '../lib/metricsServer';
import { sdkMetrics } from './sdkMetrics';
import { startTracing, stopTracing } from '../lib/tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL, config.LOG_FORMAT);
  const sdk = config.WORKER_METRICS_PORT ? await sdkMetrics() : undefined;
  installWorkerRuntime(config, sdk);
  startTracing(config, 'arauto-worker'); // before the clients and the worker that it instruments
  const note = retryDivisorNote(config);
  if (note) log.warn(note);
  const options = temporalConnectionOptions(config);
  const connection = await NativeConnection.connect(options);
  const deps = await connectActivityDeps(config);
  const setup = await prepareNamespace(deps.client.connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_RETENTION_DAYS);
  log.info('namespace ready', { namespace: config.TEMPORAL_NAMESPACE, ...setup });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    tuning: workerTuning(config),
    dataConverter: dataConverterOf(config),
    ...deps,
  });
  // Health first, then the line operators and tests wait for, then the polling it announces.
  const health = config.WORKER_HEALTH_PORT ? await serveHealth(worker, config.WORKER_HEALTH_PORT) : undefined;
  const metrics = config.WORKER_METRICS_PORT
    ? await serveMetrics(config.WORKER_METRICS_PORT, { sdkMetricsUrl: sdk?.url }) : undefined;
  const running = worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks are done
  log.info('worker polling', {
    address: options.address, tls: Boolean(options.tls), apiKey: options.apiKey ? 'set' : 'unset', namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, ...describeTuning(worker),
    mail: deps.mailer.via, metricsPort: config.WORKER_METRICS_PORT ?? 'off',
  });
  await running;
  health?.close();
  metrics?.close();
  await deps.close();
  await connection.close();
  await stopTracing(); // exports what is buffered
  log.info('worker stopped');
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
