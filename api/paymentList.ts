// I1, I2: an account's payments as the merchant asks about them — was it paid, did its receipt arrive? — read from
// Temporal visibility. A payment workflow carries the account and its paymentId (ArautoChargeId) as a delivery does,
// so the log's listing (api/notificationLog.ts) pages it, with the same sealed page tokens; each receipt is a
// delivery in the log of the account's paymentWebhookUrl under that paymentId.
import { WorkflowFailedError } from '@temporalio/client';
import type { Deps } from '../lib/deps';
import { IDEMPOTENT_PAYMENT_WORKFLOW, paymentWorkflowId, type PaymentOutcome } from '../workflows/contracts/idempotentPayment';
import { listNotifications, logQuery } from './notificationLog';

/** Receipt deliveries shown per payment: the most recent (a repeat of the request raises one more, I2). */
export const RECEIPTS_SHOWN = 10;

export interface ReceiptDelivery {
  deliveryId: string;
  /** The receiver answered as the endpoint's profile requires (the delivery completed). */
  sent: boolean;
  status: 'delivering' | 'delivered' | 'held' | 'failed';
  attempts: number;
  notifiedAt: string;
}

export interface PaymentRow {
  paymentId: string;
  clientRequestId: string;
  /** processing: the provider has not answered yet; done: paid and its receipt raised; failed: it never completed. */
  status: 'processing' | 'done' | 'failed';
  /** BRL, from the receipt: known once the payment is done. */
  amount: number | null;
  requestedAt: string;
  closedAt: string | null;
  /** Why the payment could not raise its receipt (no paymentWebhookUrl then). */
  receiptNotSent: string | null;
  receipts: ReceiptDelivery[];
}

/** One page of the account's payments: open ones first, then the most recently closed (SQL visibility's order). */
export async function listPayments(
  deps: Deps, merchantId: string, pageSize: number, pageToken?: string,
): Promise<{ payments: PaymentRow[]; nextPageToken: string | null }> {
  // merchantId matched idSchema ([A-Za-z0-9_-]): it cannot leave its quotes.
  const query = `WorkflowType = '${IDEMPOTENT_PAYMENT_WORKFLOW}' AND ArautoMerchant = '${merchantId}'`;
  const page = await listNotifications(deps, query, pageSize, pageToken);
  const payments = await Promise.all(page.notifications.map(async (run): Promise<PaymentRow> => {
    const status = run.sent ? 'done' : run.status === 'delivering' ? 'processing' : 'failed';
    const [outcome, receipts] = await Promise.all([
      status === 'done' ? outcomeOf(deps, run.deliveryId) : undefined,
      listNotifications(deps, logQuery(merchantId, 'paymentWebhookUrl', { chargeId: run.chargeId }), RECEIPTS_SHOWN),
    ]);
    return {
      paymentId: run.chargeId,
      clientRequestId: run.deliveryId.slice(paymentWorkflowId(merchantId, '').length),
      status,
      amount: outcome?.receipt.receipt.amount ?? null,
      requestedAt: run.notifiedAt,
      closedAt: run.closedAt,
      receiptNotSent: outcome?.receiptNotSent ?? null,
      receipts: receipts.notifications.map(({ deliveryId, sent, status, attempts, notifiedAt }) => ({
        deliveryId, sent, status, attempts, notifiedAt,
      })),
    };
  }));
  return { payments, nextPageToken: page.nextPageToken };
}

/** A closed payment's outcome (its close event only); undefined when the run failed after all. */
async function outcomeOf({ client }: Deps, workflowId: string): Promise<PaymentOutcome | undefined> {
  return client.workflow.getHandle(workflowId).result().catch((err: unknown) => {
    if (err instanceof WorkflowFailedError) return undefined;
    throw err;
  }) as Promise<PaymentOutcome | undefined>;
}
