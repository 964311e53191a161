// I3: one vehicle debt query at the payment provider, under the account's clientRequestId (namespaced by account,
// so two accounts may use the same key).
import { ApplicationFailure } from '@temporalio/common';

export interface DebtQueryRequest {
  merchantId: string;
  clientRequestId: string;
  licensePlate: string;
  renavam: string;
  state: string;
}

export interface DebtQueryResult {
  transactionId: number;
  errorCode: '000';
  message: string;
  debts: { debtId: string; description: string; amount: number; dueDate: string; year: number }[];
}

export function createConsultVehicleDebts(baseUrl: string | undefined) {
  return async function consultVehicleDebts(request: DebtQueryRequest): Promise<DebtQueryResult> {
    if (!baseUrl) throw ApplicationFailure.nonRetryable('PAYMENTS_BASE_URL is not configured', 'PaymentsNotConfigured');
    const { merchantId, clientRequestId, ...vehicle } = request;
    const response = await fetch(`${baseUrl}/v5/transactions/vehicledebts/consult`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientRequestId: `${merchantId}.${clientRequestId}`, ...vehicle }),
      signal: AbortSignal.timeout(20_000),
    });
    if (response.status >= 500) throw new Error(`provider answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?.errorCode === '822') {
      // Only a retry of this very activity can meet it (Arauto refuses repeated keys before they leave): the provider
      // ran the query but its answer was lost, and it never answers a key twice.
      throw ApplicationFailure.nonRetryable(
        'the provider ran this query but its answer was lost; query again with a new clientRequestId', 'DebtQueryAnswerLost',
      );
    }
    if (body?.errorCode !== '000') {
      throw ApplicationFailure.nonRetryable(String(body?.message ?? `HTTP ${response.status}`), 'DebtQueryRefused');
    }
    return { transactionId: body.transactionId, errorCode: '000', message: body.message, debts: body.debts ?? [] };
  };
}
