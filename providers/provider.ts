// What a provider is to Arauto, as one plain record (issue 17): its schedule and success rule, and per endpoint the
// event it carries and how that event is POSTed, searched, summarised and tested, and optionally the REST trigger
// that raises it and the event types a merchant may choose among. Pure: the workflow bundle imports it.
import type { z } from 'zod';

/** A provider's retry schedule and success rule (D2). */
export interface CallbackProfile {
  /** Minutes to wait after each failed attempt before the next one; length = number of retries. */
  readonly retryDelaysMinutes: readonly number[];
  /** Which HTTP statuses count as "received" (G2: exactly 200; C3: any 2xx). */
  readonly success: 'exactly-200' | 'any-2xx';
  /** Whether exhausting every attempt deactivates the URL (G4). Acted on by the endpoint lifecycle. */
  readonly deactivateOnExhaustion: boolean;
}

/** Every event is tagged by its type and dated. */
export interface EventBase {
  type: string;
  occurredAt: string;
}

export interface CallbackRequest {
  url: string;
  contentType: string;
  body: string;
}

/** What changed, for the logs per URL (G7): a charge's previous and current status; an intent's outcome or status. */
export interface EventChange {
  previous: string | null;
  current: string;
}

/** One registration field (a URL the merchant registers) and the one event type sent to it. */
export interface EndpointKind<E extends EventBase = EventBase, N extends string = string> {
  /** The registration field the URL is kept under (PUT …/callback-urls). */
  readonly endpoint: N;
  readonly eventType: E['type'];
  /** What the URL is for, in the API's document. */
  readonly about: string;
  /** The URL's name in the merchant portal, in each of its languages (seed 000's words in Portuguese). */
  readonly title: Readonly<Record<'pt-BR' | 'en', string>>;
  /** How the event is POSTed to the registered URL. */
  buildRequest(registeredUrl: string, event: E): CallbackRequest;
  /** The charge or intent the notification is about: what its log is searched by (G7). */
  chargeIdOf(event: E): string;
  changeOf(event: E): EventChange;
  /** One line for an operator (the Web UI's summary of a delivery, D5). */
  describe(event: E): string;
  /** What a test sends (G6): an event of the endpoint's own shape, marked as a test in every field it has. */
  testEvent(at: string): E;
  /**
   * The event's type as the merchant subscribes to it, for endpoints that carry many: the merchant registers the
   * types it wants (PUT …/callback-urls, `eventTypes`) and events of other types are not sent.
   */
  subscriptionOf?(event: E): string;
  /** A REST trigger the API mounts for this endpoint (api/routes/providerTriggers.ts). */
  readonly trigger?: Trigger<E>;
}

/** POST /v1/merchants/{merchantId}<path>: its body raises one event, under the delivery id it names. */
export interface Trigger<E extends EventBase> {
  /** After /v1/merchants/{merchantId}, e.g. `/events`. */
  readonly path: string;
  readonly summary: string;
  /** The request body; its parsed value is what `raise` gets. */
  readonly body: z.ZodType;
  /** `newId`: a fresh id, for a body that names none (the API's randomness; this file stays pure). */
  raise(merchantId: string, body: unknown, context: { now: string; newId: () => string }): { event: E; deliveryId: string };
}

/** What an event type looks like wherever a merchant names one: `invoice.paid`, `order-shipped`. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_-]{1,50}(?:\.[A-Za-z0-9_-]{1,50}){0,4}$/;
export const EVENT_TYPE_RULE = 'expected an event type such as invoice.paid: letters, digits, "_" or "-", up to five parts joined by "."';

/** E: its events; N: its endpoints' names; P: its profile's name. */
export interface Provider<E extends EventBase = EventBase, N extends string = string, P extends string = string> {
  /** The profile name deliveries record (DeliveryState.profile). */
  readonly name: P;
  readonly profile: CallbackProfile;
  readonly endpoints: readonly EndpointKind<E, N>[];
}

/** Ties an endpoint's functions to its own event type while its provider holds them as one list. */
export const endpointKind = <E extends EventBase, N extends string>(kind: EndpointKind<E, N>): EndpointKind<E, N> => kind;
