// A merchant's callback URL as an entity with a lifecycle (G4–G6, G9). Pure types and data: imported by workflows.
// Which endpoints there are, and what each is sent, is the providers' (providers/registry.ts).

export const ENDPOINT_STATUSES = ['active', 'inactive'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface EndpointTest {
  at: string;
  passed: boolean;
  statusCode?: number;
  errorClass?: string;
  latencyMs: number;
}

export interface EndpointState {
  status: EndpointStatus;
  /** The last automatic deactivation (G4, G9); kept after a reactivation. */
  lastDeactivatedAt: string | null;
  lastDeactivationReason: string | null;
  /** The last errors of the delivery that exhausted its attempts. */
  lastErrors: string[];
  /** The same with each attempt's time (null when the delivery predates it) and the delivery; absent before issue 16. */
  lastFailures?: EndpointFailure[];
  lastTest: EndpointTest | null;
  exhaustedDeliveries: number;
  deactivations: number;
  /** Standard Webhooks key versions; absent until the first rotation (version 1). Kept when the URL changes. */
  signingKeys?: SigningKeys;
  /** The event types the merchant wants, for endpoints that carry many; absent: all. Kept when the URL changes. */
  eventTypes?: string[];
}

export interface EndpointFailure {
  at: string | null;
  deliveryId: string;
  error: string;
}

/** An endpoint's signing key versions (lib/webhookSignature.ts); during a rotation's grace period both sign. */
export interface SigningKeys {
  version: number;
  previous?: { version: number; validUntil: string };
}

export const FIRST_KEYS: SigningKeys = { version: 1 };

export const NEW_ENDPOINT: EndpointState = {
  status: 'active',
  lastDeactivatedAt: null,
  lastDeactivationReason: null,
  lastErrors: [],
  lastTest: null,
  exhaustedDeliveries: 0,
  deactivations: 0,
};
