// The engine bounds (scenario 1): one workflow running one no-op activity, as the issue defines the ceiling,
// and the same with a local activity, the shape of a delivery attempt (like for like).
// Workflow code: bundled by the bench worker.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type * as noopActivities from './noopActivities';

const { noop } = proxyActivities<typeof noopActivities>({ startToCloseTimeout: '1 minute' });
const local = proxyLocalActivities<typeof noopActivities>({ startToCloseTimeout: '1 minute' });

export async function noopWorkflow(): Promise<void> {
  await noop();
}

export async function noopLocalWorkflow(): Promise<void> {
  await local.noop();
}
