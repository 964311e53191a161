// The merchant entity workflow's contract (workflows/merchant.ts): its updates, queries and signal, its id, its
// memo, its failure types and input, for the API and the activities to use without importing its implementation.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Credential } from '../credentials';
import type { EndpointState, EndpointStatus, EndpointTest, SigningKeys } from '../endpoints';
import { ENDPOINT_NAMES, type EndpointName } from '../../providers/registry';

/** The workflow's type name, as the worker registers it (workflows/index.ts). */
export const MERCHANT_WORKFLOW = 'merchant';
export type MerchantWorkflow = (urls?: CallbackUrls, lifecycle?: Lifecycle) => Promise<void>;

/**
 * A URL per provider endpoint (providers/registry.ts says what each is for); an endpoint added after an account was
 * registered is absent from its runs (paymentWebhookUrl before payments existed).
 */
export type CallbackUrls = { [K in EndpointName]?: string | null };

export const NO_URLS: CallbackUrls = Object.fromEntries(ENDPOINT_NAMES.map((name) => [name, null]));

/** URLs to set (null clears one, absent keeps it) and the address of G4's e-mail; answers the URLs now registered. */
export interface Registration extends Partial<CallbackUrls> {
  notificationEmail?: string | null;
  /** Per endpoint that carries many event types, the ones wanted (null: all again; absent keeps them). */
  eventTypes?: Partial<Record<EndpointName, string[] | null>>;
}
export const registerCallbackUrlsUpdate = defineUpdate<CallbackUrls, [Registration]>('registerCallbackUrls');
export const callbackUrlsQuery = defineQuery<CallbackUrls>('callbackUrls');

/** Raised by a delivery that used every attempt (G4): deactivates the endpoint when its profile says so. */
export interface EndpointExhausted {
  /** Absent from deliveries started before endpoints had a lifecycle: found by URL. */
  endpoint?: EndpointName;
  url: string;
  deliveryId: string;
  deactivate: boolean;
  lastErrors: string[];
  /** When each of lastErrors happened; absent from deliveries started before issue 16. */
  lastErrorsAt?: string[];
}
export const endpointExhaustedSignal = defineSignal<[EndpointExhausted]>('endpointExhausted');

export interface EndpointCheck {
  endpoint: EndpointName;
  attemptTimeoutMs: number;
}
/** G6: sends a test notification now and answers how it went. */
export const testEndpointUpdate = defineUpdate<EndpointTest, [EndpointCheck]>('testEndpoint');
/** G6, D3: tests the endpoint and reactivates it only when the test passes; otherwise fails with ActivationRefused. */
export const activateEndpointUpdate = defineUpdate<EndpointView, [EndpointCheck]>('activateEndpoint');

export type EndpointView = EndpointState & { url: string };
export interface MerchantView {
  notificationEmail: string | null;
  endpoints: Partial<Record<EndpointName, EndpointView>>;
  credentials?: Credential[];
}
/** G9: every endpoint's state, last failure and reason. */
export const merchantStateQuery = defineQuery<MerchantView>('merchantState');

export interface SigningRotation {
  endpoint: EndpointName;
  /** How long the previous secret keeps signing beside the new one. */
  graceMs: number;
}
/** Issue 5: a new signing secret version for an endpoint; the previous one signs too until the grace ends. */
export const rotateSigningKeyUpdate = defineUpdate<SigningKeys, [SigningRotation]>('rotateSigningKey');

/** The failure type of a refused activation; its details carry the test. */
export const ACTIVATION_REFUSED = 'ActivationRefused';
/** The failure type of a test or activation refused by its validator: no URL is registered for that endpoint. */
export const ENDPOINT_NOT_REGISTERED = 'EndpointNotRegistered';

export function merchantWorkflowId(merchantId: string): string {
  return `merchant.${merchantId}`;
}

/** Memo keys: a trigger reads them with a describe (docs/performance.md); runs from before the patch have none. */
export const CALLBACK_URLS_MEMO = 'callbackUrls';
export const ENDPOINT_STATUS_MEMO = 'endpointStatus';
/** Each endpoint's signing key versions, once one was rotated (none: version 1 everywhere). */
export const SIGNING_KEYS_MEMO = 'signingKeys';
/** The event types each endpoint wants, once one chose them (none: every endpoint takes all). */
export const EVENT_TYPES_MEMO = 'eventTypes';
/** The account's credentials (digests), read by the API on every authenticated request. */
export const CREDENTIALS_MEMO = 'credentials';

/** The memo as the entity publishes it (workflows/merchant.ts checks what it writes against this). */
export interface MerchantMemo {
  [CALLBACK_URLS_MEMO]?: CallbackUrls;
  [ENDPOINT_STATUS_MEMO]?: Partial<Record<EndpointName, EndpointStatus>>;
  [SIGNING_KEYS_MEMO]?: Partial<Record<EndpointName, SigningKeys>>;
  [EVENT_TYPES_MEMO]?: Partial<Record<EndpointName, string[]>>;
  [CREDENTIALS_MEMO]?: Credential[];
}

/** A describe's memo read as the entity's: the one place it is taken on trust. */
export const merchantMemoOf = (memo: Record<string, unknown> | undefined): MerchantMemo => (memo ?? {}) as MerchantMemo;

/** What a run hands the next one, beside the URLs. */
export interface Lifecycle {
  notificationEmail: string | null;
  endpoints: Partial<Record<EndpointName, EndpointState>>;
  credentials?: Credential[];
}
