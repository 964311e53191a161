// One notification, delivered to one merchant URL on its provider's documented schedule (G1–G3, C3).
import {
  ApplicationFailure, defineQuery, patched, proxyActivities, proxyLocalActivities, setHandler, sleep, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AttemptErrorClass } from '../activities/postCallback';
import { profileOf, type CallbackEvent } from './callbackEvents';
import { buildCallbackRequest } from './callbackRequest';
import { endpointOf } from './endpoints';
import { attemptOffsetsMs, CALLBACK_PROFILES, isReceived, type ProfileName } from './profiles';

export interface DeliverCallbackInput {
  merchantId: string;
  endpointUrl: string;
  event: CallbackEvent;
  /** RETRY_DELAY_DIVISOR at trigger time: recorded in history so a replay waits the same. */
  delayDivisor: number;
  attemptTimeoutMs: number;
  /** The URL was inactive when the notification was raised: kept, not sent (G5). */
  endpointInactive?: boolean;
}

export interface DeliveryAttempt {
  number: number;
  /** When the attempt was made (workflow time, ISO 8601). */
  at: string;
  /** Ms after the first attempt: what the documented schedules are stated in. */
  offsetMs: number;
  statusCode?: number;
  errorClass?: AttemptErrorClass | 'unexpected_status';
  errorMessage?: string;
  latencyMs: number;
  responseExcerpt: string;
}

/** `held`: not sent because the URL is inactive (G5); kept, to be resent once it is active again. */
export type DeliveryStatus = 'delivering' | 'delivered' | 'failed' | 'held';

export interface DeliveryState {
  deliveryId: string;
  merchantId: string;
  profile: ProfileName;
  endpointUrl: string;
  event: CallbackEvent;
  status: DeliveryStatus;
  maxAttempts: number;
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  /** When it was held (G5). */
  heldAt?: string;
}

export const deliveryStateQuery = defineQuery<DeliveryState>('deliveryState');

/** The failure type a delivery ends with when every attempt failed. */
export const DELIVERY_EXHAUSTED = 'CallbackDeliveryExhausted';

const { reportEndpointExhausted } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

/** Marks histories whose attempts run as local activities (README, Performance); older ones replay as before. */
export const LOCAL_ATTEMPTS_PATCH = 'attempts-as-local-activities';

export async function deliverCallback(input: DeliverCallbackInput): Promise<DeliveryState> {
  // postCallback never repeats a POST by itself: the schedule below does. A worker lost mid-call
  // may repeat that one POST (at-least-once). As a local activity an attempt costs no task-queue
  // round trip and half the history events; a crashed worker's workflow task is retried elsewhere.
  const retry = { maximumAttempts: 3, initialInterval: '1 second' };
  const { postCallback } = patched(LOCAL_ATTEMPTS_PATCH)
    ? proxyLocalActivities<Activities>({ startToCloseTimeout: input.attemptTimeoutMs + 5_000, retry })
    : proxyActivities<Activities>({ startToCloseTimeout: input.attemptTimeoutMs + 30_000, retry });
  const profileName = profileOf(input.event);
  const profile = CALLBACK_PROFILES[profileName];
  const request = buildCallbackRequest(input.endpointUrl, input.event);
  const offsets = attemptOffsetsMs(profile, input.delayDivisor);
  const state: DeliveryState = {
    deliveryId: workflowInfo().workflowId,
    merchantId: input.merchantId,
    profile: profileName,
    endpointUrl: input.endpointUrl,
    event: input.event,
    status: 'delivering',
    maxAttempts: offsets.length,
    attempts: [],
    nextAttemptAt: null,
  };
  setHandler(deliveryStateQuery, () => state);
  const endpoint = endpointOf(input.event);
  const hold = () => {
    state.status = 'held';
    state.heldAt = new Date().toISOString();
    return state;
  };
  if (input.endpointInactive) return hold();

  const firstAttemptAt = Date.now();
  for (const [index, offsetMs] of offsets.entries()) {
    // Wait for the attempt's slot in the schedule, counted from the first attempt (D2).
    const dueAt = firstAttemptAt + offsetMs;
    if (dueAt > Date.now()) {
      state.nextAttemptAt = new Date(dueAt).toISOString();
      await sleep(dueAt - Date.now());
      state.nextAttemptAt = null;
    }
    const at = Date.now();
    // A retry first checks that the URL was not deactivated meanwhile (G5); the first attempt follows the
    // trigger, which checked already, so the common case costs nothing more.
    const unlessInactive = index > 0 ? { merchantId: input.merchantId, endpoint } : undefined;
    const outcome = await postCallback({ request, timeoutMs: input.attemptTimeoutMs, unlessInactive });
    if (outcome.held) return hold();
    const received = isReceived(profile, outcome.statusCode);
    state.attempts.push({
      number: index + 1,
      at: new Date(at).toISOString(),
      offsetMs: at - firstAttemptAt,
      ...outcome,
      ...(outcome.statusCode !== undefined && !received ? { errorClass: 'unexpected_status' as const } : {}),
    });
    if (received) {
      state.status = 'delivered'; // nothing is ever sent after a success
      return state;
    }
  }

  state.status = 'failed';
  await reportEndpointExhausted({
    deliveryId: state.deliveryId,
    merchantId: input.merchantId,
    endpoint,
    endpointUrl: input.endpointUrl,
    deactivateOnExhaustion: profile.deactivateOnExhaustion,
    lastErrors: state.attempts.slice(-3).map(describeAttempt),
  });
  throw ApplicationFailure.nonRetryable(
    `callback not received after ${state.attempts.length} attempts: ${describeAttempt(state.attempts.at(-1)!)}`,
    DELIVERY_EXHAUSTED,
    state,
  );
}

function describeAttempt(a: DeliveryAttempt): string {
  return a.statusCode !== undefined ? `HTTP ${a.statusCode}` : `${a.errorClass}: ${a.errorMessage ?? ''}`;
}
