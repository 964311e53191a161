// ControlPay-style sale-intent and print-intent callbacks (C1–C7).
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { PRINT_STATUSES, type PrintIntentStatusChanged, type PrintStatusCode } from '../../workflows/callbackEvents';
import { readDelivery, startDelivery, type Deps } from '../deliveries';
import { requireCallbackUrl } from '../merchants';
import { defineRoute, errorSchema, HttpError } from '../route';
import { raiseSaleOutcome, readSaleIntent } from '../saleIntents';
import {
  idSchema, printIntentStatusChangeSchema, saleIntentFinalizedSchema, triggeredSchema,
} from '../schemas';

const saleParams = z.object({ merchantId: idSchema, intencaoVendaId: idSchema });
const printParams = z.object({ merchantId: idSchema, intencaoImpressaoId: idSchema });

// A print intent passes through each status at most once (a sale intent's outcomes: ../saleIntents).
const printDeliveryId = (merchantId: string, printId: string, status: number) =>
  `delivery.controlpay-print.${merchantId}.${printId}.${status}`;

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
      const target = await requireCallbackUrl(deps, params.merchantId, 'controlpayPrintUrl');
      const event: PrintIntentStatusChanged = {
        type: 'print-intent-status-changed',
        intencaoImpressaoId: params.intencaoImpressaoId,
        intencaoImpressaoReferencia: body.intencaoImpressaoReferencia,
        status: body.status as PrintStatusCode,
        occurredAt: body.occurredAt ?? new Date().toISOString(),
      };
      const deliveryId = printDeliveryId(params.merchantId, params.intencaoImpressaoId, body.status);
      const triggered = await startDelivery(deps, deliveryId, params.merchantId, target, event);
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
      // One delivery per status reached; the latest one started is the current status.
      const found = await Promise.all(
        Object.keys(PRINT_STATUSES).map(async (code) => {
          const id = printDeliveryId(params.merchantId, params.intencaoImpressaoId, Number(code));
          try {
            const info = await deps.client.workflow.getHandle(id).describe();
            return { id, startTime: info.startTime.getTime() };
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) return undefined;
            throw err;
          }
        }),
      );
      const latest = found.filter((f) => f !== undefined).sort((a, b) => b.startTime - a.startTime)[0];
      if (!latest) throw new HttpError(404, 'not_found', `No print intent ${params.intencaoImpressaoId}.`);
      const delivery = await readDelivery(deps, latest.id);
      const e = delivery.event as PrintIntentStatusChanged;
      return {
        status: 200,
        body: {
          intencaoImpressaoId: e.intencaoImpressaoId,
          intencaoImpressaoReferencia: e.intencaoImpressaoReferencia,
          status: e.status,
          statusName: PRINT_STATUSES[e.status],
          changedAt: e.occurredAt,
          deliveryId: delivery.deliveryId,
        },
      };
    },
  }),
];
