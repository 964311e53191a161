// Raising a notification, one way for every kind: the merchant's URL for the event's endpoint first (NotRegistered
// before anything else is asked; NotSubscribed when the endpoint does not want the event's type), then its delivery,
// started once under the id the kind's policy gives.
import type { Deps } from '../lib/deps';
import { endpointOf, subscriptionOf, type CallbackEvent } from '../providers/registry';
import { requireCallbackUrl } from './callbackTargets';
import { startDelivery, type Triggered } from './deliveries';
import { NotSubscribed } from './errors';

export async function raiseNotification(
  deps: Deps, merchantId: string, event: CallbackEvent, idPolicy: () => string | Promise<string>,
): Promise<Triggered> {
  const target = await requireCallbackUrl(deps, merchantId, endpointOf(event));
  const type = subscriptionOf(event);
  if (type !== undefined && target.eventTypes && !target.eventTypes.includes(type)) {
    throw new NotSubscribed(endpointOf(event), type, target.eventTypes);
  }
  return startDelivery(deps, await idPolicy(), merchantId, target, event);
}
