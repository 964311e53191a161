// G4: a delivery used every attempt of its schedule; its merchant's entity decides whether the URL is deactivated.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { log } from '../lib/log';
import { deliveriesFinished, endpointDeactivations, providerOf } from '../lib/metrics';
import { originOf } from './deliveryLog';
import type { EndpointName } from '../providers/registry';
import {
  CALLBACK_URLS_MEMO, endpointExhaustedSignal, ENDPOINT_STATUS_MEMO, merchantMemoOf, merchantWorkflowId,
} from '../workflows/contracts/merchant';

export interface EndpointExhaustedReport {
  deliveryId: string;
  merchantId: string;
  /** Absent from deliveries started before endpoints had a lifecycle. */
  endpoint?: EndpointName;
  endpointUrl: string;
  deactivateOnExhaustion: boolean;
  lastErrors: string[];
  /** When each of lastErrors happened; absent from deliveries started before issue 16. */
  lastErrorsAt?: string[];
  /** The last attempt's number, for the logs; absent from deliveries started before it. */
  attempt?: number;
}

export function createReportEndpointExhausted(client: Client) {
  return async function reportEndpointExhausted(report: EndpointExhaustedReport): Promise<void> {
    // The URL's origin only: its path and query may hold the merchant's token.
    const { endpointUrl, ...fields } = report;
    log.warn('callback endpoint exhausted', { ...fields, endpointOrigin: originOf(endpointUrl) });
    const handle = client.workflow.getHandle(merchantWorkflowId(report.merchantId));
    try {
      const deactivates = await willDeactivate(handle, report);
      await handle.signal(endpointExhaustedSignal, {
        endpoint: report.endpoint,
        url: report.endpointUrl,
        deliveryId: report.deliveryId,
        deactivate: report.deactivateOnExhaustion,
        lastErrors: report.lastErrors,
        ...(report.lastErrorsAt ? { lastErrorsAt: report.lastErrorsAt } : {}),
      });
      if (deactivates && report.endpoint) endpointDeactivations.inc({ provider: providerOf(report.endpoint) });
    } catch (err) {
      // A merchant with no entity (never registered through the API, e.g. a test) has nothing to deactivate.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    // Counted once the report is made: a failed signal is retried by Temporal, and counted then.
    if (report.endpoint) deliveriesFinished.inc({ provider: providerOf(report.endpoint), result: 'exhausted' });
  };
}

/**
 * Whether this report deactivates the URL, as the merchant entity decides it (workflows/merchant.ts): the URL is
 * still the registered one, and active. Read from its memo before the signal, since the entity answers a signal
 * with nothing; two deliveries exhausting against one URL in the same instant would both count it.
 */
async function willDeactivate(
  handle: { describe(): Promise<{ memo?: Record<string, unknown> }> }, report: EndpointExhaustedReport,
): Promise<boolean> {
  if (!report.deactivateOnExhaustion || !report.endpoint) return false;
  const memo = merchantMemoOf((await handle.describe()).memo);
  return memo[CALLBACK_URLS_MEMO]?.[report.endpoint] === report.endpointUrl
    && memo[ENDPOINT_STATUS_MEMO]?.[report.endpoint] !== 'inactive';
}
