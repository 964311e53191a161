// I1, I2: payments, once per clientRequestId of an account; every repeat answers the same paymentId.
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { idempotentPayment, PAYMENT_DIGEST_MEMO, paymentWorkflowId } from '../../workflows/idempotentPayment';
import type { Deps } from '../deliveries';
import { defineRoute, errorSchema, HttpError } from '../route';
import { clientRequestIdSchema, idSchema, vehicleSchema } from '../schemas';

const body = vehicleSchema.extend({
  clientRequestId: clientRequestIdSchema,
  debtId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected the debtId of a debt query'),
  amount: z.number().positive().max(1_000_000).refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'at most two decimals'),
}).strict();

const accepted = z.object({ paymentId: z.string(), errorCode: z.literal('000'), message: z.string() });
export const PAYMENT_ACCEPTED = 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.';

/** Arauto's paymentId: derived from account and key, so every answer to a repeat is the same, byte for byte. */
function paymentIdOf(merchantId: string, clientRequestId: string): string {
  const h = createHash('sha256').update(`arauto/payment/${merchantId}/${clientRequestId}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const paymentRoutes = ({ client, config }: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/payments',
    summary: 'I1, I2: pay a debt once per clientRequestId; a repeat answers the same paymentId and charges nothing',
    tags: ['payments'],
    params: z.object({ merchantId: idSchema }),
    body,
    responses: {
      200: { description: 'Accepted (the first time and every repeat alike)', schema: accepted },
      409: { description: 'clientRequestId already used with a different payment: nothing charged', schema: errorSchema },
    },
    handler: async ({ params, body: { clientRequestId, ...request } }) => {
      const { merchantId } = params;
      const paymentId = paymentIdOf(merchantId, clientRequestId);
      const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
      const workflowId = paymentWorkflowId(merchantId, clientRequestId);
      try {
        // One execution per key, decided by Temporal: a running one is joined, a closed one is never run again.
        await client.workflow.start(idempotentPayment, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { [PAYMENT_DIGEST_MEMO]: digest },
          args: [{ merchantId, clientRequestId, paymentId, request }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      const { memo } = await client.workflow.getHandle(workflowId).describe();
      if (memo?.[PAYMENT_DIGEST_MEMO] !== digest) {
        throw new HttpError(409, 'idempotency_conflict',
          `clientRequestId ${clientRequestId} was already used for a different payment; nothing was charged for this one.`,
          [{ field: 'body.clientRequestId', message: 'already used with another debtId, amount or vehicle' }]);
      }
      return { status: 200, body: { paymentId, errorCode: '000', message: PAYMENT_ACCEPTED } };
    },
  }),
];
