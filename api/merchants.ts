// A merchant's callback URLs and their lifecycle (G4–G6, G9), held by its entity workflow.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../lib/config';
import type { Deps } from '../lib/deps';
import { endpointReactivations, providerOf } from '../lib/metrics';
import { AddressPolicy } from '../lib/outbound';
import { callbackUrls } from '../notifications/callbackTargets';
import { merchantNotFound, NotFound } from '../notifications/errors';
import { ENDPOINT_NAMES, type EndpointName } from '../providers/registry';
import type { EndpointTest } from '../workflows/endpoints';
import {
  ACTIVATION_REFUSED, activateEndpointUpdate, ENDPOINT_NOT_REGISTERED, ENDPOINT_STATUS_MEMO, MERCHANT_WORKFLOW, merchantMemoOf,
  merchantStateQuery,
  merchantWorkflowId, NO_URLS, registerCallbackUrlsUpdate, testEndpointUpdate, type CallbackUrls, type EndpointCheck,
  type EndpointView, type MerchantView, type MerchantWorkflow, type Registration,
} from '../workflows/contracts/merchant';
import { MERCHANT } from '../workflows/searchAttributes';
import { deactivationEmailOf, deactivationWarnings, type DeactivationEmail } from './deactivationNotice';
import { HttpError, type FieldError } from './route';

/**
 * The URLs, the G4 address, the event types chosen, and a warning for each URL whose deactivation would not be
 * e-mailed: what the PUT takes, read back.
 */
export interface RegistrationView extends CallbackUrls {
  notificationEmail: string | null;
  eventTypes: Partial<Record<EndpointName, string[]>>;
  warnings?: string[];
}

export async function registerCallbackUrls(
  { client, config }: Deps,
  merchantId: string,
  changes: Registration,
): Promise<RegistrationView> {
  await refuseForbiddenDestinations(config, changes);
  const handle = await startMerchant({ client, config }, merchantId);
  const urls = { ...NO_URLS, ...(await handle.executeUpdate(registerCallbackUrlsUpdate, { args: [changes] })) };
  return viewOf(urls, await handle.query(merchantStateQuery));
}

/** GET …/callback-urls: what the PUT set, the e-mail address and event types too (a query: not in the memo). */
export async function registration(deps: Deps, merchantId: string): Promise<RegistrationView> {
  return viewOf(await callbackUrls(deps, merchantId), await merchantState(deps, merchantId));
}

