// Gerencianet-style charge notifications (G1–G3).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChargeStatusChanged } from '../../workflows/callbackEvents';
import { readDelivery, startDelivery, type Deps } from '../deliveries';
import { requireCallbackUrl } from '../merchants';
import { defineRoute, errorSchema, HttpError } from '../route';
import { chargeStatusChangeSchema, idSchema, triggeredSchema } from '../schemas';

const tokenSchema = z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-character notification token');

/**
 * The token is what the receiver reads the change with, so it stays out of workflow ids (which Temporal never
 * encrypts): the id carries a digest of it. Deliveries raised before that carry the token itself.
 */
const deliveryIdOf = (token: string) =>
  `delivery.gerencianet.${createHash('sha256').update(`arauto/notification/${token}`).digest('hex').slice(0, 40)}`;
const legacyDeliveryIdOf = (token: string) => `delivery.gerencianet.${token}`;

/** The notification token names the change itself, so repeating the trigger yields the same token (and delivery). */
function notificationToken(merchantId: string, chargeId: string, change: z.infer<typeof chargeStatusChangeSchema>) {
  const identity = [merchantId, chargeId, change.previousStatus, change.currentStatus, change.customId, change.eventId];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 40);
}

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
      const target = await requireCallbackUrl(deps, params.merchantId, 'gerencianetNotificationUrl');
      const token = notificationToken(params.merchantId, params.chargeId, body);
      const event: ChargeStatusChanged = {
        type: 'charge-status-changed',
        token,
        chargeId: params.chargeId,
        customId: body.customId,
        previousStatus: body.previousStatus,
        currentStatus: body.currentStatus,
        occurredAt: body.occurredAt ?? new Date().toISOString(),
      };
      const triggered = await startDelivery(deps, deliveryIdOf(token), params.merchantId, target, event);
      return { status: triggered.duplicate ? 200 : 202, body: { ...triggered, token } };
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
      const { event } = await readDelivery(deps, deliveryIdOf(params.token), account).catch((err) => {
        if (err instanceof HttpError && err.status === 404) return readDelivery(deps, legacyDeliveryIdOf(params.token), account);
        throw err;
      });
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
