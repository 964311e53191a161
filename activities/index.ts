// Every activity, built once per worker with what its side effect needs.
import type { Client } from '@temporalio/client';
import type { AddressPolicy } from '../lib/outbound';
import type { Config } from '../lib/config';
import { createConsultVehicleDebts } from './consultVehicleDebts';
import { createNotifyPaidTitle } from './notifyPaidTitle';
import { createFetchPaymentReceipt } from './fetchPaymentReceipt';
import { createPayDebt } from './payDebt';
import { createQueryBoletoStatus } from './queryBoletoStatus';
import { createUploadReturnFile } from './uploadReturnFile';
import { createPollReturnProtocol, type PlugBoletoDeps } from './pollReturnProtocol';
import { createPostCallback } from './postCallback';
import { createReportEndpointExhausted } from './reportEndpointExhausted';
import type { Mailer } from '../lib/mailer';
import { createSendDeactivationEmail } from './sendDeactivationEmail';
import { createSendPaymentReceipt } from './sendPaymentReceipt';

export interface ActivityDeps {
  /** Reads a merchant's endpoint status and signals its entity workflow. */
  client: Client;
  mailer: Mailer;
  /** Which addresses callbacks may reach (CALLBACK_ALLOWED_NETWORKS). */
  addressPolicy: AddressPolicy;
  /** The key every endpoint's signing secret is derived from (WEBHOOK_SIGNING_KEY). */
  webhookSigningKey: Buffer;
  /** Where merchants reach the REST API (PUBLIC_API_URL), shown in e-mails. */
  publicApiUrl?: string;
  /** How deliveries are started (RETRY_DELAY_DIVISOR, CALLBACK_TIMEOUT_MS, …), for notifications raised by activities. */
  config: Config;
  /** PlugBoleto's base URL and per-cedente credentials (PLUGBOLETO_*); unset, return protocols fail at once. */
  plugboleto?: PlugBoletoDeps;
}

export function createActivities({
  client, mailer, addressPolicy, webhookSigningKey, publicApiUrl, plugboleto, config,
}: ActivityDeps) {
  return {
    postCallback: createPostCallback(client, addressPolicy, webhookSigningKey),
    reportEndpointExhausted: createReportEndpointExhausted(client),
    sendDeactivationEmail: createSendDeactivationEmail(mailer, publicApiUrl),
    pollReturnProtocol: createPollReturnProtocol(plugboleto),
    queryBoletoStatus: createQueryBoletoStatus(plugboleto),
    uploadReturnFile: createUploadReturnFile(plugboleto),
    consultVehicleDebts: createConsultVehicleDebts(config.PAYMENTS_BASE_URL),
    payDebt: createPayDebt(config.PAYMENTS_BASE_URL),
    fetchPaymentReceipt: createFetchPaymentReceipt(config.PAYMENTS_BASE_URL),
    sendPaymentReceipt: createSendPaymentReceipt(client, config),
    notifyPaidTitle: createNotifyPaidTitle(client, config),
  };
}

export type Activities = ReturnType<typeof createActivities>;
