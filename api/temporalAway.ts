// Temporal away (restarting, down, unreachable) as the API sees it: its connection gives up fast, and the error
// answers 503 `temporal_unavailable` with a Retry-After, so a provider's trigger is retried rather than stalled.
import { Connection, isGrpcServiceError, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { temporalConnectionOptions, type Config } from '../lib/config';

/** What a 503 for Temporal's absence advises: about a dev server's restart under `npm start`. */
export const RETRY_AFTER_S = 5;

/**
 * Lazy, so the API listens (and /healthz answers 503) before Temporal is up. The SDK retries UNAVAILABLE for about
 * 19 s by default; here three tries over about half a second ride out a dropped connection, and a caller hears
 * 503 well within 2 s when the server is really gone. gRPC reconnects at most 1 s apart (its default backoff grows to
 * 2 minutes), so the API is back within about a second of Temporal.
 */
export function apiConnection(config: Config): Connection {
  return Connection.lazy({
    ...temporalConnectionOptions(config),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 }))],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 1000 },
  });
}

const DEADLINE_EXCEEDED = 4; // gRPC status codes (grpc-js is the SDK's dependency, not ours)
const UNAVAILABLE = 14;

/** Temporal did not answer (down, or past a deadline), as opposed to answering with an error. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) {
    if (isGrpcServiceError(e) && (e.code === UNAVAILABLE || e.code === DEADLINE_EXCEEDED)) return true;
  }
  return false;
}

export const temporalUnavailableBody = (detail: string) =>
  ({ error: 'temporal_unavailable', message: `Temporal does not answer (${detail}); retry in ${RETRY_AFTER_S} s.` });
