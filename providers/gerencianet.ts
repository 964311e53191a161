// Gerencianet (seed: G1–G9): a charge changed status; the POST carries only `token`, the receiver asks what changed.
import { endpointKind, type Provider } from './provider';

/** Charge statuses a notification can report (G1). */
export const CHARGE_STATUSES = [
  'new', 'waiting', 'paid', 'unpaid', 'refunded', 'contested', 'canceled', 'settled', 'link', 'expired',
] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** G1: a charge changed status. */
export interface ChargeStatusChanged {
  type: 'charge-status-changed';
  token: string;
  chargeId: string;
  customId: string | null;
  previousStatus: ChargeStatus | null;
  currentStatus: ChargeStatus;
  occurredAt: string;
}

/** The prefix of its delivery ids (notifications/chargeStatusChanges.ts adds the token's digest). */
export const GERENCIANET_DELIVERY_PREFIX = 'delivery.gerencianet.';

export const gerencianet: Provider<ChargeStatusChanged, 'gerencianetNotificationUrl', 'gerencianet'> = {
  name: 'gerencianet',
  // G3: the first POST and nine retries "em intervalos distintos", ten attempts in about an hour.
  // Chosen: growing gaps of 1, 2, 3, 4, 5, 7, 9, 12 and 17 minutes, so attempts go out at
  // 0, 1, 3, 6, 10, 15, 22, 31, 43 and 60 minutes: dense while a blip is likely, sparse later.
  profile: {
    retryDelaysMinutes: [1, 2, 3, 4, 5, 7, 9, 12, 17],
    success: 'exactly-200',
    deactivateOnExhaustion: true,
  },
  endpoints: [endpointKind<ChargeStatusChanged, 'gerencianetNotificationUrl'>({
    endpoint: 'gerencianetNotificationUrl',
    eventType: 'charge-status-changed',
    about: 'Gerencianet: where charge notifications (`notification=<token>`) are POSTed',
    title: { 'pt-BR': 'Notificação Gerencianet', en: 'Gerencianet notification' },
    // G1: form-encoded `notification=<token>` to the registered URL as it is.
    buildRequest: (url, event) => ({
      url,
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ notification: event.token }).toString(),
    }),
    chargeIdOf: (event) => event.chargeId,
    changeOf: (event) => ({ previous: event.previousStatus, current: event.currentStatus }),
    describe: (event) => `Gerencianet charge ${event.chargeId}: ${event.previousStatus ?? '(new)'} → ${event.currentStatus}`,
    testEvent: (at) => ({
      type: 'charge-status-changed', token: 'teste', chargeId: 'teste', customId: null,
      previousStatus: null, currentStatus: 'new', occurredAt: at,
    }),
  })],
};
