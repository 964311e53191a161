// The payment workflow's contract (workflows/idempotentPayment.ts): its id, input, request signal, memo and outcome,
// for the API to use without importing its implementation.
import { defineSignal } from '@temporalio/workflow';
import type { PaymentOrder } from '../../activities/payDebt';
import type { PaymentReceipt } from '../../providers/paymentReceipts';

/** The workflow's type name, as the worker registers it (workflows/index.ts). */
export const IDEMPOTENT_PAYMENT_WORKFLOW = 'idempotentPayment';
export type IdempotentPaymentWorkflow = (input: PaymentInput) => Promise<PaymentOutcome>;

/** Memo key: the digest of the request that first used the key. */
export const PAYMENT_DIGEST_MEMO = 'requestDigest';

export interface PaymentInput extends PaymentOrder {
  /** Arauto's paymentId, derived from account and key (the same answer to every repeat, byte for byte). */
  paymentId: string;
  /** Digest of the request's body: a signal under the same key with another body is not a repeat. */
  requestDigest: string;
}

export interface PaymentRequested {
  /** Names the receipt delivery that answers this request. */
  requestId: string;
  requestDigest: string;
}
/** Every request for the payment, the first included: each is answered by a receipt (I2). */
export const paymentRequestedSignal = defineSignal<[PaymentRequested]>('paymentRequested');

export interface PaymentOutcome {
  paymentId: string;
  providerPaymentId: string;
  receipt: PaymentReceipt;
  /** Receipt deliveries raised; requests that came while the payment was processing share the first one. */
  receiptDeliveries: string[];
  /** Why no receipt could be raised (no paymentWebhookUrl registered); a repeat raises one once there is. */
  receiptNotSent?: string;
}

export function paymentWorkflowId(merchantId: string, clientRequestId: string): string {
  return `payment.${merchantId}.${clientRequestId}`;
}
