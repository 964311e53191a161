// The engine bound (scenario 1): one workflow running one no-op activity. Workflow code: bundled by the bench worker.
import { proxyActivities } from '@temporalio/workflow';
import type * as noopActivities from './noopActivities';

const { noop } = proxyActivities<typeof noopActivities>({ startToCloseTimeout: '1 minute' });

export async function noopWorkflow(): Promise<void> {
  await noop();
}
