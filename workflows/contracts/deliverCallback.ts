// The delivery workflow's contract (workflows/deliverCallback.ts): its input, state query, resend signal and failure
// types, and the failure its POST activity reports, for the API, the services and the activities to use without
// importing its implementation.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CallbackEvent, ProfileName } from '../../providers/registry';
import type { SigningKeys } from '../endpoints';

/** The workflow's type name, as the worker registers it (workflows/index.ts). */
export const DELIVER_CALLBACK_WORKFLOW = 'deliverCallback';
export type DeliverCallbackWorkflow = (input: DeliverCallbackInput) => Promise<DeliveryState>;

export interface DeliverCallbackInput {
  merchantId: string;
  endpointUrl: string;
  event: CallbackEvent;
  /** RETRY_DELAY_DIVISOR at trigger time: recorded in history so a replay waits the same. */
  delayDivisor: number;
  attemptTimeoutMs: number;
  /** The URL was inactive when the notification was raised: kept, not sent (G5). */
  endpointInactive?: boolean;
  /**
   * How long a notification not sent (held or failed) stays open for a resend (G8) before it closes, still
   * not sent. Absent in deliveries started before resend existed: those end as they always did.
   */
  resendWindowMs?: number;
  /** The endpoint's signing key versions when it was raised (absent: version 1, or raised before signing existed). */
  signingKeys?: SigningKeys;
  /**
   * Each attempt is an activity the server records before its POST, declared outcome unknown when unreported
   * `reportGraceMs` past its timeout (workflows/callbackAttempt.ts). Absent in deliveries started before: those
   * keep the attempt shape their history shows.
   */
  recordedAttempts?: { reportGraceMs: number };
}

export interface DeliveryAttempt {
  number: number;
  /** 1 for the schedule the notification started with, +1 for each resend (G8). */
  series: number;
  /** When the attempt was made (workflow time, ISO 8601). */
  at: string;
  /** Ms after the series' first attempt: what the documented schedules are stated in. */
  offsetMs: number;
  statusCode?: number;
  /** `outcome_unknown`: the process making the POST died before reporting; the receiver may have it. */
  errorClass?: AttemptOutcomeClass;
  errorMessage?: string;
  latencyMs: number;
  responseExcerpt: string;
}

/** `held`: not sent because the URL is inactive (G5); kept, to be resent once it is active again. */
export const DELIVERY_STATUSES = ['delivering', 'delivered', 'failed', 'held'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

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
  /** When it was last held (G5). */
  heldAt?: string;
  /** Resends received (G8); each ran a new series of attempts. */
  resends?: number;
}

export const deliveryStateQuery = defineQuery<DeliveryState>('deliveryState');
/** G8, D3: send a notification that was not sent (held or failed) again, on a new series of the same schedule. */
export const resendSignal = defineSignal('resend');

/** The failure type a delivery ends with when every attempt failed. */
export const DELIVERY_EXHAUSTED = 'CallbackDeliveryExhausted';
/** The failure type of a held notification whose resend window passed without a resend. */
export const DELIVERY_HELD = 'CallbackDeliveryHeld';

/** Why an attempt got no HTTP status, or got one that is not a success. */
export const ATTEMPT_ERROR_CLASSES = [
  'timeout', 'connection_refused', 'connection_reset', 'dns', 'tls', 'network',
  // The URL is, or resolves to, an address callbacks may not reach (SSRF floor; lib/outbound.ts).
  'forbidden_address',
] as const;
export type AttemptErrorClass = (typeof ATTEMPT_ERROR_CLASSES)[number];
/**
 * What an attempt's log says of a failure: its error class, a status that is not a success, or `outcome_unknown`
 * (the process making the POST died before reporting; the receiver may have it).
 */
export const ATTEMPT_OUTCOME_CLASSES = [...ATTEMPT_ERROR_CLASSES, 'unexpected_status', 'outcome_unknown'] as const;
export type AttemptOutcomeClass = (typeof ATTEMPT_OUTCOME_CLASSES)[number];

/** The failure type of an attempt that stopped before its POST: nothing was sent, nothing to record. */
export const ATTEMPT_NOT_MADE = 'CallbackAttemptNotMade';
