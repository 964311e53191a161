// I1, I2: one payment per clientRequestId of an account. The workflow id is derived from both; the API starts it
// with USE_EXISTING (while running) and REJECT_DUPLICATE (once closed), so every repeat meets this same execution
// inside the engine, and the request digest in its memo tells a repeat from a conflicting reuse of the key.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PaymentOrder } from '../activities/payDebt';

/** Memo key: the digest of the request that first used the key. */
export const PAYMENT_DIGEST_MEMO = 'requestDigest';

export interface PaymentInput extends PaymentOrder {
  /** Arauto's paymentId, derived from account and key (the same answer to every repeat, byte for byte). */
  paymentId: string;
}

export interface PaymentOutcome {
  paymentId: string;
  providerPaymentId: string;
}

const { payDebt } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' }, // the provider honours the key: safe to retry
});

export function paymentWorkflowId(merchantId: string, clientRequestId: string): string {
  return `payment.${merchantId}.${clientRequestId}`;
}

export async function idempotentPayment(input: PaymentInput): Promise<PaymentOutcome> {
  const { providerPaymentId } = await payDebt({
    merchantId: input.merchantId, clientRequestId: input.clientRequestId, request: input.request,
  });
  // (the receipt webhook through the delivery engine, I1/I2, is the next step: not built yet)
  return { paymentId: input.paymentId, providerPaymentId };
}
