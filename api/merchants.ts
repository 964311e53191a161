// A merchant's callback URLs, held by its entity workflow.
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  CALLBACK_URLS_MEMO, callbackUrlsQuery, merchant, merchantWorkflowId, NO_URLS, registerCallbackUrlsUpdate,
  type CallbackUrls,
} from '../workflows/merchant';
import type { Deps } from './deliveries';
import { HttpError } from './route';

export async function registerCallbackUrls(
  { client, config }: Deps,
  merchantId: string,
  changes: Partial<CallbackUrls>,
): Promise<CallbackUrls> {
  const handle = await client.workflow.start(merchant, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: merchantWorkflowId(merchantId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [NO_URLS],
  });
  return handle.executeUpdate(registerCallbackUrlsUpdate, { args: [changes] });
}

export async function callbackUrls({ client }: Deps, merchantId: string): Promise<CallbackUrls> {
  const handle = client.workflow.getHandle(merchantWorkflowId(merchantId));
  try {
    // The memo comes with a describe, answered by the server alone; merchants last changed before the
    // URLs were published there answer through the query, which goes through a worker.
    const { memo } = await handle.describe();
    return (memo?.[CALLBACK_URLS_MEMO] as CallbackUrls | undefined) ?? (await handle.query(callbackUrlsQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new HttpError(404, 'not_found', `Merchant ${merchantId} has no registered callback URLs.`);
    }
    throw err;
  }
}

/** The URL a notification goes to; 409 naming the missing registration when there is none. */
export async function requireCallbackUrl(deps: Deps, merchantId: string, which: keyof CallbackUrls): Promise<string> {
  const url = (await callbackUrls(deps, merchantId))[which];
  if (!url) {
    throw new HttpError(409, 'no_callback_url', `Merchant ${merchantId} has no ${which} registered.`, [
      { field: which, message: 'register it with PUT /v1/merchants/{merchantId}/callback-urls' },
    ]);
  }
  return url;
}
