// Where a merchant wants a notification: the URL it registered for the endpoint, whether that URL is inactive (G5),
// and the keys its notifications are signed with, read from its entity workflow's memo (a describe: no worker
// involved).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Deps } from '../lib/deps';
import {
  CALLBACK_URLS_MEMO, callbackUrlsQuery, ENDPOINT_STATUS_MEMO, EVENT_TYPES_MEMO, merchantMemoOf, merchantWorkflowId, NO_URLS,
  SIGNING_KEYS_MEMO, type CallbackUrls,
} from '../workflows/contracts/merchant';
import type { EndpointName } from '../providers/registry';
import { FIRST_KEYS, type SigningKeys } from '../workflows/endpoints';
import { merchantNotFound, NotRegistered } from './errors';

export interface CallbackTarget {
  url: string;
  inactive: boolean;
  signingKeys: SigningKeys;
  /** The event types the endpoint wants; absent: all. */
  eventTypes?: string[];
}

/** The registered URLs and each endpoint's status and keys; NotFound for a merchant with no entity. */
async function readMemo({ client }: Deps, merchantId: string) {
  const handle = client.workflow.getHandle(merchantWorkflowId(merchantId));
  try {
    const memo = merchantMemoOf((await handle.describe()).memo);
    return {
      // Merchants last changed before the URLs were published there answer through the query.
      // Accounts registered before an endpoint existed lack its key: it is not registered.
      urls: { ...NO_URLS, ...(memo[CALLBACK_URLS_MEMO] ?? (await handle.query(callbackUrlsQuery))) },
      statuses: memo[ENDPOINT_STATUS_MEMO] ?? {},
      signingKeys: memo[SIGNING_KEYS_MEMO] ?? {},
      eventTypes: memo[EVENT_TYPES_MEMO] ?? {},
    };
  } catch (err) {
    throw err instanceof WorkflowNotFoundError ? merchantNotFound(merchantId) : err;
  }
}

export async function callbackUrls(deps: Deps, merchantId: string): Promise<CallbackUrls> {
  return (await readMemo(deps, merchantId)).urls;
}

/** Where a notification to `which` goes; NotRegistered when the merchant has no URL for it. */
export async function requireCallbackUrl(deps: Deps, merchantId: string, which: EndpointName): Promise<CallbackTarget> {
  const { urls, statuses, signingKeys, eventTypes } = await readMemo(deps, merchantId);
  const url = urls[which];
  if (!url) throw new NotRegistered(merchantId, which);
  return {
    url,
    inactive: statuses[which] === 'inactive',
    signingKeys: signingKeys[which] ?? FIRST_KEYS,
    ...(eventTypes[which] ? { eventTypes: eventTypes[which] } : {}),
  };
}
