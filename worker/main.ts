// Worker process: `npm run worker` (started for you by `npm start`).
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, temporalConnectionOptions, workerTuning } from '../lib/config';
import { log, setLogLevel } from '../lib/log';
import { prepareNamespace } from '../lib/namespace';
import { dataConverterOf } from '../lib/payloadCodec';
import { retryDivisorNote } from '../lib/retryDivisorNote';
import { connectActivityDeps, createWorker, describeTuning, installWorkerRuntime } from './createWorker';
import { serveHealth } from './health';

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL, config.LOG_FORMAT);
  installWorkerRuntime(config);
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
  const running = worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks are done
  log.info('worker polling', {
    address: options.address, tls: Boolean(options.tls), apiKey: options.apiKey ? 'set' : 'unset', namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, ...describeTuning(worker),
    mail: deps.mailer.via,
  });
  await running;
  health?.close();
  await deps.close();
  await connection.close();
  log.info('worker stopped');
}

main().catch((err) => {
  log.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
