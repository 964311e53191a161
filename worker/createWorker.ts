// The worker that runs Arauto's workflows and activities, shared by `npm start`, the tests and the benchmarks.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from '../activities';

/** Worker capacity knobs (WORKER_* settings); unset ones keep the SDK's defaults. */
export interface WorkerTuning {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxCachedWorkflows?: number;
}

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  tuning?: WorkerTuning;
}

export async function createWorker({ connection, namespace, taskQueue, tuning }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
    ...tuning,
  });
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
