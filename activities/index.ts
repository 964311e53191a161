// Every activity, built once per worker with what its side effect needs.
import type { Client } from '@temporalio/client';
import type { AddressPolicy } from '../lib/outbound';
import { createPostCallback } from './postCallback';
import { createReportEndpointExhausted } from './reportEndpointExhausted';
import { createSendDeactivationEmail, type Mailer } from './sendDeactivationEmail';

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
}

export function createActivities({ client, mailer, addressPolicy, webhookSigningKey, publicApiUrl }: ActivityDeps) {
  return {
    postCallback: createPostCallback(client, addressPolicy, webhookSigningKey),
    reportEndpointExhausted: createReportEndpointExhausted(client),
    sendDeactivationEmail: createSendDeactivationEmail(mailer, publicApiUrl),
  };
}

export type Activities = ReturnType<typeof createActivities>;
