// I1: the provider processes a payment after answering it; this reads its receipt. One GET per attempt: the
// workflow's retry policy is the polling loop (as for return protocols), so a long wait costs no history.
import { ApplicationFailure } from '@temporalio/common';
import type { Receipt } from '../providers/paymentReceipts';

export interface ProviderPaymentRef {
  /** The account's own key: what the receipt shows the account (the provider knows the prefixed one). */
  clientRequestId: string;
  providerPaymentId: string;
}

/** Retryable: the payment is still being processed. */
export const PAYMENT_PROCESSING = 'PaymentProcessing';

export function createFetchPaymentReceipt(baseUrl: string | undefined) {
  return async function fetchPaymentReceipt({ clientRequestId, providerPaymentId }: ProviderPaymentRef): Promise<Receipt> {
    if (!baseUrl) throw ApplicationFailure.nonRetryable('PAYMENTS_BASE_URL is not configured', 'PaymentsNotConfigured');
    const response = await fetch(`${baseUrl}/v5/transactions/vehicledebts/payments/${encodeURIComponent(providerPaymentId)}`, {
      signal: AbortSignal.timeout(20_000),
    });
    if (response.status !== 200) throw new Error(`provider answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?.status !== 'CONFIRMED') {
      // BENIGN: the expected answer while waiting, logged at debug level, not as a failure.
      throw ApplicationFailure.create({ message: `payment ${body?.status ?? 'unknown'}`, type: PAYMENT_PROCESSING, category: 'BENIGN' });
    }
    const r = body.receipt;
    return {
      licensePlate: String(r.licensePlate), renavam: String(r.renavam), state: String(r.state),
      description: String(r.description), debtId: String(r.debtId), amount: Number(r.amount),
      authentication: String(r.authentication), dueDate: String(r.dueDate), clientRequestId, year: Number(r.year),
      payDate: String(r.payDate),
    };
  };
}
