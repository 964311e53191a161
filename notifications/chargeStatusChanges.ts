// A charge changed status (G1): the notification's token, its delivery id, and raising it. Shared by the REST
// trigger and by return-file reconciliation (P6), so that both raise the same, deduplicated notification.
import { createHash } from 'node:crypto';
import type { Deps } from '../lib/deps';
import { idDigest } from '../lib/idDigest';
import { GERENCIANET_DELIVERY_PREFIX, type ChargeStatus, type ChargeStatusChanged } from '../providers/gerencianet';
import type { Triggered } from './deliveries';
import { raiseNotification } from './raise';

/** A change as it is reported: the REST trigger passes what api/schemas.ts's chargeStatusChangeSchema parsed. */
export interface ChargeStatusChange {
  previousStatus?: ChargeStatus | null;
  currentStatus: ChargeStatus;
  customId?: string | null;
  eventId?: string;
  occurredAt?: string;
}

/**
 * The token is what the receiver reads the change with, so it stays out of workflow ids (which Temporal never
 * encrypts): the id carries a digest of it. Deliveries raised before that carry the token itself.
 */
export const deliveryIdOf = (token: string) => `${GERENCIANET_DELIVERY_PREFIX}${idDigest('notification', token)}`;
export const legacyDeliveryIdOf = (token: string) => `${GERENCIANET_DELIVERY_PREFIX}${token}`;

/** The token names the change itself, so raising it again yields the same token (and delivery). */
function notificationToken(merchantId: string, chargeId: string, change: ChargeStatusChange): string {
  const identity = [
    merchantId, chargeId, change.previousStatus ?? null, change.currentStatus, change.customId ?? null, change.eventId,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 40);
}

export async function raiseChargeStatusChange(
  deps: Deps, merchantId: string, chargeId: string, change: ChargeStatusChange,
): Promise<Triggered & { token: string }> {
  const token = notificationToken(merchantId, chargeId, change);
  const event: ChargeStatusChanged = {
    type: 'charge-status-changed',
    token,
    chargeId,
    customId: change.customId ?? null,
    previousStatus: change.previousStatus ?? null,
    currentStatus: change.currentStatus,
    occurredAt: change.occurredAt ?? new Date().toISOString(),
  };
  return { ...(await raiseNotification(deps, merchantId, event, () => deliveryIdOf(token))), token };
}
