// Request and response shapes of the REST API, shared by validation and the OpenAPI document.
import { z } from 'zod';
import { CHARGE_STATUSES } from '../providers/gerencianet';
import { PRINT_STATUSES, SALE_OUTCOMES, type PrintStatusCode } from '../providers/controlpay';
import { EVENT_TYPE_PATTERN, EVENT_TYPE_RULE } from '../providers/provider';
import { ATTEMPT_OUTCOME_CLASSES, DELIVERY_STATUSES, type DeliveryState } from '../workflows/contracts/deliverCallback';
import type { EndpointView } from '../workflows/contracts/merchant';
import { ENDPOINT_STATUSES } from '../workflows/endpoints';
import type { SameShape } from './sameShape';
import {
  ENDPOINT_NAMES, PROFILE_NAMES, PROVIDERS, SUBSCRIBABLE_ENDPOINTS, type EndpointName, type ProfileName,
} from '../providers/registry';

/** Ids become part of workflow ids, so they are kept to characters that cannot be confused with its separators. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1–64 letters, digits, "_" or "-"');

/**
 * A callback URL's syntax as a pattern, so that the document states what the validation enforces: http(s), a host
 * (no credentials: no "@"), an optional port, no fragment. Digits are [0-9], not \d: Python's \d (the fuzzer's)
 * matches other scripts' digits.
 */
