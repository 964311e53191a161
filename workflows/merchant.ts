// A merchant as a long-lived entity: its callback URLs (G1, C4) and each one's lifecycle (G4–G6, G9).
// Its contract (updates, queries, signal, id, memo) is workflows/contracts/merchant.ts.
import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, patched, proxyActivities,
  proxyLocalActivities, setHandler, upsertMemo, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  ACTIVATION_REFUSED, activateEndpointUpdate, CALLBACK_URLS_MEMO, callbackUrlsQuery, CREDENTIALS_MEMO,
  ENDPOINT_NOT_REGISTERED, endpointExhaustedSignal, ENDPOINT_STATUS_MEMO, EVENT_TYPES_MEMO, merchantStateQuery, NO_URLS,
  registerCallbackUrlsUpdate, rotateSigningKeyUpdate, SIGNING_KEYS_MEMO, testEndpointUpdate, type CallbackUrls,
  type EndpointCheck, type EndpointView, type Lifecycle, type MerchantMemo,
} from './contracts/merchant';
import { FIRST_KEYS, NEW_ENDPOINT, type SigningKeys, type EndpointStatus, type EndpointTest } from './endpoints';
import { handleCredentials } from './credentials';
import { isReceived, successWording } from './profiles';
import {
  buildCallbackRequest, ENDPOINT_NAMES, profileOfEndpoint, testEvent, type EndpointName,
} from '../providers/registry';

const merchantIdOf = (workflowId: string) => workflowId.slice('merchant.'.length);
const URLS_IN_MEMO_PATCH = 'callback-urls-in-memo';

const { sendDeactivationEmail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' }, // an SMTP outage must not lose the e-mail
});
const { postCallback } = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes' });

