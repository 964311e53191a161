// Gerencianet-style charge notifications (G1–G3).
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { deliveryIdOf, legacyDeliveryIdOf, raiseChargeStatusChange } from '../../notifications/chargeStatusChanges';
import { readDelivery } from '../../notifications/deliveries';
import { NotFound } from '../../notifications/errors';
import { defineRoute, errorSchema } from '../route';
import { chargeStatusChangeSchema, idSchema, triggeredSchema } from '../schemas';

const tokenSchema = z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-character notification token');

const tokenAnswerSchema = z.object({
  code: z.literal(200),
  data: z.array(z.object({
    id: z.number(),
    type: z.literal('charge'),
    custom_id: z.string().nullable(),
    status: z.object({ current: z.string(), previous: z.string().nullable() }),
    identifiers: z.object({ charge_id: z.string() }),
    created_at: z.string(),
  })),
});

export const gerencianetRoutes = (deps: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/charges/:chargeId/status-changes',
    summary: 'A charge changed status: notify the merchant (POST notification=<token>, retried over an hour)',
    tags: ['gerencianet'],
    params: z.object({ merchantId: idSchema, chargeId: idSchema }),
    body: chargeStatusChangeSchema,
    responses: {
      202: { description: 'Notification accepted for delivery', schema: triggeredSchema.extend({ token: z.string() }) },
      200: { description: 'Already triggered: nothing new is sent', schema: triggeredSchema.extend({ token: z.string() }) },
      404: { description: 'Unknown merchant', schema: errorSchema },
      409: { description: 'No notification URL registered', schema: errorSchema },
    },
    handler: async ({ params, body }) => {
      const triggered = await raiseChargeStatusChange(deps, params.merchantId, params.chargeId, body);
      return { status: triggered.duplicate ? 200 : 202, body: triggered };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/notifications/:token',
    summary: 'What changed for a notification token (G1): the query a receiver makes after the POST',
    tags: ['gerencianet'],
    params: z.object({ token: tokenSchema }),
    responses: {
      200: { description: 'The status change the token stands for', schema: tokenAnswerSchema },
      404: { description: 'Unknown token', schema: errorSchema },
    },
    handler: async ({ params, account }) => {
      const { event } = await readDelivery(deps, deliveryIdOf(params.token), account)
        .catch((err) => { if (err instanceof NotFound) return readDelivery(deps, legacyDeliveryIdOf(params.token), account); throw err; })
        // The delivery ids tried are ours, not the caller's: the answer names what it asked for.
        .catch((err) => { throw err instanceof NotFound ? new NotFound(`No notification ${params.token}.`) : err; });
      if (event.type !== 'charge-status-changed') throw new Error('gerencianet delivery without a charge event');
      return {
        status: 200,
        body: {
          code: 200,
          data: [{
            id: 1,
            type: 'charge',
            custom_id: event.customId,
            status: { current: event.currentStatus, previous: event.previousStatus },
            identifiers: { charge_id: event.chargeId },
            created_at: event.occurredAt,
          }],
        },
      };
    },
  }),
];
