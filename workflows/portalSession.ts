// A merchant's portal session: open from sign-in until it expires (or is terminated by a sign-out). The API checks
// that the run is open on every portal request.
import { sleep } from '@temporalio/workflow';
import type { PortalSessionStart } from './contracts/portalSession';

export async function portalSession({ lifetimeMs }: PortalSessionStart): Promise<void> {
  await sleep(lifetimeMs);
}