export async function merchant(urls: CallbackUrls = NO_URLS, lifecycle?: Lifecycle): Promise<void> {
  const current = { ...urls };
  const entity: Lifecycle = {
    notificationEmail: lifecycle?.notificationEmail ?? null,
    endpoints: { ...lifecycle?.endpoints },
    credentials: [...(lifecycle?.credentials ?? [])],
  };
  const credentials = entity.credentials!;
  // `endpoint` is for handlers that change the state; queries and the memo read through `stateOf`.
  const endpoint = (name: EndpointName) => (entity.endpoints[name] ??= { ...NEW_ENDPOINT });
  const stateOf = (name: EndpointName) => entity.endpoints[name] ?? NEW_ENDPOINT;
  const statuses = () => Object.fromEntries(
    ENDPOINT_NAMES.filter((n) => current[n] != null).map((n) => [n, stateOf(n).status]),
  ) as Partial<Record<EndpointName, EndpointStatus>>;
  // Published in the memo too: a describe is answered by the server from the workflow's stored state, a query
  // needs a round trip through a worker (docs/performance.md).
  const signingKeys = () => Object.fromEntries(
    ENDPOINT_NAMES.filter((n) => entity.endpoints[n]?.signingKeys).map((n) => [n, entity.endpoints[n]!.signingKeys]),
  ) as Partial<Record<EndpointName, SigningKeys>>;
  const eventTypes = () => Object.fromEntries(
    ENDPOINT_NAMES.filter((n) => entity.endpoints[n]?.eventTypes).map((n) => [n, entity.endpoints[n]!.eventTypes]),
  ) as Partial<Record<EndpointName, string[]>>;
  const publish = () => {
    if (!patched(URLS_IN_MEMO_PATCH)) return;
    const keys = signingKeys();
    const types = eventTypes();
    upsertMemo({
      [CALLBACK_URLS_MEMO]: current,
      [ENDPOINT_STATUS_MEMO]: statuses(),
      // Only once a key was rotated, so that runs from before signing existed publish what they did.
      ...(Object.keys(keys).length > 0 ? { [SIGNING_KEYS_MEMO]: keys } : {}),
      // Once published, always: the memo merges, so all types again must overwrite the last choice.
      ...(Object.keys(types).length > 0 || workflowInfo().memo?.[EVENT_TYPES_MEMO]
        ? { [EVENT_TYPES_MEMO]: types } : {}),
      ...(credentials.length > 0 ? { [CREDENTIALS_MEMO]: credentials } : {}),
    } satisfies MerchantMemo);
  };
  const view = (name: EndpointName): EndpointView => ({ url: current[name]!, ...stateOf(name) });

  async function runTest({ endpoint: name, attemptTimeoutMs }: EndpointCheck): Promise<EndpointTest> {
    const at = new Date().toISOString();
    const request = buildCallbackRequest(current[name]!, testEvent(name, at));
    const merchantId = merchantIdOf(workflowInfo().workflowId);
    const outcome = await postCallback({
      request,
      timeoutMs: attemptTimeoutMs,
      signing: { merchantId, endpoint: name, webhookId: `test.${merchantId}.${name}.${at}`, keys: stateOf(name).signingKeys ?? FIRST_KEYS },
    });
    const test: EndpointTest = {
      at,
      passed: isReceived(profileOfEndpoint(name), outcome.statusCode),
      ...(outcome.statusCode !== undefined ? { statusCode: outcome.statusCode } : {}),
      ...(outcome.errorClass ? { errorClass: outcome.errorClass } : {}),
      latencyMs: outcome.latencyMs,
    };
    endpoint(name).lastTest = test;
    return test;
  }
  const requireUrl = ({ endpoint: name }: { endpoint: EndpointName }) => {
    if (!ENDPOINT_NAMES.includes(name)) throw new Error(`unknown endpoint ${name}`);
    if (!current[name]) throw ApplicationFailure.nonRetryable(`no ${name} registered`, ENDPOINT_NOT_REGISTERED);
  };

  // A continued run carries its URLs and credentials over.
  if (Object.values(current).some((url) => url != null) || credentials.length > 0) publish();
  setHandler(callbackUrlsQuery, () => current);
  setHandler(merchantStateQuery, () => ({
    notificationEmail: entity.notificationEmail,
    credentials,
    endpoints: Object.fromEntries(ENDPOINT_NAMES.filter((n) => current[n] != null).map((n) => [n, view(n)])),
  }));
  setHandler(registerCallbackUrlsUpdate, ({ notificationEmail, eventTypes: wanted, ...changes }) => {
    for (const [key, value] of Object.entries(changes) as [EndpointName, string | null | undefined][]) {
      if (value === undefined || value === current[key]) continue;
      current[key] = value;
      // A different URL starts afresh, active; its signing secret and event types stay the endpoint's.
      const { signingKeys, eventTypes: types } = entity.endpoints[key] ?? {};
      entity.endpoints[key] = {
        ...NEW_ENDPOINT, ...(signingKeys ? { signingKeys } : {}), ...(types ? { eventTypes: types } : {}),
      };
    }
    for (const [key, types] of Object.entries(wanted ?? {}) as [EndpointName, string[] | null | undefined][]) {
      if (types === null) delete endpoint(key).eventTypes;
      else if (types !== undefined) endpoint(key).eventTypes = types;
    }
    if (notificationEmail !== undefined) entity.notificationEmail = notificationEmail;
    publish();
    return current;
  });
  setHandler(endpointExhaustedSignal, async (exhausted) => {
    const name = exhausted.endpoint ?? ENDPOINT_NAMES.find((n) => current[n] === exhausted.url);
    if (!name || current[name] !== exhausted.url) return; // the URL was changed since: the new one is not to blame
    const state = endpoint(name);
    state.exhaustedDeliveries++;
    state.lastErrors = exhausted.lastErrors;
    // State only, no command: runs replay unchanged (test/replay.test.ts).
    state.lastFailures = exhausted.lastErrors.map((error, i) => ({
      at: exhausted.lastErrorsAt?.[i] ?? null, deliveryId: exhausted.deliveryId, error,
    }));
    // One deactivation, and one e-mail, however many deliveries exhaust against the same dead URL (G4).
    if (!exhausted.deactivate || state.status === 'inactive') return;
    Object.assign(state, {
      status: 'inactive',
      lastDeactivatedAt: new Date().toISOString(),
      lastDeactivationReason: `every attempt of ${exhausted.deliveryId} failed; last: ${exhausted.lastErrors.at(-1) ?? '?'}`,
      deactivations: state.deactivations + 1,
    });
    publish();
    if (!entity.notificationEmail) {
      log.warn('endpoint deactivated; no notification e-mail registered', { endpoint: name, deliveryId: exhausted.deliveryId });
      return;
    }
    await sendDeactivationEmail({
      to: entity.notificationEmail,
      merchantId: merchantIdOf(workflowInfo().workflowId),
      endpoint: name,
      url: exhausted.url,
      deactivatedAt: state.lastDeactivatedAt!,
      lastErrors: exhausted.lastErrors,
      deliveryId: exhausted.deliveryId, // for the log line; an activity's input is not compared on replay
    });
  });
  setHandler(testEndpointUpdate, runTest, { validator: requireUrl });
  handleCredentials(credentials, publish);
  setHandler(rotateSigningKeyUpdate, ({ endpoint: name, graceMs }) => {
    const state = endpoint(name);
    const before = state.signingKeys ?? FIRST_KEYS;
    state.signingKeys = {
      version: before.version + 1,
      previous: { version: before.version, validUntil: new Date(Date.now() + graceMs).toISOString() },
    };
    publish();
    return state.signingKeys;
  }, { validator: requireUrl });
  setHandler(activateEndpointUpdate, async (check) => {
    const test = await runTest(check);
    if (!test.passed) {
      const got = test.statusCode !== undefined ? `HTTP ${test.statusCode}` : test.errorClass;
      throw ApplicationFailure.nonRetryable(
        `not activated: the test notification got ${got}; the URL must answer ${
          successWording(profileOfEndpoint(check.endpoint))}`,
        ACTIVATION_REFUSED, test,
      );
    }
    endpoint(check.endpoint).status = 'active';
    publish();
    return view(check.endpoint);
  }, { validator: requireUrl });

  // Lives as long as the merchant; a fresh run keeps the history small.
  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof merchant>(current, entity);
}
