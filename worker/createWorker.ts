// The worker that runs Arauto's workflows and activities, shared by `npm start` and the tests.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from '../activities';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
}

export async function createWorker({ connection, namespace, taskQueue }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities,
  });
}
