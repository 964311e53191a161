import { z } from 'zod';
import { callbackUrls, registerCallbackUrls } from '../merchants';
import type { Deps } from '../deliveries';
import { defineRoute, errorSchema } from '../route';
import { callbackUrlsChangeSchema, callbackUrlsSchema, idSchema } from '../schemas';

const params = z.object({ merchantId: idSchema });

export const merchantRoutes = (deps: Deps) => [
  defineRoute({
    method: 'put',
    path: '/v1/merchants/:merchantId/callback-urls',
    summary: "Register a merchant's callback URLs (G1, C4); null clears one, an absent key keeps it",
    tags: ['merchants'],
    params,
    body: callbackUrlsChangeSchema,
    responses: { 200: { description: 'The URLs now registered', schema: callbackUrlsSchema } },
    handler: async ({ params, body }) => ({
      status: 200,
      body: await registerCallbackUrls(deps, params.merchantId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/callback-urls',
    summary: "A merchant's registered callback URLs",
    tags: ['merchants'],
    params,
    responses: {
      200: { description: 'The registered URLs', schema: callbackUrlsSchema },
      404: { description: 'Unknown merchant', schema: errorSchema },
    },
    handler: async ({ params }) => ({ status: 200, body: await callbackUrls(deps, params.merchantId) }),
  }),
];
