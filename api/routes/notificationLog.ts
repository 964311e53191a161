// G7, G8: the log of one callback URL, and resending what it shows was not sent.
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { callbackUrls } from '../../notifications/callbackTargets';
import { listNotifications, logQuery } from '../notificationLog';
import { resend, resendProgress } from '../resends';
import { defineRoute, errorSchema } from '../route';
import {
  endpointNameSchema, idSchema, logPageSchema, logQuerySchema, resendPreviewSchema, resendProgressSchema,
  resendRequestSchema, resendStartedSchema,
} from '../schemas';

const endpointParams = z.object({ merchantId: idSchema, endpoint: endpointNameSchema });

export const notificationLogRoutes = (deps: Deps) => [
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/notifications',
    summary: 'G7: every notification to the URL, sent yes/no and attempts; filter by charge, sent and period; paged',
    tags: ['logs'],
    params: endpointParams,
    query: logQuerySchema,
    responses: {
      200: { description: 'One page, open notifications first, then the most recently closed', schema: logPageSchema },
      404: { description: 'Unknown merchant', schema: errorSchema },
    },
    handler: async ({ params, query: { pageSize, pageToken, ...filter } }) => {
      await callbackUrls(deps, params.merchantId); // 404 for an unknown merchant, rather than an empty log
      const query = logQuery(params.merchantId, params.endpoint, filter);
      return { status: 200, body: await listNotifications(deps, query, pageSize, pageToken) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/resends',
    summary: 'G8, D3: preview (count) the notifications not sent that match; with confirmCount, resend them',
    tags: ['logs'],
    params: endpointParams,
    body: resendRequestSchema,
    responses: {
      200: { description: 'Preview: nothing sent yet', schema: resendPreviewSchema },
      202: { description: 'Confirmed: queued, each on a new series of the same schedule', schema: resendStartedSchema },
      404: { description: 'Unknown merchant', schema: errorSchema },
      409: { description: 'URL inactive or not registered, or the selection changed since the preview', schema: errorSchema },
      429: { description: 'Temporal runs as many batch operations as allowed: retry', schema: errorSchema },
    },
    handler: async ({ params, body: { confirmCount, ...filter } }) => {
      const answer = await resend(deps, params.merchantId, params.endpoint, filter, confirmCount);
      return { status: answer.confirmed ? 202 : 200, body: answer };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/resends/:resendId',
    summary: 'G8: how far a confirmed resend is (its notifications signalled; each then follows its schedule)',
    tags: ['logs'],
    params: z.object({ merchantId: idSchema, resendId: z.string().regex(/^resend-[A-Za-z0-9_-]{1,200}$/, 'expected a resendId') }),
    responses: {
      200: { description: 'Progress', schema: resendProgressSchema },
      404: { description: 'Unknown resend', schema: errorSchema },
    },
    handler: async ({ params }) => ({ status: 200, body: await resendProgress(deps, params.merchantId, params.resendId) }),
  }),
];
