// A merchant's registered callback URLs (G1, C4), kept as a long-lived entity.
import {
  allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, workflowInfo,
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

export async function merchant(urls: CallbackUrls = NO_URLS): Promise<void> {
  const current = { ...urls };
  setHandler(callbackUrlsQuery, () => current);
  setHandler(registerCallbackUrlsUpdate, (changes) => {
    for (const [key, value] of Object.entries(changes) as [keyof CallbackUrls, string | null | undefined][]) {
      if (value !== undefined) current[key] = value;
    }
    return current;
  });
  // Lives as long as the merchant; a fresh run keeps the history small.
  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof merchant>(current);
}
