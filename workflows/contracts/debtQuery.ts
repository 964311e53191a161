// The debt query workflow's contract (workflows/debtQuery.ts): its id and type, for the API to start it without
// importing its implementation.
import type { DebtQueryRequest, DebtQueryResult } from '../../activities/consultVehicleDebts';

/** The workflow's type name, as the worker registers it (workflows/index.ts). */
export const DEBT_QUERY_WORKFLOW = 'debtQuery';
export type DebtQueryWorkflow = (request: DebtQueryRequest) => Promise<DebtQueryResult>;

export function debtQueryWorkflowId(merchantId: string, clientRequestId: string): string {
  return `debt-query.${merchantId}.${clientRequestId}`;
}
