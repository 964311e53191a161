// Bench worker process: Arauto's worker plus, with the same settings, the no-op worker of the engine bound.
// Run as a child so its memory is measured apart from the load generator.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig, temporalConnectionOptions, workerTuning } from '../lib/config';
import { dataConverterOf } from '../lib/payloadCodec';
import { connectActivityDeps, createWorker, describeTuning } from '../worker/createWorker';
import * as noopActivities from './noopActivities';
import { NOOP_TASK_QUEUE } from './noopActivities';



async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const tuning = workerTuning(config);
  const deps = await connectActivityDeps(config);
  const dataConverter = dataConverterOf(config);
  const arauto = await createWorker({
    dataConverter,
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, tuning, ...deps,
  });
  const noop = await Worker.create({
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: NOOP_TASK_QUEUE,
    workflowsPath: require.resolve('./noopWorkflow'), activities: noopActivities, dataConverter, ...tuning,
  });
  process.send?.({ ready: true, tuning: describeTuning(arauto) });
  await Promise.all([arauto.run(), noop.run()]);
  await deps.close();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
