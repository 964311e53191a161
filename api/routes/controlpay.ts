// ControlPay-style sale-intent and print-intent callbacks (C1–C7).
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { raisePrintStatusChange, readPrintIntent } from '../../notifications/printIntents';
import { raiseSaleOutcome, readSaleIntent } from '../../notifications/saleIntents';
import { PRINT_STATUSES, type PrintStatusCode } from '../../providers/controlpay';
import { defineRoute, errorSchema } from '../route';
import {
  idSchema, printIntentStatusChangeSchema, saleIntentFinalizedSchema, triggeredSchema,
} from '../schemas';

const saleParams = z.object({ merchantId: idSchema, intencaoVendaId: idSchema });
const printParams = z.object({ merchantId: idSchema, intencaoImpressaoId: idSchema });

const saleIntentSchema = z.object({
  intencaoVendaId: z.string(),
  intencaoVendaReferencia: z.string(),
  cpfCnpj: z.string(),
  outcome: z.enum(['authorized', 'denied', 'cancelled']),
  pedidoId: z.string().nullable(),
  pedidoReferencia: z.string().nullable(),
  finalizedAt: z.string(),
  deliveryId: z.string(),
});

const printIntentSchema = z.object({
  intencaoImpressaoId: z.string(),
  intencaoImpressaoReferencia: z.string(),
  status: z.number(),
  statusName: z.string(),
  changedAt: z.string(),
  deliveryId: z.string(),
});

const triggerResponses = {
  202: { description: 'Callback accepted for delivery', schema: triggeredSchema },
  200: { description: 'Already triggered: nothing new is sent', schema: triggeredSchema },
  404: { description: 'Unknown merchant', schema: errorSchema },
  409: { description: 'No callback URL registered, or the same id was triggered with other data', schema: errorSchema },
};

const saleTriggerResponses = {
  ...triggerResponses,
  409: {
    description: 'No callback URL registered, the same outcome was triggered with other data, or the intent reached '
      + 'an outcome incompatible with this one (a sale is authorized or denied; only an authorized one is cancelled later)',
    schema: errorSchema,
  },
};

export const controlpayRoutes = (deps: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/sale-intents/:intencaoVendaId/finalization',
    summary: 'A sale intent was authorized, denied or cancelled: call the sale URL back, once per outcome (C1, C6)',
    tags: ['controlpay'],
    params: saleParams,
    body: saleIntentFinalizedSchema,
    responses: saleTriggerResponses,
    handler: async ({ params, body }) => {
      const triggered = await raiseSaleOutcome(deps, params.merchantId, params.intencaoVendaId, body);
      return { status: triggered.duplicate ? 200 : 202, body: triggered };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/sale-intents/:intencaoVendaId',
    summary: "A sale intent's authoritative state: what a receiver queries after the callback (C2)",
    tags: ['controlpay'],
    params: saleParams,
    responses: {
      200: { description: 'The sale intent as its latest outcome states it', schema: saleIntentSchema },
      404: { description: 'Unknown sale intent', schema: errorSchema },
    },
    handler: async ({ params }) => {
      const { event: e, deliveryId } = await readSaleIntent(deps, params.merchantId, params.intencaoVendaId);
      return {
        status: 200,
        body: {
          intencaoVendaId: e.intencaoVendaId,
          intencaoVendaReferencia: e.intencaoVendaReferencia,
          cpfCnpj: e.cpfCnpj,
          outcome: e.outcome,
          pedidoId: e.pedidoId,
          pedidoReferencia: e.pedidoReferencia,
          finalizedAt: e.occurredAt,
          deliveryId,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/print-intents/:intencaoImpressaoId/status-changes',
    summary: 'A print intent changed status: call the print URL back (C1, C7)',
    tags: ['controlpay'],
    params: printParams,
    body: printIntentStatusChangeSchema,
    responses: triggerResponses,
    handler: async ({ params, body }) => {
      const triggered = await raisePrintStatusChange(deps, params.merchantId, params.intencaoImpressaoId, {
        ...body, status: body.status as PrintStatusCode,
      });
      return { status: triggered.duplicate ? 200 : 202, body: triggered };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/print-intents/:intencaoImpressaoId',
    summary: "A print intent's current status: the latest change reported (C2, C7)",
    tags: ['controlpay'],
    params: printParams,
    responses: {
      200: { description: 'The print intent', schema: printIntentSchema },
      404: { description: 'Unknown print intent', schema: errorSchema },
    },
    handler: async ({ params }) => {
      const { event: e, deliveryId } = await readPrintIntent(deps, params.merchantId, params.intencaoImpressaoId);
      return {
        status: 200,
        body: {
          intencaoImpressaoId: e.intencaoImpressaoId,
          intencaoImpressaoReferencia: e.intencaoImpressaoReferencia,
          status: e.status,
          statusName: PRINT_STATUSES[e.status],
          changedAt: e.occurredAt,
          deliveryId,
        },
      };
    },
  }),
];
