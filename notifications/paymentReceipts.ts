// I1, I2: a payment's receipt, raised as a notification to the account's paymentWebhookUrl through the delivery
// engine. Shared by the payment workflow (the first receipt, and repeats while it runs) and by the API (repeats
// after it closed), so both raise the same kind of delivery.
import type { Deps } from '../lib/deps';
import { receiptDeliveryIdOf, type PaymentReceipt } from '../providers/paymentReceipts';
import type { Triggered } from './deliveries';
import { raiseNotification } from './raise';

export async function raisePaymentReceipt(
  deps: Deps, merchantId: string, event: PaymentReceipt, requestId: string,
): Promise<Triggered> {
  return raiseNotification(deps, merchantId, event, () => receiptDeliveryIdOf(event.paymentId, requestId));
}
