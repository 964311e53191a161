// I3: vehicle debt queries, once per clientRequestId of an account.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { debtQuery, debtQueryWorkflowId } from '../../workflows/debtQuery';
import type { Deps } from '../deliveries';
import { defineRoute } from '../route';
import { idSchema } from '../schemas';

const body = z.object({
  clientRequestId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected 1–100 letters, digits, "_" or "-"'),
  licensePlate: z.string().regex(/^[A-Z]{3}\d[A-Z0-9]\d{2}$/, 'expected a plate such as DIS9865 or DIS9H65'),
  renavam: z.string().regex(/^\d{9,11}$/, 'expected 9–11 digits'),
  state: z.string().regex(/^[A-Z]{2}$/, 'expected a UF such as DF'),
}).strict();

const repeated = z.object({ transactionId: z.literal(0), message: z.string(), errorCode: z.literal('822') });

export const debtQueryRoutes = ({ client, config }: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/debt-queries',
    summary: 'I3: query a vehicle\'s debts, once per clientRequestId (a repeated key answers error 822)',
    tags: ['payments'],
    params: z.object({ merchantId: idSchema }),
    body,
    responses: {
      200: { description: 'The debts', schema: z.record(z.string(), z.unknown()) },
      409: { description: 'clientRequestId already used by this account: error 822, as the provider answers', schema: repeated },
    },
    handler: async ({ params, body: request }) => {
      try {
        const result = await client.workflow.execute(debtQuery, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: debtQueryWorkflowId(params.merchantId, request.clientRequestId),
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [{ merchantId: params.merchantId, ...request }],
        });
        return { status: 200, body: result };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        return {
          status: 409,
          body: {
            transactionId: 0,
            message: `Consulta de débitos já realizada com clientRequestId: ${request.clientRequestId}`,
            errorCode: '822',
          },
        };
      }
    },
  }),
];
