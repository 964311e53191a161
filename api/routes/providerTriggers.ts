// The REST triggers providers declare (providers/*.ts, `trigger`), mounted from the registry: a provider that brings
// its own trigger needs no route file. Each raises its event like every other notification (notifications/raise.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { NotSubscribed } from '../../notifications/errors';
import { raiseNotification } from '../../notifications/raise';
import { TRIGGERS, type CallbackEvent } from '../../providers/registry';
import { defineRoute, errorSchema } from '../route';
import { eventTriggeredSchema, idSchema } from '../schemas';

export const providerTriggerRoutes = (deps: Deps) => TRIGGERS.map(({ provider, kind }) => {
  const trigger = kind.trigger!;
  return defineRoute({
    method: 'post',
    path: `/v1/merchants/:merchantId${trigger.path}`,
    summary: trigger.summary,
    tags: [provider.name],
    params: z.object({ merchantId: idSchema }),
    body: trigger.body,
    responses: {
      202: { description: 'Accepted for delivery', schema: eventTriggeredSchema },
      200: {
        description: 'Already triggered, or a type the endpoint does not take: nothing new is sent', schema: eventTriggeredSchema,
      },
      404: { description: 'Unknown merchant', schema: errorSchema },
      409: { description: `No ${kind.endpoint} registered, or the same id was triggered with other data`, schema: errorSchema },
    },
    handler: async ({ params, body }) => {
      const context = { now: new Date().toISOString(), newId: () => randomUUID() };
      const { event, deliveryId } = trigger.raise(params.merchantId, body, context);
      try {
        const triggered = await raiseNotification(deps, params.merchantId, event as CallbackEvent, () => deliveryId);
        return { status: triggered.duplicate ? 200 : 202, body: { ...triggered, subscribed: true } };
      } catch (err) {
        if (!(err instanceof NotSubscribed)) throw err;
        return { status: 200, body: { deliveryId: null, duplicate: false, subscribed: false, message: err.message } };
      }
    },
  });
});
