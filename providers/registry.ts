// Every provider Arauto calls back for, in one list (issue 17): workflows, the API's schemas and document, the endpoint
// lifecycle and the log read this, and nothing else knows a provider or an event type. Adding a provider is a file
// beside this one, imported and listed below. Pure: the workflow bundle imports it.
import { controlpay } from './controlpay';
import { gerencianet } from './gerencianet';
import { paymentReceipts } from './paymentReceipts';
import { webhook } from './webhook';
import type { CallbackProfile, CallbackRequest, EndpointKind, EventBase, EventChange, Provider } from './provider';

/** In the order the registration fields were always listed (the merchant's memo keeps it). */
export const PROVIDERS = [gerencianet, controlpay, paymentReceipts, webhook] as const;

export type { EventChange } from './provider';

type Registered = (typeof PROVIDERS)[number];
export type CallbackEvent = Registered extends infer P ? P extends Provider<infer E, string, string> ? E : never : never;
export type EndpointName = Registered extends infer P ? P extends Provider<EventBase, infer N, string> ? N : never : never;
export type ProfileName = Registered['name'];

export const ENDPOINT_NAMES = PROVIDERS.flatMap((p) => p.endpoints.map((e) => e.endpoint)) as readonly EndpointName[];
export const PROFILE_NAMES = PROVIDERS.map((p) => p.name) as readonly ProfileName[];

export const CALLBACK_PROFILES = Object.fromEntries(PROVIDERS.map((p) => [p.name, p.profile])) as
  Readonly<Record<ProfileName, CallbackProfile>>;

const byEndpoint = new Map<string, { provider: Provider; kind: EndpointKind }>(
  PROVIDERS.flatMap((provider: Provider) => provider.endpoints.map((kind) => [kind.endpoint, { provider, kind }] as const)),
);
const byEventType = new Map([...byEndpoint.values()].map((entry) => [entry.kind.eventType, entry]));

/** The provider and endpoint of a registration field. */
export function endpointEntry(endpoint: EndpointName): { provider: Provider; kind: EndpointKind } {
  const entry = byEndpoint.get(endpoint);
  if (!entry) throw new Error(`unknown endpoint ${endpoint}`);
  return entry;
}

/** The provider and endpoint an event is sent by and to. */
export function eventEntry(event: CallbackEvent): { provider: Provider; kind: EndpointKind } {
  const entry = byEventType.get(event.type);
  if (!entry) throw new Error(`unknown event type ${event.type}`);
  return entry;
}

// What the rest of Arauto asks of an event or an endpoint, answered by its provider's record.
export const profileOf = (event: CallbackEvent): ProfileName => eventEntry(event).provider.name as ProfileName;
export const endpointOf = (event: CallbackEvent): EndpointName => eventEntry(event).kind.endpoint as EndpointName;
export const chargeIdOf = (event: CallbackEvent): string => eventEntry(event).kind.chargeIdOf(event);
export const changeOf = (event: CallbackEvent): EventChange => eventEntry(event).kind.changeOf(event);
export const describeEvent = (event: CallbackEvent): string => eventEntry(event).kind.describe(event);
export const buildCallbackRequest = (registeredUrl: string, event: CallbackEvent): CallbackRequest =>
  eventEntry(event).kind.buildRequest(registeredUrl, event);
export const testEvent = (endpoint: EndpointName, at: string): CallbackEvent =>
  endpointEntry(endpoint).kind.testEvent(at) as CallbackEvent;
/** The event's type as the merchant subscribes to it; undefined for endpoints that carry one kind only. */
export const subscriptionOf = (event: CallbackEvent): string | undefined => eventEntry(event).kind.subscriptionOf?.(event);
/** Endpoints whose merchant chooses the event types it is sent. */
export const SUBSCRIBABLE_ENDPOINTS = ENDPOINT_NAMES.filter((name) => endpointEntry(name).kind.subscriptionOf);
/** Every REST trigger a provider declares, with its endpoint and provider. */
export const TRIGGERS = [...byEndpoint.values()].filter((entry) => entry.kind.trigger);
export const profileOfEndpoint = (endpoint: EndpointName): CallbackProfile => endpointEntry(endpoint).provider.profile;
