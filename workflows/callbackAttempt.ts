// How one delivery attempt runs, so that the attempt log tells the truth (issue 15; docs/operating.md, Reliability).
//
// Today's shape: each attempt is a regular activity with no server-side retry. The server records
// ActivityTaskScheduled/Started before the POST and the outcome after it, independently of workflow tasks: a
// workflow task that times out (a slow, overloaded worker) never repeats a POST nor loses its result. If the
// process making the POST dies before reporting, the activity times out and the attempt is recorded as
// `outcome_unknown` (it may or may not have reached the receiver); its slot is then tried again once.
//
// Older runs keep the shape they started with, decided from their history: local activities (patch marker
// LOCAL_ATTEMPTS_PATCH) or, before that, activities retried by the server.
import {
  ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities, sleep, TimeoutFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AttemptOutcome, PostCallbackInput } from '../activities/postCallback';
import { ATTEMPT_NOT_MADE } from './contracts/deliverCallback';

/** Marks histories whose attempts run as local activities; older ones replay as before. */
export const LOCAL_ATTEMPTS_PATCH = 'attempts-as-local-activities';

/** The recorded result of one POST attempt: what the receiver answered, or that nobody can know. */
export type RecordedOutcome = AttemptOutcome | (Omit<AttemptOutcome, 'errorClass'> & { errorClass: 'outcome_unknown' });

export type PostCallback = (input: PostCallbackInput) => Promise<RecordedOutcome>;

/**
 * `recorded`: in the input of runs started with today's shape (so that no marker event is on the hot path). Its
 * grace is how long past the POST's timeout an unreported attempt waits before its outcome is declared unknown.
 */
export function postCallbackFor(attemptTimeoutMs: number, recorded?: { reportGraceMs: number }): PostCallback {
  if (recorded) return recordedAttempt(attemptTimeoutMs + recorded.reportGraceMs);
  const retry = { maximumAttempts: 3, initialInterval: '1 second' };
  const { postCallback } = patched(LOCAL_ATTEMPTS_PATCH)
    ? proxyLocalActivities<Activities>({ startToCloseTimeout: attemptTimeoutMs + 5_000, retry })
    : proxyActivities<Activities>({ startToCloseTimeout: attemptTimeoutMs + 30_000, retry });
  return postCallback;
}

function recordedAttempt(startToCloseTimeout: number): PostCallback {
  // One server attempt per POST: a server-side retry would make a POST the history does not show.
  const { postCallback } = proxyActivities<Activities>({
    startToCloseTimeout,
    retry: { maximumAttempts: 1 },
  });
  return async (input) => {
    for (let notMade = 0; ; notMade++) {
      const startedAt = Date.now();
      try {
        return await postCallback(input);
      } catch (err) {
        const cause = err instanceof ActivityFailure ? err.cause : undefined;
        if (cause instanceof ApplicationFailure && cause.type === ATTEMPT_NOT_MADE) {
          // Nothing was sent (e.g. the merchant could not be read): try again shortly, nothing to record.
          await sleep(Math.min(1_000 * 2 ** notMade, 60_000));
          continue;
        }
        return {
          errorClass: 'outcome_unknown',
          errorMessage: cause instanceof TimeoutFailure
            ? 'the worker making this attempt did not report in time (it died or stalled); the POST may have reached the receiver'
            : `the attempt failed unexpectedly: ${cause?.message ?? (err as Error).message}`,
          latencyMs: Date.now() - startedAt,
          responseExcerpt: '',
        };
      }
    }
  };
}
