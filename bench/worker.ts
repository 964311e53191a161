// Bench worker process: Arauto's worker plus, with the same settings, the no-op worker of the engine bound.
// Run as a child so its memory is measured apart from the load generator. With BENCH_API_IN_WORKER=true it is
// also the API process (API_RUNS_WORKER): the bench asks it over IPC for APIs and engine-bound runs, which start
// their workflows eagerly on its connection.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { loadConfig, temporalConnectionOptions, workerTuning, type Config } from '../lib/config';
import { setLogLevel } from '../lib/log';
import { serveMetrics } from '../lib/metricsServer';
import { sdkMetrics } from '../worker/sdkMetrics';
import { dataConverterOf } from '../lib/payloadCodec';
import { activityDepsOf, connectActivityDeps, createWorker, describeTuning, installWorkerRuntime } from '../worker/createWorker';
import * as noopActivities from './noopActivities';
import { NOOP_TASK_QUEUE } from './noopActivities';
import { closedLoop } from './stats';
import { startTracing, stopTracing, tracingClientInterceptors } from '../lib/tracing';

/** What the bench asks of a worker that is also the API. */
export type BenchRequest =
  | { type: 'api'; id: number; divisor: number; attemptTimeoutMs: number }
  | { type: 'bound'; id: number; workflowType: string; prefix: string; n: number; concurrency: number };

async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.LOG_LEVEL);
  const sdk = config.WORKER_METRICS_PORT ? await sdkMetrics() : undefined;
  installWorkerRuntime(config, sdk);
  const metrics = config.WORKER_METRICS_PORT ? await serveMetrics(config.WORKER_METRICS_PORT, { sdkMetricsUrl: sdk?.url }) : undefined;
  startTracing(config, apiInWorkerName()); // on with `--tracing` (OTEL_EXPORTER_OTLP_ENDPOINT)
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const tuning = workerTuning(config);
  const dataConverter = dataConverterOf(config);
  const apiInWorker = process.env.BENCH_API_IN_WORKER === 'true';
  // The API's client shares the worker's connection, as in api/main.ts with API_RUNS_WORKER.
  const client = apiInWorker
    ? new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter, interceptors: tracingClientInterceptors() })
    : undefined;
  const deps = client ? { ...activityDepsOf(config, client), close: async () => undefined } : await connectActivityDeps(config);
  const arauto = await createWorker({
    dataConverter,
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, tuning, ...deps,
  });
  const noop = await Worker.create({
    connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: NOOP_TASK_QUEUE,
    workflowsPath: require.resolve('./noopWorkflow'), activities: noopActivities, dataConverter, ...tuning,
  });
  const apis: Server[] = [];
  if (client) process.on('message', (request: BenchRequest) => void answer(client, config, request, apis));
  process.send?.({ ready: true, tuning: describeTuning(arauto) });
  await Promise.all([arauto.run(), noop.run()]);
  for (const api of apis) api.close();
  metrics?.close();
  process.disconnect?.();
  await deps.close();
  await connection.close();
  await stopTracing();
}

const apiInWorkerName = () => (process.env.BENCH_API_IN_WORKER === 'true' ? 'arauto-api' : 'arauto-worker');

async function answer(client: Client, config: Config, request: BenchRequest, apis: Server[]): Promise<void> {
  if (request.type === 'api') {
    const app = createApp({
      client, config: { ...config, RETRY_DELAY_DIVISOR: request.divisor, CALLBACK_TIMEOUT_MS: request.attemptTimeoutMs },
    }).listen(0, '127.0.0.1');
    apis.push(app);
    await new Promise((r) => app.once('listening', r));
    process.send?.({ id: request.id, url: `http://127.0.0.1:${(app.address() as AddressInfo).port}` });
  } else {
    const ms = await closedLoop(request.n, request.concurrency, async (i) => {
      await client.workflow.execute(request.workflowType, {
        taskQueue: NOOP_TASK_QUEUE, workflowId: `${request.prefix}-${i}`, requestEagerStart: true,
      });
    });
    process.send?.({ id: request.id, ms });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
