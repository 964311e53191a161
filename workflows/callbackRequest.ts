// How each provider shapes its callback POST (G1, C5–C7). Pure: imported by workflows.
import type { CallbackEvent } from './callbackEvents';

export interface CallbackRequest {
  url: string;
  contentType: string;
  body: string;
}

/** C5: parameters follow `?`, or `&` when the registered URL already has a query. */
export function appendQuery(registeredUrl: string, params: ReadonlyArray<readonly [string, string]>): string {
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  if (!registeredUrl.includes('?')) return `${registeredUrl}?${query}`;
  const joined = registeredUrl.endsWith('?') || registeredUrl.endsWith('&') ? '' : '&';
  return `${registeredUrl}${joined}${query}`;
}

export function buildCallbackRequest(registeredUrl: string, event: CallbackEvent): CallbackRequest {
  switch (event.type) {
    case 'charge-status-changed':
      // G1: form-encoded `notification=<token>` to the registered URL as it is.
      return {
        url: registeredUrl,
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ notification: event.token }).toString(),
      };
    case 'sale-intent-finalized':
      // C6: JSON content type, empty body; order fields blank when there is no order.
      return {
        url: appendQuery(registeredUrl, [
          ['cpfCnpj', event.cpfCnpj],
          ['intencaoVendaId', event.intencaoVendaId],
          ['intencaoVendaReferencia', event.intencaoVendaReferencia],
          ['pedidoId', event.pedidoId ?? ''],
          ['pedidoReferencia', event.pedidoReferencia ?? ''],
        ]),
        contentType: 'application/json',
        body: '',
      };
    case 'print-intent-status-changed':
      // C7
      return {
        url: appendQuery(registeredUrl, [
          ['intencaoImpressaoId', event.intencaoImpressaoId],
          ['intencaoImpressaoReferencia', event.intencaoImpressaoReferencia],
          ['intencaoImpressaoStatus', String(event.status)],
        ]),
        contentType: 'application/json',
        body: '',
      };
    case 'receipt':
      // Seed 003: the receipt as JSON, exactly the seed's fields.
      return {
        url: registeredUrl,
        contentType: 'application/json',
        body: JSON.stringify({ type: event.type, paymentId: event.paymentId, receipt: event.receipt }),
      };
  }
}
