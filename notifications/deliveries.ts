// Starting and reading deliveries: one workflow per notification, with an id derived from it.
import {
  InternalConnectionLikeSymbol, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client,
  type InternalConnectionLike,
} from '@temporalio/client';
import type { Deps } from '../lib/deps';
import { deliveriesHeld, providerOf } from '../lib/metrics';
import { changeOf, chargeIdOf, describeEvent, endpointOf, type CallbackEvent } from '../providers/registry';
import {
  DELIVER_CALLBACK_WORKFLOW, deliveryStateQuery, type DeliverCallbackWorkflow, type DeliveryState,
} from '../workflows/contracts/deliverCallback';
import { CHARGE_ID, ENDPOINT, MERCHANT } from '../workflows/searchAttributes';
import type { CallbackTarget } from './callbackTargets';
import { ConflictingNotification, NotFound } from './errors';

const DAY_MS = 86_400_000;
/** A delivery's memo key holding its EventChange; absent from deliveries started before issue 16. */
export const CHANGE_MEMO = 'change';

export interface Triggered {
  deliveryId: string;
  duplicate: boolean;
}

/**
 * Starts the delivery unless one with this id ever ran: a repeated trigger sends nothing twice,
 * and a repeated trigger that says something different is refused.
 */
export async function startDelivery(
  { client, config }: Deps,
  deliveryId: string,
  merchantId: string,
  target: CallbackTarget,
  event: CallbackEvent,
): Promise<Triggered> {
  try {
    await client.workflow.start<DeliverCallbackWorkflow>(DELIVER_CALLBACK_WORKFLOW, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: deliveryId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // With a worker in this process on the same connection, its first workflow task comes back with the start.
      requestEagerStart: eagerStartPossible(client),
      staticSummary: `${describeEvent(event)}, to ${merchantId}'s ${endpointOf(event)}`,
      // What the logs per URL are searched by (G7).
      typedSearchAttributes: [
        { key: MERCHANT, value: merchantId },
        { key: ENDPOINT, value: endpointOf(event) },
        { key: CHARGE_ID, value: chargeIdOf(event) },
      ],
      // What the log row shows as changed (G7): listing rows read the memo, not each workflow's input.
      memo: { [CHANGE_MEMO]: changeOf(event) },
      args: [{
        merchantId,
        endpointUrl: target.url,
        event,
        // Accepted and kept, not sent (G5); the delivery records it as held.
        ...(target.inactive ? { endpointInactive: true } : {}),
        ...(target.signingKeys.version > 1 ? { signingKeys: target.signingKeys } : {}),
        delayDivisor: config.RETRY_DELAY_DIVISOR,
        attemptTimeoutMs: config.CALLBACK_TIMEOUT_MS,
        resendWindowMs: config.RESEND_WINDOW_DAYS * DAY_MS,
        recordedAttempts: { reportGraceMs: config.CALLBACK_REPORT_GRACE_MS },
      }],
    });
    // Raised while the URL is inactive: held from the start (G5), no attempt will count it.
    if (target.inactive) deliveriesHeld.inc({ provider: providerOf(endpointOf(event)) });
    return { deliveryId, duplicate: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const existing = await readDelivery({ client, config }, deliveryId);
  if (!sameEvent(existing.event, event)) {
    throw new ConflictingNotification(
      `${deliveryId} was already triggered with different data; a notification cannot change once sent.`);
  }
  return { deliveryId, duplicate: true };
}

/** Only a client on a worker's NativeConnection can take a workflow task eagerly (the SDK refuses otherwise). */
function eagerStartPossible(client: Client): boolean {
  return (client.connection as InternalConnectionLike)[InternalConnectionLikeSymbol]?.supportsEagerStart === true;
}

function sameEvent(a: CallbackEvent, b: CallbackEvent): boolean {
  const strip = ({ occurredAt: _, ...rest }: CallbackEvent) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/** The delivery's state and attempts; NotFound when no such delivery exists, or when it is not `account`'s. */
export async function readDelivery({ client }: Deps, deliveryId: string, account?: string): Promise<DeliveryState> {
  const unknown = new NotFound(`No delivery ${deliveryId}.`);
  let state: DeliveryState;
  try {
    state = await client.workflow.getHandle(deliveryId).query(deliveryStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw unknown;
    throw err;
  }
  if (account !== undefined && state.merchantId !== account) throw unknown;
  return state;
}

/** When the delivery was started (accepted), or undefined when none with this id ever ran. */
export async function startedAt({ client }: Deps, deliveryId: string): Promise<number | undefined> {
  try {
    return (await client.workflow.getHandle(deliveryId).describe()).startTime.getTime();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
