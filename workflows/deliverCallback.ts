// One notification, delivered to one merchant URL on its provider's documented schedule (G1–G3, C3).
// Its contract (input, state query, resend signal, failure types) is workflows/contracts/deliverCallback.ts.
import {
  ApplicationFailure, condition, proxyActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { postCallbackFor } from './callbackAttempt';
import {
  DELIVERY_EXHAUSTED, DELIVERY_HELD, deliveryStateQuery, resendSignal, type DeliverCallbackInput, type DeliveryAttempt,
  type DeliveryState,
} from './contracts/deliverCallback';
import { FIRST_KEYS } from './endpoints';
import { attemptOffsetsMs, isReceived } from './profiles';
import { buildCallbackRequest, CALLBACK_PROFILES, endpointOf, profileOf } from '../providers/registry';
import { ATTEMPTS, DELIVERY_STATUS } from './searchAttributes';

const { reportEndpointExhausted } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

export async function deliverCallback(input: DeliverCallbackInput): Promise<DeliveryState> {
  // postCallback never repeats a POST by itself: the schedule below does (and one repeat of an attempt whose
  // outcome a crash made unknown).
  const postCallback = postCallbackFor(input.attemptTimeoutMs, input.recordedAttempts);
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
  // One webhook-id for every attempt and resend of this notification, so receivers can deduplicate.
  const signing = {
    merchantId: input.merchantId, endpoint, webhookId: state.deliveryId, keys: input.signingKeys ?? FIRST_KEYS,
  };
  // Notifications not sent wait open for a resend: ExecutionStatus Completed then means sent (G7).
  const keepsUnsent = input.resendWindowMs !== undefined;
  let resendAsked = false;
  setHandler(resendSignal, () => {
    if (state.status === 'held' || state.status === 'failed') resendAsked = true;
  });

  for (let series = input.endpointInactive ? 0 : 1; ; series++) {
    // Series 0: the URL was inactive when the notification was raised, so nothing is attempted (G5).
    if (series > 0) {
      state.status = 'delivering';
      const sent = await attemptSeries(series);
      if (sent === 'delivered') return state;
      if (sent === 'failed') await reportExhausted();
    }
    if (state.status !== 'failed') {
      state.status = 'held';
      state.heldAt = new Date().toISOString();
    }
    if (!keepsUnsent) {
      if (state.status === 'held') return state;
      throw exhausted();
    }
    upsertSearchAttributes([
      { key: DELIVERY_STATUS, value: state.status },
      { key: ATTEMPTS, value: state.attempts.length },
    ]);
    if (!(await condition(() => resendAsked, input.resendWindowMs!))) {
      throw state.status === 'failed'
        ? exhausted()
        : ApplicationFailure.nonRetryable('not sent: the URL stayed inactive and no resend came', DELIVERY_HELD, state);
    }
    resendAsked = false;
    state.resends = (state.resends ?? 0) + 1;
  }

  /** One run of the schedule (D2): `delivered`, `failed` after its last attempt, or `held` when the URL went inactive. */
  async function attemptSeries(series: number): Promise<'delivered' | 'failed' | 'held'> {
    const firstAttemptAt = Date.now();
    for (const [index, offsetMs] of offsets.entries()) {
      // Wait for the attempt's slot in the schedule, counted from the first attempt (D2).
      const dueAt = firstAttemptAt + offsetMs;
      if (dueAt > Date.now()) {
        state.nextAttemptAt = new Date(dueAt).toISOString();
        await sleep(dueAt - Date.now());
        state.nextAttemptAt = null;
      }
      // A slot whose attempt's outcome is unknown (its worker died) is tried once more at once; a second
      // unknown outcome counts as the slot's failure, so a crash loop cannot repeat a slot forever.
      for (let tries = 1; ; tries++) {
        const later = index > 0 || tries > 1 || state.resends !== undefined;
        const outcome = await attempt(series, later, firstAttemptAt);
        if (outcome === 'held') return 'held';
        if (outcome === 'received') {
          state.status = 'delivered'; // nothing is ever sent after a success
          return 'delivered';
        }
        if (outcome === 'failed' || tries === 2) break;
      }
    }
    state.status = 'failed';
    return 'failed';
  }

  /** One POST, recorded in the attempt log whatever its outcome. */
  async function attempt(
    series: number, later: boolean, firstAttemptAt: number,
  ): Promise<'received' | 'failed' | 'unknown' | 'held'> {
    if (later && keepsUnsent) {
      // Off the first-attempt path, so a delivery that succeeds at once costs no extra event.
      upsertSearchAttributes([
        { key: DELIVERY_STATUS, value: 'delivering' },
        { key: ATTEMPTS, value: state.attempts.length + 1 },
      ]);
    }
    const at = Date.now();
    // A later attempt first checks that the URL was not deactivated meanwhile (G5); the first one follows
    // the trigger, which checked already, so the common case costs nothing more.
    const unlessInactive = later ? { merchantId: input.merchantId, endpoint } : undefined;
    const outcome = await postCallback({
      request, timeoutMs: input.attemptTimeoutMs, unlessInactive, signing, attempt: state.attempts.length + 1,
    });
    if (outcome.held) return 'held';
    const received = isReceived(profile, outcome.statusCode);
    state.attempts.push({
      number: state.attempts.length + 1,
      series,
      at: new Date(at).toISOString(),
      offsetMs: at - firstAttemptAt,
      ...outcome,
      ...(outcome.statusCode !== undefined && !received ? { errorClass: 'unexpected_status' as const } : {}),
    });
    if (received) return 'received';
    return outcome.errorClass === 'outcome_unknown' ? 'unknown' : 'failed';
  }

  async function reportExhausted(): Promise<void> {
    await reportEndpointExhausted({
      deliveryId: state.deliveryId,
      merchantId: input.merchantId,
      endpoint,
      endpointUrl: input.endpointUrl,
      deactivateOnExhaustion: profile.deactivateOnExhaustion,
      lastErrors: state.attempts.slice(-3).map(describeAttempt),
      // An activity's input is not compared on replay: deliveries under way replay unchanged.
      lastErrorsAt: state.attempts.slice(-3).map((a) => a.at),
      attempt: state.attempts.length,
    });
  }

  function exhausted(): ApplicationFailure {
    const attempts = state.attempts.filter((a) => a.series === state.attempts.at(-1)!.series).length;
    return ApplicationFailure.nonRetryable(
      `callback not received after ${attempts} attempts: ${describeAttempt(state.attempts.at(-1)!)}`,
      DELIVERY_EXHAUSTED,
      state,
    );
  }
}

function describeAttempt(a: DeliveryAttempt): string {
  return a.statusCode !== undefined ? `HTTP ${a.statusCode}` : `${a.errorClass}: ${a.errorMessage ?? ''}`;
}
