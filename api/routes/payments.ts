// I1, I2: payments, once per clientRequestId of an account; every repeat answers the same paymentId and is
// answered by the receipt webhook again.
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { log } from '../../lib/log';
import {
  idempotentPayment, PAYMENT_DIGEST_MEMO, paymentRequestedSignal, paymentWorkflowId, type PaymentOutcome,
} from '../../workflows/idempotentPayment';
import { CHARGE_ID, CLIENT_REQUEST_ID, MERCHANT } from '../../workflows/searchAttributes';
import type { Deps } from '../../lib/deps';
import { requireCallbackUrl } from '../../notifications/callbackTargets';
import { raisePaymentReceipt } from '../../notifications/paymentReceipts';
import { defineRoute, errorSchema, HttpError } from '../route';
import { clientRequestIdSchema, idSchema, vehicleSchema } from '../schemas';

const body = vehicleSchema.extend({
  clientRequestId: clientRequestIdSchema,
  debtId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected the debtId of a debt query'),
  // multipleOf, not a refinement (zod's check is float-safe: 0.07 passes); the generator drops it, hence the meta.
  amount: z.number().min(0.01).max(1_000_000).multipleOf(0.01, 'at most two decimals').meta({ multipleOf: 0.01 }),
}).strict();

const accepted = z.object({ paymentId: z.string(), errorCode: z.literal('000'), message: z.string() });
export const PAYMENT_ACCEPTED = 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.';

/** Arauto's paymentId: derived from account and key, so every answer to a repeat is the same, byte for byte. */
function paymentIdOf(merchantId: string, clientRequestId: string): string {
  const h = createHash('sha256').update(`arauto/payment/${merchantId}/${clientRequestId}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const paymentRoutes = (deps: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/payments',
    summary: 'I1, I2: pay a debt once per clientRequestId; a repeat answers the same paymentId, charges nothing and sends the receipt again',
    tags: ['payments'],
    params: z.object({ merchantId: idSchema }),
    body,
    responses: {
      200: { description: 'Accepted (the first time and every repeat alike); the receipt goes to paymentWebhookUrl', schema: accepted },
      409: {
        description: 'clientRequestId already used with a different payment (nothing charged), or no paymentWebhookUrl registered',
        schema: errorSchema,
      },
    },
    handler: async ({ params, body: { clientRequestId, ...request } }) => {
      const { client, config } = deps;
      const { merchantId } = params;
      await requireCallbackUrl(deps, merchantId, 'paymentWebhookUrl'); // where the receipt will go: 409 before anything
      const paymentId = paymentIdOf(merchantId, clientRequestId);
      const requestDigest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
      const workflowId = paymentWorkflowId(merchantId, clientRequestId);
      const requestId = randomUUID();
      let closed = false;
      try {
        // One execution per key, decided by Temporal: a running one gets this request as a signal (the first
        // request's signal arrives with the start), a closed one is never run again.
        await client.workflow.signalWithStart(idempotentPayment, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { [PAYMENT_DIGEST_MEMO]: requestDigest },
          staticSummary: `Payment ${paymentId} (clientRequestId ${clientRequestId}): debt ${request.debtId}, ${request.amount} BRL, for ${merchantId}`,
          typedSearchAttributes: [
            { key: MERCHANT, value: merchantId }, { key: CLIENT_REQUEST_ID, value: clientRequestId },
            { key: CHARGE_ID, value: paymentId },
          ],
          args: [{ merchantId, clientRequestId, paymentId, request, requestDigest }],
          signal: paymentRequestedSignal,
          signalArgs: [{ requestId, requestDigest }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        closed = true;
      }
      if (config.ARAUTO_CRASH_POINT === 'after-payment-start') process.kill(process.pid, 'SIGKILL');
      const handle = client.workflow.getHandle(workflowId);
      const { memo } = await handle.describe();
      if (memo?.[PAYMENT_DIGEST_MEMO] !== requestDigest) {
        throw new HttpError(409, 'idempotency_conflict',
          `clientRequestId ${clientRequestId} was already used for a different payment; nothing was charged for this one.`,
          [{ field: 'body.clientRequestId', message: 'already used with another debtId, amount or vehicle' }]);
      }
      if (closed) {
        // I2 after completion: the closed run cannot be signalled, so the receipt it kept is raised from here.
        const outcome = await handle.result().catch((err: unknown) => {
          if (err instanceof WorkflowFailedError) return undefined;
          throw err;
        }) as PaymentOutcome | undefined;
        if (outcome) await raisePaymentReceipt(deps, merchantId, outcome.receipt, requestId);
        else log.warn('repeat of a payment that failed: no receipt to send', { workflowId });
      }
      return { status: 200, body: { paymentId, errorCode: '000', message: PAYMENT_ACCEPTED } };
    },
  }),
];