const CALLBACK_URL = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:[^\s/?#@\\[\]:]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:[/?][^\s#]*)?$/;

/** Why a string is not a callback URL, in the words of the rule it breaks. */
function callbackUrlProblem(u: string): string {
  if (!/^https?:\/\//i.test(u)) return 'expected an http(s) URL';
  if (!URL.canParse(u)) {
    return 'its host is not a hostname or an IP address, or its port is past 65535 (IPv6 zone ids such as %25eth0 are not supported)';
  }
  const url = new URL(u);
  if (url.username || url.password) return 'credentials in URLs are refused';
  if (u.includes('#')) return 'a callback URL cannot have a fragment';
  return 'expected http(s)://host[:port][/path][?query]';
}

export const callbackUrlSchema = z.string()
  .max(2048)
  .regex(CALLBACK_URL, { error: (issue) => callbackUrlProblem(String(issue.input)) })
  // What a pattern cannot say (a port past 65535, a malformed host); never throws, unlike new URL().
  .refine((u) => !CALLBACK_URL.test(u) || URL.canParse(u), { error: (issue) => callbackUrlProblem(String(issue.input)) })
  .describe('refused (400) also when its host is, or resolves to, an address that is not public (SSRF; CALLBACK_ALLOWED_NETWORKS)');

/** An e-mail address as a pattern the document states (z.email()'s own has look-aheads and is not published). */
const EMAIL = /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/** One field per registered provider endpoint (providers/registry.ts). */
export const callbackUrlsSchema = z.object(Object.fromEntries(PROVIDERS.flatMap((p) => p.endpoints.map((e) =>
  [e.endpoint, callbackUrlSchema.nullable().describe(e.about)]))) as Record<EndpointName, z.ZodNullable<typeof callbackUrlSchema>>);

export const eventTypeSchema = z.string().regex(EVENT_TYPE_PATTERN, EVENT_TYPE_RULE);

/** Per endpoint that carries many event types (providers' `subscriptionOf`), the ones it wants. */
const eventTypesSchema = z.object(Object.fromEntries(SUBSCRIBABLE_ENDPOINTS.map((name) =>
  [name, z.array(eventTypeSchema).min(1).max(100).nullable().optional()])))
  .strict()
  .describe('per endpoint that carries many event types: the ones it is sent (null: all again); other events are not sent');

export const callbackUrlsChangeSchema = callbackUrlsSchema
  .extend({
    notificationEmail: z.string().regex(EMAIL, 'expected an e-mail address').max(254).nullable()
      .describe('where "Falha na URL de callback" goes when a URL is deactivated (G4)'),
    eventTypes: eventTypesSchema,
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'give at least one URL to register (null clears one)')
  .meta({ minProperties: 1 }); // the refinement, stated in the document

const occurredAt = z.iso.datetime({ offset: true }).optional().describe('when it happened; default: now');

export const chargeStatusChangeSchema = z.object({
  previousStatus: z.enum(CHARGE_STATUSES).nullable().default(null),
  currentStatus: z.enum(CHARGE_STATUSES),
  customId: z.string().max(255).nullable().default(null),
  /** Tells apart two changes to the same status (e.g. unpaid → waiting → unpaid → waiting). */
  eventId: idSchema.optional(),
  occurredAt,
}).strict();

export const saleIntentFinalizedSchema = z.object({
  outcome: z.enum(SALE_OUTCOMES),
  cpfCnpj: z.string().regex(/^(\d{11}|\d{14})$/, 'expected 11 (CPF) or 14 (CNPJ) digits'),
  intencaoVendaReferencia: z.string().max(128),
  pedidoId: z.string().max(64).nullable().default(null),
  pedidoReferencia: z.string().max(128).nullable().default(null),
  occurredAt,
}).strict();

const printStatusCodes = Object.keys(PRINT_STATUSES).map(Number) as PrintStatusCode[];
/** A literal set, not a refinement: the document lists the codes (enum); the generator keeps one literal, hence the meta. */
export const printStatusSchema = z.literal(printStatusCodes, { error: `expected one of ${printStatusCodes.join(', ')}` })
  .meta({ enum: printStatusCodes });

export const printIntentStatusChangeSchema = z.object({
  status: printStatusSchema.describe('5 ImpressaoEnviada, 10 Imprimindo, 15 Impresso, 20 Expirado, 25 ErroImpressao'),
  intencaoImpressaoReferencia: z.string().max(128),
  occurredAt,
}).strict();

export const triggeredSchema = z.object({
  deliveryId: z.string(),
  duplicate: z.boolean().describe('true when this notification had already been triggered: nothing new is sent'),
});

/** A provider trigger's answer (api/routes/providerTriggers.ts): also when the endpoint does not want the type. */
export const eventTriggeredSchema = z.object({
  deliveryId: z.string().nullable().describe('null when nothing is sent: the endpoint is not subscribed to the type'),
  duplicate: z.boolean().describe('true when this event had already been triggered: nothing new is sent'),
  subscribed: z.boolean().describe('false: the endpoint does not take this event type; nothing is sent'),
  message: z.string().optional(),
});

const attemptSchema = z.object({
  number: z.number(),
  series: z.number().describe('1: the first schedule; +1 for each resend (G8)'),
  at: z.string(),
  offsetMs: z.number(),
  statusCode: z.number().optional(),
  errorClass: z.enum(ATTEMPT_OUTCOME_CLASSES).optional(),
  errorMessage: z.string().optional(),
  latencyMs: z.number(),
  responseExcerpt: z.string(),
});

export const deliveryStateSchema = z.object({
  deliveryId: z.string(),
  merchantId: z.string(),
  profile: z.enum(PROFILE_NAMES as [ProfileName, ...ProfileName[]]),
  endpointUrl: z.string(),
  event: z.record(z.string(), z.unknown()),
  status: z.enum(DELIVERY_STATUSES).describe('held: not sent because the URL is inactive (G5); kept'),
  maxAttempts: z.number(),
  attempts: z.array(attemptSchema),
  nextAttemptAt: z.string().nullable(),
  heldAt: z.string().optional(),
  resends: z.number().optional(),
});

export const endpointNameSchema = z.enum(ENDPOINT_NAMES as [EndpointName, ...EndpointName[]]);

export const endpointTestSchema = z.object({
  at: z.string(),
  passed: z.boolean(),
  statusCode: z.number().optional(),
  errorClass: z.string().optional(),
  latencyMs: z.number(),
});

export const endpointStateSchema = z.object({
  url: z.string(),
  status: z.enum(ENDPOINT_STATUSES),
  lastDeactivatedAt: z.string().nullable(),
  lastDeactivationReason: z.string().nullable(),
  lastErrors: z.array(z.object({
    at: z.string().nullable().describe("the attempt's time; null for errors recorded before it was kept"),
    deliveryId: z.string().nullable().describe('the delivery whose attempts all failed; GET /v1/deliveries/{deliveryId}'),
    error: z.string(),
  })).describe('the last attempts of the last delivery that failed every attempt'),
  lastTest: endpointTestSchema.nullable(),
  exhaustedDeliveries: z.number(),
  deactivations: z.number(),
  eventTypes: z.array(z.string()).optional().describe('the event types it is sent; absent: all'),
  signingKeys: z.object({
    version: z.number(),
    previous: z.object({ version: z.number(), validUntil: z.string() }).optional(),
  }).optional().describe('the signing secret versions (no secret): absent until the first rotation; previous signs until validUntil'),
  deactivationEmail: z.enum(['sent', 'not_sent', 'not_applicable'])
    .describe('G4: whether a deactivation is e-mailed; not_sent: no notificationEmail registered; not_applicable: never deactivated automatically'),
});

const warningsSchema = z.array(z.string()).optional()
  .describe('e.g. a URL whose automatic deactivation would not be e-mailed (no notificationEmail)');

export const merchantStateSchema = z.object({
  notificationEmail: z.string().nullable(),
  endpoints: z.partialRecord(endpointNameSchema, endpointStateSchema),
  warnings: warningsSchema,
});

export const registrationSchema = callbackUrlsSchema.extend({
  notificationEmail: z.string().nullable().describe('where "Falha na URL de callback" goes (G4)'),
  eventTypes: z.partialRecord(z.enum(SUBSCRIBABLE_ENDPOINTS as [EndpointName, ...EndpointName[]]), z.array(z.string()))
    .describe('the event types each endpoint that chose some is sent; an endpoint absent here is sent all'),
  warnings: warningsSchema,
});

const instant = z.iso.datetime({ offset: true });

/** G7: which notifications of one URL; every filter optional, combined with AND. */
export const logFilterSchema = z.object({
  chargeId: idSchema.optional().describe('the charge (Gerencianet) or intent (ControlPay) number'),
  sent: z.enum(['yes', 'no']).optional().describe('yes: the receiver answered 200; no: not (yet) sent'),
  from: instant.optional().describe('raised at or after this instant'),
  to: instant.optional().describe('raised before this instant'),
}).strict();

export const logQuerySchema = logFilterSchema.extend({
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().regex(/^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{16}$/, 'expected the nextPageToken of the previous page').optional()
    .describe('the nextPageToken of the previous page, with the same filters: it is signed, and any other is a 400'),
}).strict();

export const logRowSchema = z.object({
  deliveryId: z.string().describe('GET /v1/deliveries/{deliveryId} has every attempt'),
  chargeId: z.string(),
  sent: z.boolean(),
  status: z.enum(['delivering', 'delivered', 'held', 'failed']),
  attempts: z.number().describe('attempts made, or under way'),
  change: z.object({ previous: z.string().nullable(), current: z.string() }).nullable()
    .describe("what changed: a charge's previous and current status, an intent's outcome or status; null before it was recorded"),
  notifiedAt: z.string().describe('when the notification was raised'),
  closedAt: z.string().nullable(),
});

export const logPageSchema = z.object({
  notifications: z.array(logRowSchema),
  nextPageToken: z.string().nullable().describe('null on the last page'),
});

/** A delivery's id, as GET /v1/deliveries/{deliveryId} takes it: no quote can reach a visibility query. */
export const deliveryIdSchema = z.string().regex(/^delivery\.[A-Za-z0-9_.-]{1,200}$/, 'expected a deliveryId');

export const resendRequestSchema = logFilterSchema.omit({ sent: true }).extend({
  deliveryIds: z.array(deliveryIdSchema).min(1).max(100).optional()
    .describe('only these deliveries (the rows a merchant selected), among those the other filters match'),
  confirmCount: z.number().int().min(1).max(1_000_000_000).optional()
    .describe('the count the preview answered: present, the resend starts (G8); absent, a preview only'),
}).strict();

export const resendPreviewSchema = z.object({
  confirmed: z.literal(false),
  count: z.number().describe('notifications not sent (held or failed) that a confirmation would resend'),
  alreadySent: z.number().describe('matching notifications already delivered: not resent'),
  confirmWith: z.object({ confirmCount: z.number() }).optional().describe('absent when count is 0: nothing to confirm'),
  message: z.string().optional().describe('when count is 0, why nothing would be resent'),
});

export const resendStartedSchema = z.object({
  confirmed: z.literal(true),
  resendId: z.string(),
  count: z.number(),
});

export const resendProgressSchema = z.object({
  resendId: z.string(),
  state: z.enum(['running', 'completed', 'failed']),
  total: z.number(),
  signalled: z.number(),
  failed: z.number().describe('notifications that could not be signalled (e.g. delivered meanwhile)'),
  startedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const signingSecretSchema = z.object({
  endpoint: endpointNameSchema,
  version: z.number(),
  secret: z.string().describe('whsec_…: verify webhook-signature with it (Standard Webhooks)'),
  previous: z.object({ version: z.number(), secret: z.string(), validUntil: z.string() }).optional()
    .describe('after a rotation: still signing beside the new one until validUntil'),
});

/** Seed 003: the idempotency key a client sends (scoped to its account). */
export const clientRequestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected 1–100 letters, digits, "_" or "-"');

/** Seed 003: the vehicle a debt query or payment is about. */
export const vehicleSchema = z.object({
  licensePlate: z.string().regex(/^[A-Z]{3}\d[A-Z0-9]\d{2}$/, 'expected a plate such as DIS9865 or DIS9H65'),
  renavam: z.string().regex(/^\d{9,11}$/, 'expected 9–11 digits'),
  state: z.string().regex(/^[A-Z]{2}$/, 'expected a UF such as DF'),
});

// The answers are the workflows' states, reshaped only where said: checked at compile time (api/sameShape.ts).
export const deliveryAnswersItsState: SameShape<
  Omit<z.infer<typeof deliveryStateSchema>, 'event'>, Omit<DeliveryState, 'event'>
> = true;
export const endpointAnswersItsState: SameShape<
  Omit<z.infer<typeof endpointStateSchema>, 'lastErrors' | 'deactivationEmail'>, Omit<EndpointView, 'lastErrors' | 'lastFailures'>
> = true;
