// G8, D3: resend the notifications of one URL that were not sent, after a preview that answers how many. The
// resend is a Temporal batch operation signalling `resend` to every selected delivery (the Web UI lists it too);
// each then runs a new series of attempts on its own schedule.
import { randomUUID } from 'node:crypto';
import { isGrpcServiceError } from '@temporalio/client';
import { tsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { z } from 'zod';
import type { Deps } from '../lib/deps';
import { resendNotifications, resends } from '../lib/metrics';
import { resendSignal } from '../workflows/contracts/deliverCallback';
import type { EndpointName } from '../providers/registry';
import { requireCallbackUrl } from '../notifications/callbackTargets';
import { countNotifications, logQuery, type LogFilter } from './notificationLog';
import { HttpError } from './route';
import type { resendPreviewSchema, resendProgressSchema, resendStartedSchema } from './schemas';

const { BatchOperationState } = temporal.api.enums.v1;
const RESOURCE_EXHAUSTED = 8; // gRPC status
const NOT_FOUND = 5;

/** Not sent and waiting for a resend; a delivery still under way is left to its schedule. */
const RESENDABLE = `ExecutionStatus = 'Running' AND ArautoDeliveryStatus IN ('held', 'failed')`;

/** Which notifications a resend is about: the log's filters (without `sent`), and optionally chosen rows. */
export type ResendSelection = Omit<LogFilter, 'sent'> & { deliveryIds?: string[] };

/** The log's query for the selection; delivery ids were validated (deliveryIdSchema), so none leaves its quotes. */
function selectionQuery(merchantId: string, endpoint: EndpointName, { deliveryIds, ...filter }: ResendSelection & Pick<LogFilter, 'sent'>) {
  const query = logQuery(merchantId, endpoint, filter);
  if (!deliveryIds) return query;
  return `${query} AND WorkflowId IN (${[...new Set(deliveryIds)].map((id) => `'${id}'`).join(', ')})`;
}

export async function resend(
  deps: Deps, merchantId: string, endpoint: EndpointName, filter: ResendSelection, confirmCount?: number,
): Promise<z.infer<typeof resendPreviewSchema> | z.infer<typeof resendStartedSchema>> {
  const { inactive } = await requireCallbackUrl(deps, merchantId, endpoint);
  if (inactive) {
    throw new HttpError(409, 'endpoint_inactive',
      `${endpoint} is inactive: nothing would be sent. Test and reactivate it first ` +
      `(POST /v1/merchants/${merchantId}/endpoints/${endpoint}/activation).`);
  }
  const selection = `${selectionQuery(merchantId, endpoint, filter)} AND ${RESENDABLE}`;
  const count = await countNotifications(deps, selection);
  if (confirmCount === undefined) {
    const alreadySent = await countNotifications(deps, selectionQuery(merchantId, endpoint, { ...filter, sent: 'yes' }));
    resends.inc({ stage: 'previewed' });
    // Nothing to confirm: a confirmCount of 0 would be refused (400), so none is suggested.
    if (count === 0) return { confirmed: false, count, alreadySent, message: 'Nothing to resend: no notification matching these filters is waiting for one.' };
    return { confirmed: false, count, alreadySent, confirmWith: { confirmCount: count } };
  }
  if (count !== confirmCount) {
    throw new HttpError(409, 'selection_changed',
      `The selection now holds ${count} notifications, not ${confirmCount}: preview again and confirm that count.`,
      undefined, { count });
  }
  const resendId = `resend-${merchantId}-${endpoint}-${randomUUID()}`;
  try {
    await deps.client.workflowService.startBatchOperation({
      namespace: deps.config.TEMPORAL_NAMESPACE,
      jobId: resendId,
      visibilityQuery: selection,
      reason: `resend requested by ${merchantId} for ${endpoint} (API or portal)`,
      signalOperation: { signal: resendSignal.name, identity: 'arauto-api' },
    });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === RESOURCE_EXHAUSTED) {
      throw new HttpError(429, 'resend_busy',
        'Temporal is running as many batch operations as this namespace allows; retry once one has finished.');
    }
    throw err;
  }
  resends.inc({ stage: 'confirmed' });
  resendNotifications.inc(count);
  return { confirmed: true, resendId, count };
}

const STATE = {
  [BatchOperationState.BATCH_OPERATION_STATE_RUNNING]: 'running',
  [BatchOperationState.BATCH_OPERATION_STATE_COMPLETED]: 'completed',
  [BatchOperationState.BATCH_OPERATION_STATE_FAILED]: 'failed',
} as const;

export async function resendProgress(
  { client, config }: Deps, merchantId: string, resendId: string,
): Promise<z.infer<typeof resendProgressSchema>> {
  const unknown = new HttpError(404, 'not_found', `Merchant ${merchantId} has no resend ${resendId}.`);
  if (!resendId.startsWith(`resend-${merchantId}-`)) throw unknown;
  try {
    const job = await client.workflowService.describeBatchOperation({ namespace: config.TEMPORAL_NAMESPACE, jobId: resendId });
    return {
      resendId,
      state: STATE[job.state as keyof typeof STATE] ?? 'running',
      total: Number(job.totalOperationCount ?? 0),
      signalled: Number(job.completeOperationCount ?? 0),
      failed: Number(job.failureOperationCount ?? 0),
      startedAt: job.startTime ? tsToDate(job.startTime).toISOString() : null,
      closedAt: job.closeTime ? tsToDate(job.closeTime).toISOString() : null,
    };
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === NOT_FOUND) throw unknown;
    throw err;
  }
}
