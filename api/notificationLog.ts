// G7: the log of one URL, answered from Temporal visibility: a delivery is started with its merchant, endpoint
// and charge as search attributes, and is Completed exactly when the receiver answered 200.
import { createHash } from 'node:crypto';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { Client } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { tsToDate } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { z } from 'zod';
import type { Deps } from '../lib/deps';
import type { EndpointName, EventChange } from '../providers/registry';
import { ATTEMPTS, CHARGE_ID, DELIVERY_STATUS } from '../workflows/searchAttributes';
import { CHANGE_MEMO } from '../notifications/deliveries';
import { HttpError } from './route';
import type { logFilterSchema, logRowSchema } from './schemas';

export type LogFilter = z.infer<typeof logFilterSchema>;
type LogRow = z.infer<typeof logRowSchema>;

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

/**
 * The visibility query for one URL's notifications. Every value was validated by its zod schema (ids are
 * [A-Za-z0-9_-], instants ISO 8601), so none can break out of its quotes.
 */
export function logQuery(merchantId: string, endpoint: EndpointName, filter: LogFilter): string {
  const clauses = [
    `WorkflowType = 'deliverCallback'`, `ArautoMerchant = '${merchantId}'`, `ArautoEndpoint = '${endpoint}'`,
  ];
  if (filter.chargeId) clauses.push(`ArautoChargeId = '${filter.chargeId}'`);
  if (filter.sent) clauses.push(`ExecutionStatus ${filter.sent === 'yes' ? '=' : '!='} 'Completed'`);
  if (filter.from) clauses.push(`StartTime >= '${new Date(filter.from).toISOString()}'`);
  if (filter.to) clauses.push(`StartTime < '${new Date(filter.to).toISOString()}'`);
  return clauses.join(' AND ');
}

/** One page, open notifications first, then the most recently closed (the order of SQL visibility). */
export async function listNotifications(
  { client, config }: Deps, query: string, pageSize: number, pageToken?: string,
): Promise<{ notifications: LogRow[]; nextPageToken: string | null }> {
  const raw = pageToken === undefined ? undefined : openPageToken(query, pageToken);
  const page = await client.workflowService.listWorkflowExecutions({
    namespace: config.TEMPORAL_NAMESPACE, query, pageSize, nextPageToken: raw,
  });
  const next = page.nextPageToken?.length ? sealPageToken(query, Buffer.from(page.nextPageToken)) : null;
  const notifications = await Promise.all(page.executions.map((info) => rowOf(client, info)));
  return { notifications, nextPageToken: next };
}

// The server's token, bound to the listing's query: a token from another listing (or mangled) is caught here
// as a 400, instead of reaching a server that may answer it with a retried internal error.
const digest = (query: string, raw: Buffer) => createHash('sha256').update(query).update('\n').update(raw).digest('base64url').slice(0, 16);

function sealPageToken(query: string, raw: Buffer): string {
  return `${raw.toString('base64url')}.${digest(query, raw)}`;
}

function openPageToken(query: string, token: string): Buffer {
  const [encoded, check] = token.split('.');
  const raw = Buffer.from(encoded, 'base64url');
  if (check === undefined || digest(query, raw) !== check) {
    throw new HttpError(400, 'invalid_request', 'The request has invalid fields.', [
      { field: 'query.pageToken', message: 'not a nextPageToken of this listing (same filters)' },
    ]);
  }
  return raw;
}

export async function countNotifications({ client, config }: Deps, query: string): Promise<number> {
  const { count } = await client.workflowService.countWorkflowExecutions({ namespace: config.TEMPORAL_NAMESPACE, query });
  return Number(count ?? 0);
}

async function rowOf(client: Client, info: temporal.api.workflow.v1.IWorkflowExecutionInfo): Promise<LogRow> {
  // The memo is encrypted like every payload (lib/payloadCodec.ts).
  const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, info.memo?.fields);
  const attributes = decodeTypedSearchAttributes(info.searchAttributes?.indexedFields);
  const sent = info.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
  const recorded = attributes.get(DELIVERY_STATUS) as LogRow['status'] | undefined;
  const open = info.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  return {
    deliveryId: info.execution?.workflowId ?? '',
    chargeId: attributes.get(CHARGE_ID) ?? '',
    sent,
    status: sent ? 'delivered' : (recorded ?? (open ? 'delivering' : 'failed')),
    // Unset until a second attempt (or a hold): the first attempt was made or is under way.
    attempts: attributes.get(ATTEMPTS) ?? 1,
    change: (memo?.[CHANGE_MEMO] as EventChange | undefined) ?? null,
    notifiedAt: tsToDate(info.startTime!).toISOString(),
    closedAt: info.closeTime ? tsToDate(info.closeTime).toISOString() : null,
  };
}
