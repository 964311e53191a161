// I1, I2: the receipt to the account's webhook URL, as a delivery with its own retries and log.
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../lib/config';
import { NotRegistered } from '../notifications/errors';
import { raisePaymentReceipt } from '../notifications/paymentReceipts';
import type { PaymentReceipt } from '../providers/paymentReceipts';

export interface ReceiptOrder {
  merchantId: string;
  event: PaymentReceipt;
  /** The request this receipt answers (its delivery id names it). */
  requestId: string;
}

export function createSendPaymentReceipt(client: Client, config: Config) {
  return async function sendPaymentReceipt({ merchantId, event, requestId }: ReceiptOrder): Promise<{ deliveryId: string }> {
    try {
      return await raisePaymentReceipt({ client, config }, merchantId, event, requestId);
    } catch (err) {
      // No paymentWebhookUrl (cleared since the request): nothing to send to; a repeat once one is registered sends it.
      if (err instanceof NotRegistered) throw ApplicationFailure.nonRetryable(err.message, 'NoReceiptUrl');
      throw err;
    }
  };
}
