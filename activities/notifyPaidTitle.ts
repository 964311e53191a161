// P6 → G1: a title a bank return file shows paid becomes a payment-confirmed notification to the account's URL,
// raised exactly as the REST trigger raises one (same token, same delivery id: raising it twice sends it once).
import type { Client } from '@temporalio/client';
import { raiseChargeStatusChange } from '../notifications/chargeStatusChanges';
import type { Config } from '../lib/config';

export interface PaidTitle {
  merchantId: string;
  idIntegracao: string;
}

export function createNotifyPaidTitle(client: Client, config: Config) {
  return async function notifyPaidTitle({ merchantId, idIntegracao }: PaidTitle): Promise<{ deliveryId: string; duplicate: boolean }> {
    const { deliveryId, duplicate } = await raiseChargeStatusChange({ client, config }, merchantId, idIntegracao, {
      currentStatus: 'paid', eventId: 'retorno',
    });
    return { deliveryId, duplicate };
  };
}
