// A merchant's registered callback URLs (G1, C4), kept as a long-lived entity.
import {
  allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, patched, setHandler, upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';

export interface CallbackUrls {
  /** Gerencianet: where charge notifications (`notification=<token>`) are POSTed. */
  gerencianetNotificationUrl: string | null;
  /** ControlPay: sale-intent callback URL (C4, C6). */
  controlpaySaleUrl: string | null;
  /** ControlPay: print-intent callback URL (C4, C7). */
  controlpayPrintUrl: string | null;
}

export const NO_URLS: CallbackUrls = {
  gerencianetNotificationUrl: null,
  controlpaySaleUrl: null,
  controlpayPrintUrl: null,
};

/** Sets the given URLs (null clears one, absent keeps it); returns the URLs now registered. */
export const registerCallbackUrlsUpdate = defineUpdate<CallbackUrls, [Partial<CallbackUrls>]>('registerCallbackUrls');
export const callbackUrlsQuery = defineQuery<CallbackUrls>('callbackUrls');

export function merchantWorkflowId(merchantId: string): string {
  return `merchant.${merchantId}`;
}

/** The memo key under which the URLs are published; runs from before this patch answer only the query. */
export const CALLBACK_URLS_MEMO = 'callbackUrls';
const URLS_IN_MEMO_PATCH = 'callback-urls-in-memo';

export async function merchant(urls: CallbackUrls = NO_URLS): Promise<void> {
  const current = { ...urls };
  // Published in the memo too: a trigger reads it with a describe, which the server answers from the
  // workflow's stored state, instead of a query, which needs a round trip through a worker (README, Performance).
  const publish = () => {
    if (patched(URLS_IN_MEMO_PATCH)) upsertMemo({ [CALLBACK_URLS_MEMO]: current });
  };
  if (Object.values(current).some((url) => url !== null)) publish(); // a continued run carries its URLs over
  setHandler(callbackUrlsQuery, () => current);
  setHandler(registerCallbackUrlsUpdate, (changes) => {
    for (const [key, value] of Object.entries(changes) as [keyof CallbackUrls, string | null | undefined][]) {
      if (value !== undefined) current[key] = value;
    }
    publish();
    return current;
  });
  // Lives as long as the merchant; a fresh run keeps the history small.
  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof merchant>(current);
}
