// I1, I2: one payment per clientRequestId of an account. The workflow id is derived from both; the API
// signals-with-start it under REJECT_DUPLICATE, so every request (the first and each repeat) meets this same
// execution inside the engine as one `paymentRequested` signal, and a closed one is never run again.
// Its contract (id, input, request signal, memo, outcome) is workflows/contracts/idempotentPayment.ts.
import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { paymentRequestedSignal, type PaymentInput, type PaymentOutcome } from './contracts/idempotentPayment';

const { payDebt, sendPaymentReceipt } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' }, // the provider honours the key: safe to retry
});
// Polling for the receipt: one GET per attempt, the retry policy is the loop.
const { fetchPaymentReceipt } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 1.5, maximumInterval: '1 minute' },
});

export async function idempotentPayment(input: PaymentInput): Promise<PaymentOutcome> {
  const unanswered: string[] = [];
  setHandler(paymentRequestedSignal, ({ requestId, requestDigest }) => {
    if (requestDigest === input.requestDigest) unanswered.push(requestId);
  });

  const { providerPaymentId } = await payDebt({
    merchantId: input.merchantId, clientRequestId: input.clientRequestId, request: input.request,
  });
  const receipt = await fetchPaymentReceipt({ clientRequestId: input.clientRequestId, providerPaymentId });
  const outcome: PaymentOutcome = {
    paymentId: input.paymentId,
    providerPaymentId,
    receipt: { type: 'receipt', paymentId: input.paymentId, receipt, occurredAt: new Date().toISOString() },
    receiptDeliveries: [],
  };
  // Requests that came while processing are answered by one receipt; any that come while it is being raised get
  // their own. The engine cannot close the run over an unhandled signal, so none is left unanswered.
  do {
    const [requestId = 'first'] = unanswered.splice(0);
    try {
      const { deliveryId } = await sendPaymentReceipt({ merchantId: input.merchantId, event: outcome.receipt, requestId });
      outcome.receiptDeliveries.push(deliveryId);
    } catch (err) {
      if (!(err instanceof ActivityFailure && err.cause instanceof ApplicationFailure)) throw err;
      outcome.receiptNotSent = err.cause.message;
    }
  } while (unanswered.length > 0);
  return outcome;
}
