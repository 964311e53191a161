// What happened, as the merchant will be told about it. Pure types and data: imported by workflows.
import type { ProfileName } from './profiles';

/** Gerencianet charge statuses a notification can report (G1). */
export const CHARGE_STATUSES = [
  'new', 'waiting', 'paid', 'unpaid', 'refunded', 'contested', 'canceled', 'settled', 'link', 'expired',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** ControlPay sale-intent outcomes (C1). */
export const SALE_OUTCOMES = ['authorized', 'denied', 'cancelled'] as const;
export type SaleOutcome = (typeof SALE_OUTCOMES)[number];

/** ControlPay print-intent statuses and their codes (C7). */
export const PRINT_STATUSES = {
  5: 'ImpressaoEnviada',
  10: 'Imprimindo',
  15: 'Impresso',
  20: 'Expirado',
  25: 'ErroImpressao',
} as const;
export type PrintStatusCode = keyof typeof PRINT_STATUSES;

/** G1: a charge changed status; the POST carries only `token`, the receiver asks what changed. */
export interface ChargeStatusChanged {
  type: 'charge-status-changed';
  token: string;
  chargeId: string;
  customId: string | null;
  previousStatus: ChargeStatus | null;
  currentStatus: ChargeStatus;
  occurredAt: string;
}

/** C1/C6: a sale intent was finalized. The callback identifies it; the outcome is only readable by query (C2). */
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

/** Seed 003: what a vehicle-debt payment settled, as the provider's receipt shows it. */
export interface Receipt {
  licensePlate: string;
  renavam: string;
  state: string;
  description: string;
  debtId: string;
  amount: number;
  authentication: string;
  dueDate: string;
  /** The account's own key (not the one Arauto sends upstream). */
  clientRequestId: string;
  year: number;
  payDate: string;
}

/** I1, I2: a payment was processed; sent once for it and again for every later repeat of its request. */
export interface PaymentReceipt {
  type: 'receipt';
  paymentId: string;
  receipt: Receipt;
  occurredAt: string;
}

export type CallbackEvent = ChargeStatusChanged | SaleIntentFinalized | PrintIntentStatusChanged | PaymentReceipt;

export function profileOf(event: CallbackEvent): ProfileName {
  switch (event.type) {
    case 'charge-status-changed': return 'gerencianet';
    case 'receipt': return 'celcoin';
    default: return 'controlpay';
  }
}

/** The charge or intent a notification is about: what its log is searched by (G7). */
export function chargeIdOf(event: CallbackEvent): string {
  switch (event.type) {
    case 'charge-status-changed': return event.chargeId;
    case 'sale-intent-finalized': return event.intencaoVendaId;
    case 'print-intent-status-changed': return event.intencaoImpressaoId;
    case 'receipt': return event.paymentId;
  }
}

/** What changed, for the logs per URL (G7): a charge's previous and current status; an intent's outcome or status. */
export interface EventChange {
  previous: string | null;
  current: string;
}
export function changeOf(event: CallbackEvent): EventChange {
  switch (event.type) {
    case 'charge-status-changed': return { previous: event.previousStatus, current: event.currentStatus };
    case 'sale-intent-finalized': return { previous: null, current: event.outcome };
    case 'print-intent-status-changed': return { previous: null, current: `${event.status} ${PRINT_STATUSES[event.status]}` };
    case 'receipt': return { previous: null, current: 'paid' };
  }
}

/** One line for an operator (the Web UI's summary of a delivery, D5). */
export function describeEvent(event: CallbackEvent): string {
  switch (event.type) {
    case 'charge-status-changed':
      return `Gerencianet charge ${event.chargeId}: ${event.previousStatus ?? '(new)'} → ${event.currentStatus}`;
    case 'sale-intent-finalized': return `ControlPay sale intent ${event.intencaoVendaId}: ${event.outcome}`;
    case 'print-intent-status-changed':
      return `ControlPay print intent ${event.intencaoImpressaoId}: ${event.status} ${PRINT_STATUSES[event.status]}`;
    case 'receipt': return `Payment receipt ${event.paymentId}: ${event.receipt.description}, ${event.receipt.licensePlate}`;
  }
}
