import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { readDelivery } from '../../notifications/deliveries';
import { defineRoute, errorSchema } from '../route';
import { deliveryStateSchema } from '../schemas';

export const deliveryRoutes = (deps: Deps) => [
  defineRoute({
    method: 'get',
    path: '/v1/deliveries/:deliveryId',
    summary: "A notification's delivery: status and every attempt (time, status code or error class, latency)",
    tags: ['deliveries'],
    params: z.object({ deliveryId: z.string().regex(/^delivery\.[A-Za-z0-9_.-]{1,200}$/, 'expected a deliveryId') }),
    responses: {
      200: { description: 'The delivery', schema: deliveryStateSchema },
      404: { description: 'Unknown delivery', schema: errorSchema },
    },
    handler: async ({ params, account }) => ({ status: 200, body: await readDelivery(deps, params.deliveryId, account) }),
  }),
];
