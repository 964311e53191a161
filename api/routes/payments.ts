// I1, I2: payments, once per clientRequestId of an account (api/payments.ts); every repeat answers the same
// paymentId and is answered by the receipt webhook again.
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { requestPayment, type AfterPaymentStart } from '../payments';
import { defineRoute, errorSchema } from '../route';
import { clientRequestIdSchema, idSchema, vehicleSchema } from '../schemas';

const body = vehicleSchema.extend({
  clientRequestId: clientRequestIdSchema,
  debtId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected the debtId of a debt query'),
  // multipleOf, not a refinement (zod's check is float-safe: 0.07 passes); the generator drops it, hence the meta.
  amount: z.number().min(0.01).max(1_000_000).multipleOf(0.01, 'at most two decimals').meta({ multipleOf: 0.01 }),
}).strict();

const accepted = z.object({ paymentId: z.string(), errorCode: z.literal('000'), message: z.string() });
export const PAYMENT_ACCEPTED = 'Solicitação recebida com sucesso. Aguarde a resposta do processamento no webhook cadastrado.';

export const paymentRoutes = (deps: Deps, afterStart?: AfterPaymentStart) => [
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
      const { paymentId } = await requestPayment(deps, params.merchantId, clientRequestId, request, afterStart);
      return { status: 200, body: { paymentId, errorCode: '000', message: PAYMENT_ACCEPTED } };
    },
  }),
];
