// A generic JSON webhook (issue 17), the shape merchants building their own systems expect (Svix, Stripe): the
// merchant registers `webhookUrl` and the event types it wants; Arauto POSTs `application/json`
// `{ id, type, createdAt, data }`, Standard Webhooks signed like every callback; any 2xx is received. Raised by
// POST /v1/merchants/{merchantId}/events (docs/webhooks.md).
import { z } from 'zod';
import { endpointKind, EVENT_TYPE_PATTERN, EVENT_TYPE_RULE, type Provider } from './provider';

/** One event the merchant's system raised; `eventType` is its own name for it (`invoice.paid`). */
export interface WebhookEvent {
  type: 'webhook-event';
  id: string;
  eventType: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** The JSON of `data`, at most: a webhook carries a fact and ids, not documents. */
export const WEBHOOK_DATA_LIMIT_BYTES = 32 * 1024;
const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

const eventBody = z.object({
  type: z.string().regex(EVENT_TYPE_PATTERN, EVENT_TYPE_RULE).describe('your name for the event, e.g. invoice.paid'),
  data: z.record(z.string(), z.unknown())
    .refine((data) => jsonBytes(data) <= WEBHOOK_DATA_LIMIT_BYTES, `at most ${WEBHOOK_DATA_LIMIT_BYTES} bytes of JSON`)
    .describe(`a JSON object, at most ${WEBHOOK_DATA_LIMIT_BYTES} bytes; sent as it is`),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1–64 letters, digits, "_" or "-"').optional()
    .describe('your id for the event: the same id again is the same delivery (idempotent); default: a new one. '
      + 'No personal data: ids are not encrypted'),
}).strict();

export const webhook: Provider<WebhookEvent, 'webhookUrl', 'webhook'> = {
  name: 'webhook',
  // Svix's documented schedule (docs.svix.com/retries), which Standard Webhooks receivers are built for: attempts
  // at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (0, 5 s, 5 min 5 s, 35 min 5 s, 2 h 35 min 5 s,
  // 7 h 35 min 5 s, 17 h 35 min 5 s, 27 h 35 min 5 s): a blip is retried at once, a deploy within the hour, an
  // outage for over a day; and it deactivates (G4, e-mailed) as gerencianet does, so a dead URL stops costing.
  profile: {
    retryDelaysMinutes: [5 / 60, 5, 30, 120, 300, 600, 600],
    success: 'any-2xx',
    deactivateOnExhaustion: true,
  },
  endpoints: [endpointKind<WebhookEvent, 'webhookUrl'>({
    endpoint: 'webhookUrl',
    eventType: 'webhook-event',
    about: 'generic JSON webhook: every event type chosen in eventTypes.webhookUrl (all when unset)',
    title: { 'pt-BR': 'Webhook (JSON)', en: 'Webhook (JSON)' },
    buildRequest: (url, event) => ({
      url,
      contentType: 'application/json',
      body: JSON.stringify({ id: event.id, type: event.eventType, createdAt: event.occurredAt, data: event.data }),
    }),
    chargeIdOf: (event) => event.id,
    changeOf: (event) => ({ previous: null, current: event.eventType }),
    describe: (event) => `Webhook event ${event.id}: ${event.eventType}`,
    testEvent: (at) => ({ type: 'webhook-event', id: 'teste', eventType: 'webhook.test', data: {}, occurredAt: at }),
    subscriptionOf: (event) => event.eventType,
    trigger: {
      path: '/events',
      summary: 'Raise an event for the generic JSON webhook (webhookUrl): POSTed as { id, type, createdAt, data }',
      body: eventBody,
      raise: (merchantId, body, { now, newId }) => {
        const { type, data, id = newId() } = body as z.infer<typeof eventBody>;
        return {
          event: { type: 'webhook-event', id, eventType: type, data, occurredAt: now },
          deliveryId: `delivery.webhook.${merchantId}.${id}`,
        };
      },
    },
  })],
};
