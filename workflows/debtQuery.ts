// I3: a vehicle debt query, run once per clientRequestId of an account. The workflow id is derived from both and
// started with REJECT_DUPLICATE, so a repeated key is refused by Temporal itself, for as long as the namespace
// keeps the closed workflow (TEMPORAL_RETENTION_DAYS), not by a check-then-act in the API.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DebtQueryRequest, DebtQueryResult } from '../activities/consultVehicleDebts';
// Its contract (id, type name) is workflows/contracts/debtQuery.ts.

const { consultVehicleDebts } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export async function debtQuery(request: DebtQueryRequest): Promise<DebtQueryResult> {
  return consultVehicleDebts(request);
}
