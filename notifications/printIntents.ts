// ControlPay print intents (C1, C7): a print intent passes through each status at most once, so each status reached
// is its own notification, and the intent's status is the latest one started (a sale intent's outcomes: ./saleIntents).
import type { Deps } from '../lib/deps';
import { PRINT_STATUSES, printDeliveryId, type PrintIntentStatusChanged } from '../providers/controlpay';
import { readDelivery, startedAt, type Triggered } from './deliveries';
import { NotFound } from './errors';
import { raiseNotification } from './raise';

export type PrintStatusChange = Omit<PrintIntentStatusChanged, 'type' | 'intencaoImpressaoId' | 'occurredAt'> & { occurredAt?: string };

/** Calls the print URL back for this status, once. */
export async function raisePrintStatusChange(
  deps: Deps, merchantId: string, printId: string, change: PrintStatusChange,
): Promise<Triggered> {
  const event: PrintIntentStatusChanged = {
    type: 'print-intent-status-changed',
    intencaoImpressaoId: printId,
    intencaoImpressaoReferencia: change.intencaoImpressaoReferencia,
    status: change.status,
    occurredAt: change.occurredAt ?? new Date().toISOString(),
  };
  return raiseNotification(deps, merchantId, event, () => printDeliveryId(merchantId, printId, change.status));
}

/** C2, C7: the intent's latest status change, with its delivery. */
export async function readPrintIntent(deps: Deps, merchantId: string, printId: string) {
  const found = await Promise.all(Object.keys(PRINT_STATUSES).map(async (code) => {
    const id = printDeliveryId(merchantId, printId, Number(code));
    const startTime = await startedAt(deps, id);
    return startTime === undefined ? undefined : { id, startTime };
  }));
  const latest = found.filter((f) => f !== undefined).sort((a, b) => b.startTime - a.startTime)[0];
  if (!latest) throw new NotFound(`No print intent ${printId}.`);
  const delivery = await readDelivery(deps, latest.id);
  return { event: delivery.event as PrintIntentStatusChanged, deliveryId: delivery.deliveryId };
}
