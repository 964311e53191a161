// Arauto's own Prometheus metrics (issue 19), one home for every definition: the names are a contract with
// deploy/'s dashboard and alert rules. Counted in activities and services, never in workflow code (it replays).
// Labels are closed sets (provider profile, outcome, route template): never a merchant id, URL, token or delivery
// id, for cardinality and privacy (docs/observability.md#metrics).
import { Counter, Histogram, Registry } from 'prom-client';
import { isReceived } from '../workflows/profiles';
import { endpointEntry, type EndpointName } from '../providers/registry';

/** Every process serves this registry; a counter it never touches shows no sample (or 0 when it has no labels). */
export const registry = new Registry();
const registers = [registry];

// Callback attempts run seconds at most (CALLBACK_TIMEOUT_MS ≤ 120 s).
const ATTEMPT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
// Lateness: a healthy worker starts a retry within milliseconds; a backlog makes it minutes.
const LATENESS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const callbackAttempts = new Counter({
  name: 'arauto_callback_attempts_total',
  help: 'Callback POST attempts, by provider and outcome: success, http_4xx, http_5xx, http_other, or the error class',
  labelNames: ['provider', 'outcome'] as const, registers,
});
export const callbackAttemptDuration = new Histogram({
  name: 'arauto_callback_attempt_duration_seconds',
  help: 'Latency of callback POST attempts that reached the network, by provider',
  labelNames: ['provider'] as const, buckets: ATTEMPT_BUCKETS, registers,
});
export const deliveriesFinished = new Counter({
  name: 'arauto_deliveries_finished_total',
  help: 'Deliveries whose series of attempts ended: first_attempt, after_retries (delivered) or exhausted',
  labelNames: ['provider', 'result'] as const, registers,
});
export const deliveriesHeld = new Counter({
  name: 'arauto_deliveries_held_total',
  help: 'Notifications kept unsent because their URL was inactive (G5): raised while inactive, or found inactive at a retry',
  labelNames: ['provider'] as const, registers,
});
export const retryLateness = new Histogram({
  name: 'arauto_retry_lateness_seconds',
  help: 'How long a retry attempt waited between the workflow scheduling it and a worker starting it',
  labelNames: ['provider'] as const, buckets: LATENESS_BUCKETS, registers,
});
export const endpointDeactivations = new Counter({
  name: 'arauto_endpoint_deactivations_total',
  help: 'Callback URLs deactivated after a delivery exhausted its attempts (G4)',
  labelNames: ['provider'] as const, registers,
});
export const endpointReactivations = new Counter({
  name: 'arauto_endpoint_reactivations_total',
  help: 'Callback URLs reactivated by their merchant after a passing test (G6)',
  labelNames: ['provider'] as const, registers,
});
export const returnFilePolls = new Counter({
  name: 'arauto_return_file_polls_total',
  help: 'GETs of a return-file protocol (P3): processed, processing, provider_error, refused, unavailable',
  labelNames: ['outcome'] as const, registers,
});

export const httpRequests = new Counter({
  name: 'arauto_http_requests_total',
  help: 'API requests by route template (unmatched for unknown paths), method and status',
  labelNames: ['route', 'method', 'status'] as const, registers,
});
export const httpRequestDuration = new Histogram({
  name: 'arauto_http_request_duration_seconds',
  help: 'API request latency by route template and method',
  labelNames: ['route', 'method'] as const, buckets: HTTP_BUCKETS, registers,
});
export const resends = new Counter({
  name: 'arauto_resends_total',
  help: 'Resend requests (G8) by stage: previewed, confirmed',
  labelNames: ['stage'] as const, registers,
});
export const resendNotifications = new Counter({
  name: 'arauto_resend_notifications_total',
  help: 'Notifications selected by confirmed resends (each is signalled by the batch operation)',
  registers,
});
export const payments = new Counter({
  name: 'arauto_payments_total',
  help: 'Payment requests (I1, I2) by outcome: accepted, repeated_key, conflict',
  labelNames: ['outcome'] as const, registers,
});
export const debtQueries = new Counter({
  name: 'arauto_debt_queries_total',
  help: 'Vehicle debt queries (I3) by outcome: accepted, refused_822 (a repeated clientRequestId), error',
  labelNames: ['outcome'] as const, registers,
});

/** The provider's profile name of a registration field: the only label a delivery metric carries. */
export const providerOf = (endpoint: EndpointName): string => endpointEntry(endpoint).provider.name;

/** An attempt's outcome label: success by the provider's own rule (D2), else the status class or error class. */
export function attemptOutcomeLabel(endpoint: EndpointName, outcome: { statusCode?: number; errorClass?: string }): string {
  const { statusCode } = outcome;
  if (statusCode === undefined) return outcome.errorClass ?? 'network';
  if (isReceived(endpointEntry(endpoint).provider.profile, statusCode)) return 'success';
  if (statusCode >= 400 && statusCode < 500) return 'http_4xx';
  if (statusCode >= 500 && statusCode < 600) return 'http_5xx';
  return 'http_other';
}
