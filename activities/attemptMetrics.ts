// What a callback attempt tells the metrics (lib/metrics.ts). The postCallback activity is the one place that sees
// every attempt; workflow code replays, so it counts nothing. Labels: the provider's profile name, never the URL.
import { Context, type Info } from '@temporalio/activity';
import {
  attemptOutcomeLabel, callbackAttemptDuration, callbackAttempts, deliveriesFinished, deliveriesHeld, providerOf,
  retryLateness as retryLatenessSeconds,
} from '../lib/metrics';
import type { EndpointName } from '../providers/registry';

/** What of postCallback's input and outcome the metrics read (its own types would make an import cycle). */
interface Attempt {
  signing?: { endpoint: EndpointName; webhookId: string };
  unlessInactive?: { endpoint: EndpointName };
}
interface Outcome {
  statusCode?: number;
  errorClass?: string;
  latencyMs: number;
}

/**
 * How late a retry started: from the workflow scheduling the activity (its timer fired) to this worker starting it.
 * It leaves out the timer-to-workflow-task wait, which the SDK's temporal_workflow_task_schedule_to_start_latency shows.
 */
export function retryLateness(endpoint: EndpointName, info: Info = Context.current().info): { observe(): void } {
  const lateMs = Date.now() - info.currentAttemptScheduledTimestampMs;
  // Observed once the attempt was made: one that stops before its POST (ATTEMPT_NOT_MADE) is scheduled again.
  return { observe: () => retryLatenessSeconds.observe({ provider: providerOf(endpoint) }, Math.max(0, lateMs) / 1000) };
}

/**
 * One attempt of a delivery made. It carries `signing` (old runs aside); a later attempt (a retry or a resend) also
 * carries `unlessInactive`, so a success without it is a first-attempt delivery, and with it one after retries.
 * The merchant entity's test notifications (G6) are not deliveries: not counted.
 */
export function countAttempt(input: Attempt, outcome: Outcome): void {
  const endpoint = input.signing?.endpoint ?? input.unlessInactive?.endpoint;
  // No endpoint: an attempt of a delivery recorded before signing existed, with no provider to label it with.
  if (!endpoint || isEndpointTest(input)) return;
  const provider = providerOf(endpoint);
  const label = attemptOutcomeLabel(endpoint, outcome);
  callbackAttempts.inc({ provider, outcome: label });
  if (outcome.statusCode !== undefined || outcome.latencyMs > 0) {
    callbackAttemptDuration.observe({ provider }, outcome.latencyMs / 1000);
  }
  if (label === 'success') {
    deliveriesFinished.inc({ provider, result: input.unlessInactive ? 'after_retries' : 'first_attempt' });
  }
}

/** A later attempt found the URL inactive (G5): the delivery is held, nothing was sent. */
export function countHeld(endpoint: EndpointName | undefined): void {
  if (endpoint) deliveriesHeld.inc({ provider: providerOf(endpoint) });
}

/** The merchant entity's test notifications (workflows/merchant.ts) are signed under a `test.` webhook id. */
const isEndpointTest = (input: Attempt) => input.signing?.webhookId.startsWith('test.') ?? false;