function viewOf(urls: CallbackUrls, { notificationEmail, endpoints }: Omit<MerchantView, 'credentials'>): RegistrationView {
  const eventTypes = Object.fromEntries(Object.entries(endpoints)
    .flatMap(([name, e]) => (e?.eventTypes ? [[name, e.eventTypes]] : [])));
  const warnings = deactivationWarnings(urls, notificationEmail);
  return { ...urls, notificationEmail, eventTypes, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * The account's entity workflow, started when missing (one per account, whoever asks first). The handle names no
 * run: the one `start` returns is bound to the run it found, and after that run continued as new the server
 * answers "workflow execution not found" to every update sent through it.
 */
export async function startMerchant({ client, config }: Deps, merchantId: string) {
  await client.workflow.start<MerchantWorkflow>(MERCHANT_WORKFLOW, {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: merchantWorkflowId(merchantId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `Account ${merchantId}: its callback URLs, their lifecycle (G4–G6, G9) and its credentials`,
    typedSearchAttributes: [{ key: MERCHANT, value: merchantId }],
    args: [NO_URLS],
  });
  return client.workflow.getHandle<MerchantWorkflow>(merchantWorkflowId(merchantId));
}

/**
 * SSRF floor at registration: a URL that is, or resolves to, an address callbacks may not reach is a 400 naming
 * its field. One that does not resolve yet is accepted: every attempt resolves and checks again.
 */
async function refuseForbiddenDestinations(config: Config, changes: Registration): Promise<void> {
  const policy = AddressPolicy.allowing(config.CALLBACK_ALLOWED_NETWORKS);
  const fields: FieldError[] = [];
  for (const name of ENDPOINT_NAMES) {
    const url = changes[name];
    if (!url) continue;
    const refusal = await policy.check(new URL(url).hostname).then((c) => c.refusal, () => undefined);
    if (refusal) fields.push({ field: `body.${name}`, message: refusal });
  }
  if (fields.length > 0) throw new HttpError(400, 'invalid_request', 'The request has invalid fields.', fields);
}

/** G9: every endpoint's state, last failure and reason, without the credentials. */
export async function merchantState({ client }: Deps, merchantId: string): Promise<Omit<MerchantView, 'credentials'>> {
  try {
    const { credentials: _, ...view } = await client.workflow.getHandle(merchantWorkflowId(merchantId)).query(merchantStateQuery);
    return view;
  } catch (err) {
    throw notFound(err, merchantId);
  }
}

/**
 * G9 as the API answers it: each last error with its time and delivery (errors recorded before issue 16 have
 * neither), whether a deactivation is e-mailed (G4), and the warnings of a registration.
 */
export type EndpointApiView = Omit<EndpointView, 'lastErrors' | 'lastFailures'> & {
  lastErrors: { at: string | null; deliveryId: string | null; error: string }[];
  deactivationEmail: DeactivationEmail;
};

export async function endpointsView(deps: Deps, merchantId: string): Promise<{
  notificationEmail: string | null; endpoints: Partial<Record<EndpointName, EndpointApiView>>; warnings?: string[];
}> {
  const { notificationEmail, endpoints } = await merchantState(deps, merchantId);
  const shaped = Object.fromEntries(Object.entries(endpoints).map(([name, { lastFailures, lastErrors, ...state }]) => [
    name,
    {
      ...state,
      lastErrors: lastFailures ?? lastErrors.map((error) => ({ at: null, deliveryId: null, error })),
      deactivationEmail: deactivationEmailOf(name as EndpointName, notificationEmail),
    },
  ]));
  const warnings = deactivationWarnings(
    Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, e!.url])), notificationEmail,
  );
  return { notificationEmail, endpoints: shaped, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** G6: a test notification now; with `activate`, reactivation when it passes (409 with the test when not). */
export async function checkEndpoint(
  { client, config }: Deps, merchantId: string, endpoint: EndpointName, activate: boolean,
): Promise<EndpointTest | EndpointApiView> {
  const handle = client.workflow.getHandle(merchantWorkflowId(merchantId));
  const check = { args: [{ endpoint, attemptTimeoutMs: config.CALLBACK_TIMEOUT_MS }] as [EndpointCheck] };
  try {
    if (!activate) return await handle.executeUpdate(testEndpointUpdate, check);
    // An activation of an active URL changes nothing: only an inactive one's counts (the memo is read by the server).
    const wasInactive = merchantMemoOf((await handle.describe()).memo)[ENDPOINT_STATUS_MEMO]?.[endpoint] === 'inactive';
    await handle.executeUpdate(activateEndpointUpdate, check);
    if (wasInactive) endpointReactivations.inc({ provider: providerOf(endpoint) });
    return (await endpointsView({ client, config }, merchantId)).endpoints[endpoint]!;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw notFound(err, merchantId);
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === ACTIVATION_REFUSED) {
      throw new HttpError(409, 'activation_refused', cause.message, undefined, { test: cause.details?.[0] });
    }
    // Refused by the update's validator: nothing registered under that endpoint.
    if (cause instanceof ApplicationFailure && cause.type === ENDPOINT_NOT_REGISTERED) {
      throw new NotFound(`Merchant ${merchantId} has no ${endpoint} registered.`);
    }
    throw err;
  }
}

function notFound(err: unknown, merchantId: string): unknown {
  return err instanceof WorkflowNotFoundError
    ? merchantNotFound(merchantId)
    : err;
}
