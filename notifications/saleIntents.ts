// ControlPay sale intents (C1, C2): each distinct outcome an intent reaches is its own notification (a card sale
// authorized and later cancelled is called back twice), and the intent's state is the latest outcome accepted.
import type { Deps } from '../lib/deps';
import {
  legacySaleDeliveryId, SALE_OUTCOMES, saleDeliveryId, type SaleIntentFinalized, type SaleOutcome,
} from '../providers/controlpay';
import { readDelivery, startedAt, type Triggered } from './deliveries';
import { ConflictingNotification, NotFound } from './errors';
import { raiseNotification } from './raise';

export type SaleFinalization = Omit<SaleIntentFinalized, 'type' | 'intencaoVendaId' | 'occurredAt'> & { occurredAt?: string };


/**
 * Which outcomes each outcome may follow. Seed 001 calls back a finalized sale "authorized, denied or cancelled";
 * an authorized card sale can later be cancelled. Denied and cancelled are final; a cancellation may come alone
 * (the intent cancelled before any payment).
 */
const MAY_FOLLOW: Record<SaleOutcome, readonly SaleOutcome[]> = { authorized: [], denied: [], cancelled: ['authorized'] };

/** Two outcomes of one intent, in either order of report: an authorization reported after its cancellation is late. */
const compatible = (a: SaleOutcome, b: SaleOutcome) => MAY_FOLLOW[a].includes(b) || MAY_FOLLOW[b].includes(a);

interface Reached {
  outcome: SaleOutcome;
  deliveryId: string;
  acceptedAt: number;
}

/**
 * The outcomes the intent reached, in lifecycle order: a cancellation after the authorization it follows, whichever
 * was reported first; two of one stage (only after racing past the check) by when each delivery started. Never by
 * when their callbacks arrived.
 */
async function outcomesOf(deps: Deps, merchantId: string, saleId: string): Promise<Reached[]> {
  const candidates: { deliveryId: string; outcome?: SaleOutcome }[] = [
    ...SALE_OUTCOMES.map((outcome) => ({ deliveryId: saleDeliveryId(merchantId, saleId, outcome), outcome })),
    { deliveryId: legacySaleDeliveryId(merchantId, saleId) },
  ];
  const found = await Promise.all(candidates.map(async ({ deliveryId, outcome }): Promise<Reached | undefined> => {
    const acceptedAt = await startedAt(deps, deliveryId);
    if (acceptedAt === undefined) return undefined;
    // A legacy delivery's outcome is only in its event.
    outcome ??= ((await readDelivery(deps, deliveryId)).event as SaleIntentFinalized).outcome;
    return { outcome, deliveryId, acceptedAt };
  }));
  const stage = (r: Reached) => (MAY_FOLLOW[r.outcome].length > 0 ? 1 : 0);
  return found.filter((r) => r !== undefined).sort((a, b) => stage(a) - stage(b) || a.acceptedAt - b.acceptedAt);
}

/**
 * Calls the sale URL back for this outcome, once; ConflictingNotification when the intent reached an outcome
 * incompatible with it.
 */
export async function raiseSaleOutcome(
  deps: Deps, merchantId: string, saleId: string, finalization: SaleFinalization,
): Promise<Triggered> {
  // Fields in the order deliveries were always raised with: a repeat is compared with the recorded event as JSON.
  const event: SaleIntentFinalized = {
    type: 'sale-intent-finalized',
    intencaoVendaId: saleId,
    cpfCnpj: finalization.cpfCnpj,
    intencaoVendaReferencia: finalization.intencaoVendaReferencia,
    pedidoId: finalization.pedidoId,
    pedidoReferencia: finalization.pedidoReferencia,
    outcome: finalization.outcome,
    occurredAt: finalization.occurredAt ?? new Date().toISOString(),
  };
  return raiseNotification(deps, merchantId, event, async () => {
    const reached = await outcomesOf(deps, merchantId, saleId);
    // The same outcome again is the same delivery (idempotent, also for one raised before outcomes had their own).
    const same = reached.find((r) => r.outcome === event.outcome);
    const blocking = same ? undefined : reached.find((r) => !compatible(r.outcome, event.outcome));
    if (blocking) {
      throw new ConflictingNotification(
        `sale intent ${saleId} is already ${blocking.outcome}: it cannot also be ${event.outcome} `
        + '(a sale is authorized or denied, and only an authorized sale can later be cancelled).');
    }
    return same?.deliveryId ?? saleDeliveryId(merchantId, saleId, event.outcome);
  });
}

/** C2: the intent as its latest outcome states it, with that outcome's delivery. */
export async function readSaleIntent(deps: Deps, merchantId: string, saleId: string) {
  const latest = (await outcomesOf(deps, merchantId, saleId)).at(-1);
  if (!latest) throw new NotFound(`sale intent ${saleId} not found`);
  const delivery = await readDelivery(deps, latest.deliveryId);
  return { event: delivery.event as SaleIntentFinalized, deliveryId: delivery.deliveryId };
}
