// I1: the payment at the provider, under the account's clientRequestId (prefixed by the account), which the
// provider honours: an activity retry after a lost answer gets the same payment back, never a second one.
import { ApplicationFailure } from '@temporalio/common';

export interface PaymentRequest {
  debtId: string;
  amount: number;
  licensePlate: string;
  renavam: string;
  state: string;
}

export interface PaymentOrder {
  merchantId: string;
  clientRequestId: string;
  request: PaymentRequest;
}

export function createPayDebt(baseUrl: string | undefined) {
  return async function payDebt({ merchantId, clientRequestId, request }: PaymentOrder): Promise<{ providerPaymentId: string }> {
    if (!baseUrl) throw ApplicationFailure.nonRetryable('PAYMENTS_BASE_URL is not configured', 'PaymentsNotConfigured');
    const response = await fetch(`${baseUrl}/v5/transactions/vehicledebts/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientRequestId: `${merchantId}.${clientRequestId}`, ...request }),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status >= 500) throw new Error(`provider answered HTTP ${response.status}`); // retried, same key
    const body: any = await response.json();
    if (body?.errorCode !== '000') {
      throw ApplicationFailure.nonRetryable(String(body?.message ?? `HTTP ${response.status}`), 'PaymentRefused');
    }
    return { providerPaymentId: String(body.paymentId) };
  };
}
