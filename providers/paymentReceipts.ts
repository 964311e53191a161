// Payment receipts (seed 003, I1, I2): what a vehicle-debt payment settled, POSTed as JSON to the account's URL.
import { endpointKind, type Provider } from './provider';

/** Seed 003: what a vehicle-debt payment settled, as the provider's receipt shows it. */
export interface Receipt {
  licensePlate: string;
  renavam: string;
  state: string;
  description: string;
  debtId: string;
  amount: number;
  authentication: string;
  dueDate: string;
  /** The account's own key (not the one Arauto sends upstream). */
  clientRequestId: string;
  year: number;
  payDate: string;
}

/** I1, I2: a payment was processed; sent once for it and again for every later repeat of its request. */
export interface PaymentReceipt {
  type: 'receipt';
  paymentId: string;
  receipt: Receipt;
  occurredAt: string;
}

/** One delivery per request answered: the id names the payment and the request that asked for the receipt. */
export const receiptDeliveryIdOf = (paymentId: string, requestId: string) => `delivery.receipt.${paymentId}.${requestId}`;

export const paymentReceipts: Provider<PaymentReceipt, 'paymentWebhookUrl', 'celcoin'> = {
  // The name deliveries have always recorded.
  name: 'celcoin',
  // Seed 003 documents the receipt webhook but no schedule. Chosen: retried after 1, 4, 10, 20, 40 and 80 minutes
  // (attempts at 0, 1, 5, 15, 35, 75 and 155 minutes), any 2xx received, never deactivating: the account can
  // always ask for the receipt again by repeating its payment request (I2).
  profile: {
    retryDelaysMinutes: [1, 4, 10, 20, 40, 80],
    success: 'any-2xx',
    deactivateOnExhaustion: false,
  },
  endpoints: [endpointKind<PaymentReceipt, 'paymentWebhookUrl'>({
    endpoint: 'paymentWebhookUrl',
    eventType: 'receipt',
    about: 'where payment receipts go (seed 003)',
    title: { 'pt-BR': 'Recibos de pagamento', en: 'Payment receipts' },
    // Seed 003: the receipt as JSON, exactly the seed's fields.
    buildRequest: (url, event) => ({
      url,
      contentType: 'application/json',
      body: JSON.stringify({ type: event.type, paymentId: event.paymentId, receipt: event.receipt }),
    }),
    chargeIdOf: (event) => event.paymentId,
    changeOf: () => ({ previous: null, current: 'paid' }),
    describe: (event) => `Payment receipt ${event.paymentId}: ${event.receipt.description}, ${event.receipt.licensePlate}`,
    testEvent: (at) => ({
      type: 'receipt', paymentId: 'teste', occurredAt: at,
      receipt: {
        licensePlate: 'teste', renavam: 'teste', state: 'teste', description: 'teste', debtId: 'teste', amount: 0,
        authentication: 'teste', dueDate: at, clientRequestId: 'teste', year: 0, payDate: at,
      },
    }),
  })],
};
