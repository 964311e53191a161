// A merchant's callback URL as an entity with a lifecycle (G4–G6, G9). Pure types and data: imported by workflows.
import type { CallbackEvent } from './callbackEvents';
import type { ProfileName } from './profiles';

/** The registration field a URL is kept under; each is one endpoint. */
export type EndpointName = 'gerencianetNotificationUrl' | 'controlpaySaleUrl' | 'controlpayPrintUrl' | 'paymentWebhookUrl';
export const ENDPOINT_NAMES: readonly EndpointName[] = [
  'gerencianetNotificationUrl', 'controlpaySaleUrl', 'controlpayPrintUrl', 'paymentWebhookUrl',
];

export const ENDPOINT_PROFILE: Readonly<Record<EndpointName, ProfileName>> = {
  gerencianetNotificationUrl: 'gerencianet',
  controlpaySaleUrl: 'controlpay',
  controlpayPrintUrl: 'controlpay',
  paymentWebhookUrl: 'celcoin',
};

export type EndpointStatus = 'active' | 'inactive';

export interface EndpointTest {
  at: string;
  passed: boolean;
  statusCode?: number;
  errorClass?: string;
  latencyMs: number;
}

export interface EndpointState {
  status: EndpointStatus;
  /** The last automatic deactivation (G4, G9); kept after a reactivation. */
  lastDeactivatedAt: string | null;
  lastDeactivationReason: string | null;
  /** The last errors of the delivery that exhausted its attempts. */
  lastErrors: string[];
  /** The same with each attempt's time (null when the delivery predates it) and the delivery; absent before issue 16. */
  lastFailures?: EndpointFailure[];
  lastTest: EndpointTest | null;
  exhaustedDeliveries: number;
  deactivations: number;
  /** Standard Webhooks key versions; absent until the first rotation (version 1). Kept when the URL changes. */
  signingKeys?: SigningKeys;
}

export interface EndpointFailure {
  at: string | null;
  deliveryId: string;
  error: string;
}

/** An endpoint's signing key versions (lib/webhookSignature.ts); during a rotation's grace period both sign. */
export interface SigningKeys {
  version: number;
  previous?: { version: number; validUntil: string };
}

export const FIRST_KEYS: SigningKeys = { version: 1 };

export const NEW_ENDPOINT: EndpointState = {
  status: 'active',
  lastDeactivatedAt: null,
  lastDeactivationReason: null,
  lastErrors: [],
  lastTest: null,
  exhaustedDeliveries: 0,
  deactivations: 0,
};

/** Which endpoint a notification goes to. */
export function endpointOf(event: CallbackEvent): EndpointName {
  switch (event.type) {
    case 'charge-status-changed': return 'gerencianetNotificationUrl';
    case 'sale-intent-finalized': return 'controlpaySaleUrl';
    case 'print-intent-status-changed': return 'controlpayPrintUrl';
    case 'receipt': return 'paymentWebhookUrl';
  }
}

/** What a test sends (G6): a notification of the endpoint's own shape, marked as a test in every field it has. */
export function testEvent(endpoint: EndpointName, at: string): CallbackEvent {
  switch (endpoint) {
    case 'gerencianetNotificationUrl':
      return {
        type: 'charge-status-changed', token: 'teste', chargeId: 'teste', customId: null,
        previousStatus: null, currentStatus: 'new', occurredAt: at,
      };
    case 'controlpaySaleUrl':
      return {
        type: 'sale-intent-finalized', cpfCnpj: '', intencaoVendaId: 'teste', intencaoVendaReferencia: 'teste',
        pedidoId: null, pedidoReferencia: null, outcome: 'authorized', occurredAt: at,
      };
    case 'controlpayPrintUrl':
      return {
        type: 'print-intent-status-changed', intencaoImpressaoId: 'teste', intencaoImpressaoReferencia: 'teste',
        status: 5, occurredAt: at,
      };
    case 'paymentWebhookUrl':
      return {
        type: 'receipt', paymentId: 'teste', occurredAt: at,
        receipt: {
          licensePlate: 'teste', renavam: 'teste', state: 'teste', description: 'teste', debtId: 'teste', amount: 0,
          authentication: 'teste', dueDate: at, clientRequestId: 'teste', year: 0, payDate: at,
        },
      };
  }
}
