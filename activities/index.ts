// Every activity, built once per worker with what its side effect needs.
import type { Client } from '@temporalio/client';
import { createPostCallback } from './postCallback';
import { createReportEndpointExhausted } from './reportEndpointExhausted';
import { createSendDeactivationEmail, type Mailer } from './sendDeactivationEmail';

export interface ActivityDeps {
  /** Reads a merchant's endpoint status and signals its entity workflow. */
  client: Client;
  mailer: Mailer;
  /** Where merchants reach the REST API (PUBLIC_API_URL), shown in e-mails. */
  publicApiUrl?: string;
}

export function createActivities({ client, mailer, publicApiUrl }: ActivityDeps) {
  return {
    postCallback: createPostCallback(client),
    reportEndpointExhausted: createReportEndpointExhausted(client),
    sendDeactivationEmail: createSendDeactivationEmail(mailer, publicApiUrl),
  };
}

export type Activities = ReturnType<typeof createActivities>;
