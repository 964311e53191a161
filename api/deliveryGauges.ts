// The gauges an operator watches beside the counters (lib/metrics.ts), computed when Prometheus scrapes the API,
// from what Temporal already knows: visibility counts of running deliveries, and the merchants' memos (their
// endpoints' statuses). Nothing is kept in this process, so any API process answers the same and none needs a
// workflow change. One count per provider and state, and one listing of the running merchant entities, per scrape.
import type { Client } from '@temporalio/client';
import { Gauge } from 'prom-client';
import type { Deps } from '../lib/deps';
import { log } from '../lib/log';
import { registry } from '../lib/metrics';
import { PROVIDERS } from '../providers/registry';
import { DELIVER_CALLBACK_WORKFLOW } from '../workflows/contracts/deliverCallback';
import { ENDPOINT_STATUS_MEMO, MERCHANT_WORKFLOW, merchantMemoOf } from '../workflows/contracts/merchant';

const RUNNING_DELIVERIES = `WorkflowType = '${DELIVER_CALLBACK_WORKFLOW}' AND ExecutionStatus = 'Running'`;
/**
 * A running delivery neither held nor failed is between attempts (its status is unset until its second attempt
 * starts, `delivering` after), or briefly making one.
 */
const WAITING = `(ArautoDeliveryStatus IS NULL OR ArautoDeliveryStatus = 'delivering')`;
const HELD = `ArautoDeliveryStatus = 'held'`;

/** Registers the three gauges on the shared registry; once per API process. */
export function registerDeliveryGauges({ client, config }: Deps): void {
  const count = async (query: string) => Number((await client.workflowService.countWorkflowExecutions({
    namespace: config.TEMPORAL_NAMESPACE, query,
  })).count ?? 0);
  const perProvider = (state: string) => async function collect(this: Gauge<'provider'>) {
    await orKeep(Promise.all(PROVIDERS.map(async (provider) => {
      const endpoints = provider.endpoints.map((e) => `'${e.endpoint}'`).join(', ');
      const n = await count(`${RUNNING_DELIVERIES} AND ArautoEndpoint IN (${endpoints}) AND ${state}`);
      this.set({ provider: provider.name }, n);
    })));
  };
  new Gauge({
    name: 'arauto_deliveries_waiting_retry',
    help: 'Running deliveries between attempts (or making one), neither held nor failed, by provider',
    labelNames: ['provider'] as const, registers: [registry], collect: perProvider(WAITING),
  });
  new Gauge({
    name: 'arauto_notifications_held',
    help: 'Running deliveries held, not sent, because their URL is inactive (G5), by provider',
    labelNames: ['provider'] as const, registers: [registry], collect: perProvider(HELD),
  });
  new Gauge({
    name: 'arauto_endpoints_inactive',
    help: 'Callback URLs inactive now (deactivated, G4, not yet reactivated), by provider',
    labelNames: ['provider'] as const, registers: [registry],
    async collect() {
      await orKeep(inactiveEndpoints(client).then((counts) => {
        for (const [provider, n] of counts) this.set({ provider }, n);
      }));
    },
  });
}

/** Every running merchant entity's memo, where it publishes its endpoints' statuses. */
async function inactiveEndpoints(client: Client): Promise<Map<string, number>> {
  const counts = new Map(PROVIDERS.map((p) => [p.name as string, 0]));
  const providerOfEndpoint = new Map(PROVIDERS.flatMap((p) => p.endpoints.map((e) => [e.endpoint as string, p.name])));
  for await (const merchant of client.workflow.list({ query: `WorkflowType = '${MERCHANT_WORKFLOW}' AND ExecutionStatus = 'Running'` })) {
    const statuses = merchantMemoOf(merchant.memo)[ENDPOINT_STATUS_MEMO] ?? {};
    for (const [endpoint, status] of Object.entries(statuses)) {
      const provider = providerOfEndpoint.get(endpoint);
      if (status === 'inactive' && provider) counts.set(provider, counts.get(provider)! + 1);
    }
  }
  return counts;
}

/** Temporal away: the gauges keep their last values (and the API's own counters are still served). */
async function orKeep(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (err) {
    log.warn('gauges not refreshed from Temporal', { error: (err as Error).message });
  }
}
