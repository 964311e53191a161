// The REST API over the time-skipping stack, with a real SMTP server: for tests that run a provider's whole schedule
// through the API (hours of retries in seconds) and read what it did.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { Config } from '../../lib/config';
import type { DeliveryState } from '../../workflows/contracts/deliverCallback';
import { SmtpCatcher } from './smtpCatcher';
import { startTimeSkippingStack, type TimeSkippingStack } from './timeSkippingEnv';

export interface TimeSkippingApi {
  stack: TimeSkippingStack;
  smtp: SmtpCatcher;
  base: string;
  /** A delivery's final state, whether it completed (delivered, held) or failed (exhausted). */
  outcome(deliveryId: string): Promise<DeliveryState>;
  stop(): Promise<void>;
}

export async function startTimeSkippingApi(config: Config): Promise<TimeSkippingApi> {
  const smtp = await SmtpCatcher.start();
  const stack = await startTimeSkippingStack({ smtpUrl: smtp.url });
  const api: Server = createApp({ client: stack.env.client, config }).listen(0, '127.0.0.1');
  await new Promise((r) => api.once('listening', r));
  return {
    stack,
    smtp,
    base: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    async outcome(deliveryId) {
      try {
        return await stack.env.client.workflow.getHandle(deliveryId).result();
      } catch (err) {
        assert.ok(err instanceof WorkflowFailedError);
        return (err.cause as any).details[0];
      }
    },
    async stop() {
      api.close();
      await stack.stop();
      await smtp.stop();
    },
  };
}
