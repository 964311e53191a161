// G4: a delivery used every attempt of its schedule; its merchant's entity decides whether the URL is deactivated.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { log } from '../lib/log';
import { originOf } from './deliveryLog';
import type { EndpointName } from '../providers/registry';
import { endpointExhaustedSignal, merchantWorkflowId } from '../workflows/contracts/merchant';

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
    try {
      await client.workflow.getHandle(merchantWorkflowId(report.merchantId)).signal(endpointExhaustedSignal, {
        endpoint: report.endpoint,
        url: report.endpointUrl,
        deliveryId: report.deliveryId,
        deactivate: report.deactivateOnExhaustion,
        lastErrors: report.lastErrors,
        ...(report.lastErrorsAt ? { lastErrorsAt: report.lastErrorsAt } : {}),
      });
    } catch (err) {
      // A merchant with no entity (never registered through the API, e.g. a test) has nothing to deactivate.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };
}
