// I3: vehicle debt queries, once per clientRequestId of an account.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { debtQueries } from '../../lib/metrics';
import { DEBT_QUERY_WORKFLOW, debtQueryWorkflowId, type DebtQueryWorkflow } from '../../workflows/contracts/debtQuery';
import { CLIENT_REQUEST_ID, MERCHANT } from '../../workflows/searchAttributes';
import { defineRoute } from '../route';
import { clientRequestIdSchema, idSchema, vehicleSchema } from '../schemas';

const body = vehicleSchema.extend({ clientRequestId: clientRequestIdSchema }).strict();

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
        const result = await client.workflow.execute<DebtQueryWorkflow>(DEBT_QUERY_WORKFLOW, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: debtQueryWorkflowId(params.merchantId, request.clientRequestId),
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Vehicle debt query ${request.clientRequestId} (${request.licensePlate}/${request.state}), for ${params.merchantId}`,
          typedSearchAttributes: [
            { key: MERCHANT, value: params.merchantId }, { key: CLIENT_REQUEST_ID, value: request.clientRequestId },
          ],
          args: [{ merchantId: params.merchantId, ...request }],
        });
        debtQueries.inc({ outcome: 'accepted' });
        return { status: 200, body: result };
      } catch (err) {
        debtQueries.inc({ outcome: err instanceof WorkflowExecutionAlreadyStartedError ? 'refused_822' : 'error' });
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
