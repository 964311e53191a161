// ControlPay (seeds: C1–C7): a sale intent finalized or a print intent changed status. The callback only identifies
// the intent, in the query string of an empty JSON POST; the receiver reads the rest by query (C2).
import { endpointKind, type Provider } from './provider';

/** Sale-intent outcomes (C1). */
export const SALE_OUTCOMES = ['authorized', 'denied', 'cancelled'] as const;
export type SaleOutcome = (typeof SALE_OUTCOMES)[number];

/** Print-intent statuses and their codes (C7). */
export const PRINT_STATUSES = {
  5: 'ImpressaoEnviada',
  10: 'Imprimindo',
  15: 'Impresso',
  20: 'Expirado',
  25: 'ErroImpressao',
} as const;
export type PrintStatusCode = keyof typeof PRINT_STATUSES;

/** C1/C6: a sale intent was finalized. */
export interface SaleIntentFinalized {
  type: 'sale-intent-finalized';
  cpfCnpj: string;
  intencaoVendaId: string;
  intencaoVendaReferencia: string;
  pedidoId: string | null;
  pedidoReferencia: string | null;
  outcome: SaleOutcome;
  occurredAt: string;
}

/** C1/C7: a print intent changed status. */
export interface PrintIntentStatusChanged {
  type: 'print-intent-status-changed';
  intencaoImpressaoId: string;
  intencaoImpressaoReferencia: string;
  status: PrintStatusCode;
  occurredAt: string;
}

/** One delivery per outcome, as a print intent has one per status (ids are `[A-Za-z0-9_-]`: the dots separate). */
export const saleDeliveryId = (merchantId: string, saleId: string, outcome: SaleOutcome) =>
  `delivery.controlpay-sale.${merchantId}.${saleId}.${outcome}`;
/** Deliveries raised when an intent could have one outcome only (before issue 16) carry no outcome. */
export const legacySaleDeliveryId = (merchantId: string, saleId: string) => `delivery.controlpay-sale.${merchantId}.${saleId}`;
export const printDeliveryId = (merchantId: string, printId: string, status: number) =>
  `delivery.controlpay-print.${merchantId}.${printId}.${status}`;

/** C5: parameters follow `?`, or `&` when the registered URL already has a query. */
export function appendQuery(registeredUrl: string, params: ReadonlyArray<readonly [string, string]>): string {
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  if (!registeredUrl.includes('?')) return `${registeredUrl}?${query}`;
  const joined = registeredUrl.endsWith('?') || registeredUrl.endsWith('&') ? '' : '&';
  return `${registeredUrl}${joined}${query}`;
}

const printStatus = (status: PrintStatusCode) => `${status} ${PRINT_STATUSES[status]}`;

export const controlpay: Provider<
  SaleIntentFinalized | PrintIntentStatusChanged, 'controlpaySaleUrl' | 'controlpayPrintUrl', 'controlpay'
> = {
  name: 'controlpay',
  // C3: retried after 2, 4, 8, 16 and 32 minutes: attempts at 0, 2, 6, 14, 30 and 62 minutes.
  profile: {
    retryDelaysMinutes: [2, 4, 8, 16, 32],
    success: 'any-2xx',
    deactivateOnExhaustion: false,
  },
  endpoints: [
    endpointKind<SaleIntentFinalized, 'controlpaySaleUrl'>({
      endpoint: 'controlpaySaleUrl',
      eventType: 'sale-intent-finalized',
      about: 'ControlPay: sale-intent callback URL (C4, C6)',
      title: { 'pt-BR': 'Venda ControlPay', en: 'ControlPay sale' },
      // C6: JSON content type, empty body; order fields blank when there is no order.
      buildRequest: (url, event) => ({
        url: appendQuery(url, [
          ['cpfCnpj', event.cpfCnpj],
          ['intencaoVendaId', event.intencaoVendaId],
          ['intencaoVendaReferencia', event.intencaoVendaReferencia],
          ['pedidoId', event.pedidoId ?? ''],
          ['pedidoReferencia', event.pedidoReferencia ?? ''],
        ]),
        contentType: 'application/json',
        body: '',
      }),
      chargeIdOf: (event) => event.intencaoVendaId,
      changeOf: (event) => ({ previous: null, current: event.outcome }),
      describe: (event) => `ControlPay sale intent ${event.intencaoVendaId}: ${event.outcome}`,
      testEvent: (at) => ({
        type: 'sale-intent-finalized', cpfCnpj: '', intencaoVendaId: 'teste', intencaoVendaReferencia: 'teste',
        pedidoId: null, pedidoReferencia: null, outcome: 'authorized', occurredAt: at,
      }),
    }),
    endpointKind<PrintIntentStatusChanged, 'controlpayPrintUrl'>({
      endpoint: 'controlpayPrintUrl',
      eventType: 'print-intent-status-changed',
      about: 'ControlPay: print-intent callback URL (C4, C7)',
      title: { 'pt-BR': 'Impressão ControlPay', en: 'ControlPay print' },
      // C7
      buildRequest: (url, event) => ({
        url: appendQuery(url, [
          ['intencaoImpressaoId', event.intencaoImpressaoId],
          ['intencaoImpressaoReferencia', event.intencaoImpressaoReferencia],
          ['intencaoImpressaoStatus', String(event.status)],
        ]),
        contentType: 'application/json',
        body: '',
      }),
      chargeIdOf: (event) => event.intencaoImpressaoId,
      changeOf: (event) => ({ previous: null, current: printStatus(event.status) }),
      describe: (event) => `ControlPay print intent ${event.intencaoImpressaoId}: ${printStatus(event.status)}`,
      testEvent: (at) => ({
        type: 'print-intent-status-changed', intencaoImpressaoId: 'teste', intencaoImpressaoReferencia: 'teste',
        status: 5, occurredAt: at,
      }),
    }),
  ],
};
