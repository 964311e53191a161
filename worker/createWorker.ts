// The worker that runs Arauto's workflows and activities, shared by `npm start`, the tests and the benchmarks.
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createMailer } from '../lib/mailer';
import { sdkLogger } from '../lib/log';
import { requiredKey, temporalConnectionOptions, type Config, type WorkerTuning } from '../lib/config';
import { AddressPolicy } from '../lib/outbound';
import { dataConverterOf } from '../lib/payloadCodec';
import type { SdkMetrics } from './sdkMetrics';
import { tracingClientInterceptors, tracingWorkerOptions } from '../lib/tracing';

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  tuning?: WorkerTuning;
  /** Encrypts payloads (lib/payloadCodec.ts); the same as the clients'. */
  dataConverter: DataConverter;
}

export async function createWorker({
  connection, namespace, taskQueue, tuning, dataConverter, ...deps
}: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    dataConverter,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(deps),
    ...tuning,
    ...tracingWorkerOptions(), // nothing unless tracing is on (lib/tracing.ts)
  });
}

/**
 * Once per process that runs a worker, after setLogLevel: the SDK's lines (worker, workflows, activities, and its
 * native core's, forwarded) in Arauto's log format; WARN and up unless LOG_LEVEL=debug (lib/log.ts, sdkLogger).
 * With `sdk`, Core exports its metrics too (worker/sdkMetrics.ts).
 */
export function installWorkerRuntime(config: Config, sdk?: SdkMetrics): void {
  Runtime.install({
    logger: sdkLogger(config.LOG_LEVEL),
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...sdk?.telemetryOptions,
    },
  });
}

/** What the activities of a worker process need: a client of their own (endpoint status, signals) and the mailer. */
export async function connectActivityDeps(config: Config): Promise<ActivityDeps & { close(): Promise<void> }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({
    connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterOf(config), interceptors: tracingClientInterceptors(),
  });
  return { ...activityDepsOf(config, client), close: () => connection.close() };
}

/** The activities' needs around an existing client (a process that runs the API and a worker shares one). */
export function activityDepsOf(config: Config, client: Client): ActivityDeps {
  return {
    client,
    mailer: createMailer(config),
    addressPolicy: AddressPolicy.allowing(config.CALLBACK_ALLOWED_NETWORKS),
    webhookSigningKey: requiredKey(config, 'WEBHOOK_SIGNING_KEY'),
    publicApiUrl: config.PUBLIC_API_URL,
    config,
    ...plugboletoDepsOf(config),
  };
}

/** PlugBoleto's URL and credentials (PLUGBOLETO_*), when configured. */
export function plugboletoDepsOf(config: Config): Pick<ActivityDeps, 'plugboleto'> {
  return config.PLUGBOLETO_BASE_URL
    ? { plugboleto: { baseUrl: config.PLUGBOLETO_BASE_URL, credentials: config.PLUGBOLETO_CREDENTIALS } }
    : {};
}

/** The effective settings of a running worker, for logs and benchmark reports. */
export function describeTuning(worker: Worker): WorkerTuning {
  const o = worker.options;
  // The SDK compiles the maxConcurrent* options into fixed-size slot suppliers.
  const slots = (supplier: unknown) => (supplier as { numSlots?: number } | undefined)?.numSlots;
  return {
    maxConcurrentActivityTaskExecutions: slots(o.tuner.activityTaskSlotSupplier),
    maxConcurrentLocalActivityExecutions: slots(o.tuner.localActivityTaskSlotSupplier),
    maxConcurrentWorkflowTaskExecutions: slots(o.tuner.workflowTaskSlotSupplier),
    maxCachedWorkflows: o.maxCachedWorkflows,
  };
}
