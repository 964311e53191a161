// What the notification services refuse, in the domain's words: the API answers each with its HTTP status in one
// place (api/domainErrors.ts); an activity turns them into the failure its workflow expects.
import type { EndpointName } from '../providers/registry';

/** No such merchant, delivery or intent (or not the caller's: the same words, which confirm nothing). */
export class NotFound extends Error {}

export const merchantNotFound = (merchantId: string) => new NotFound(`Merchant ${merchantId} not found.`);

/** The merchant has no URL registered for the endpoint a notification goes to. */
export class NotRegistered extends Error {
  constructor(readonly merchantId: string, readonly endpoint: EndpointName) {
    super(`Merchant ${merchantId} has no ${endpoint} registered.`);
  }
}

/** The endpoint carries many event types and the merchant did not choose this one: nothing is sent. */
export class NotSubscribed extends Error {
  constructor(readonly endpoint: EndpointName, readonly eventType: string, readonly wanted: string[]) {
    super(`${endpoint} is not subscribed to ${eventType} (it takes: ${wanted.join(', ')}); nothing was sent.`);
  }
}

/** A notification raised again with other data, or one its intent's earlier outcomes rule out: it cannot change. */
export class ConflictingNotification extends Error {}
