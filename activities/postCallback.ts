// One callback POST: the only side effect of a delivery attempt (G2, C3); none while the URL is inactive (G5).
import net from 'node:net';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Agent, fetch } from 'undici';
import { isLogged, log } from '../lib/log';
import { FORBIDDEN_ADDRESS, type AddressPolicy } from '../lib/outbound';
import { countAttempt, countHeld, retryLateness } from './attemptMetrics';
import { signatureHeaders, signingSecrets } from '../lib/webhookSignature';
import { inCallbackSpan } from './callbackSpan';
import type { CallbackRequest } from '../providers/provider';
import { ATTEMPT_NOT_MADE, type AttemptErrorClass } from '../workflows/contracts/deliverCallback';
import type { EndpointName } from '../providers/registry';
import type { SigningKeys } from '../workflows/endpoints';
import {
  ENDPOINT_STATUS_MEMO, merchantMemoOf, merchantWorkflowId, SIGNING_KEYS_MEMO,
} from '../workflows/contracts/merchant';
import { deliveryFields } from './deliveryLog';

export interface AttemptOutcome {
  statusCode?: number;
  errorClass?: AttemptErrorClass;
  /** The error as the HTTP client reported it, for operators. */
  errorMessage?: string;
  latencyMs: number;
  /** The first bytes of the receiver's answer (a 3xx's Location is kept here too). */
  responseExcerpt: string;
  /** Nothing was sent: the endpoint was deactivated (G5). */
  held?: true;
}

export interface PostCallbackInput {
  request: CallbackRequest;
  timeoutMs: number;
  /** When given, nothing is POSTed if this endpoint of the merchant is inactive (a retry after a deactivation). */
  unlessInactive?: { merchantId: string; endpoint: EndpointName };
  /**
   * Standard Webhooks headers: `webhookId` is the same for every attempt of one notification. `keys` are the
   * endpoint's key versions when the notification was raised; an attempt that reads the merchant anyway
   * (`unlessInactive`) signs with the versions it reads. Absent in attempts recorded before signing existed.
   */
  signing?: { merchantId: string; endpoint: EndpointName; webhookId: string; keys: SigningKeys };
  /** The delivery's attempt number, for the logs; absent for endpoint tests and attempts scheduled before it. */
  attempt?: number;
}

const EXCERPT_BYTES = 512;

/**
 * POSTs once and reports what happened. HTTP failures are outcomes, not exceptions: the
 * workflow owns the documented retry schedule, so this activity must not retry a POST itself.
 */
export function createPostCallback(client: Client, policy: AddressPolicy, signingKey: Buffer) {
  // Every connection resolves through the policy: the address checked is the address connected to.
  const dispatcher = new Agent({ connect: { lookup: policy.lookup } });
  return async function postCallback(input: PostCallbackInput): Promise<AttemptOutcome> {
    // Only a retry (a later attempt, which reads the merchant first) measures lateness, once it was made.
    const lateness = input.unlessInactive ? retryLateness(input.unlessInactive.endpoint, Context.current().info) : undefined;
    const outcome = await attemptOnce(input);
    lateness?.observe();
    if (outcome.held) countHeld(input.unlessInactive?.endpoint);
    else countAttempt(input, outcome);
    logAttempt(input, outcome);
    return outcome;
  };

  async function attemptOnce(input: PostCallbackInput): Promise<AttemptOutcome> {
    let keys = input.signing?.keys;
    if (input.unlessInactive) {
      const merchant = await readMerchant(client, input.unlessInactive.merchantId).catch((err: Error) => {
        // Before the POST: the workflow may try again without recording an attempt.
        throw ApplicationFailure.retryable(`the merchant could not be read: ${err.message}`, ATTEMPT_NOT_MADE);
      });
      if (merchant?.statuses?.[input.unlessInactive.endpoint] === 'inactive') {
        return { held: true, latencyMs: 0, responseExcerpt: '' };
      }
      keys = merchant?.signingKeys?.[input.unlessInactive.endpoint] ?? keys;
    }
    // An IP in the URL is connected to without a lookup: checked here.
    const host = new URL(input.request.url).hostname.replace(/^\[(.*)\]$/, '$1');
    const refusal = net.isIP(host) ? policy.refusal(host) : undefined;
    if (refusal) return { errorClass: 'forbidden_address', errorMessage: refusal, latencyMs: 0, responseExcerpt: '' };
    let headers: Record<string, string> = {};
    if (input.signing && keys) {
      const { merchantId, endpoint, webhookId } = input.signing;
      const now = new Date();
      headers = signatureHeaders(signingSecrets(signingKey, merchantId, endpoint, keys, now), webhookId, now, input.request.body);
    }
    return inCallbackSpan(input.request.url, () => post(input, dispatcher, headers));
  }
}

/**
 * One line per attempt: its outcome, never the URL (its query may hold a token) nor the receiver's answer. A 200
 * (received under every profile) at debug, anything else at info: what an operator looks into.
 */
function logAttempt(input: PostCallbackInput, outcome: AttemptOutcome): void {
  const level = outcome.statusCode === 200 ? 'debug' : 'info';
  if (!isLogged(level)) return;
  const { responseExcerpt: _excerpt, ...fields } = outcome;
  const about = input.attempt !== undefined ? deliveryFields(input.attempt) : { test: true };
  log[level](outcome.held ? 'callback held: the URL is inactive' : 'callback attempt', {
    ...about, endpoint: input.signing?.endpoint ?? input.unlessInactive?.endpoint, ...fields,
  });
}

/** The merchant's memo, which the server answers alone; undefined without an entity (a delivery started directly). */
async function readMerchant(client: Client, merchantId: string) {
  try {
    const memo = merchantMemoOf((await client.workflow.getHandle(merchantWorkflowId(merchantId)).describe()).memo);
    return { statuses: memo[ENDPOINT_STATUS_MEMO], signingKeys: memo[SIGNING_KEYS_MEMO] };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

async function post(
  { request, timeoutMs }: PostCallbackInput, dispatcher: Agent, signature: Record<string, string>,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': request.contentType, 'user-agent': 'Arauto-Callback/0.1', ...signature },
      body: request.body,
      redirect: 'manual', // a 3xx is a failed attempt, never followed
      signal,
      dispatcher,
    });
    const location = response.headers.get('location');
    const excerpt = await readExcerpt(response);
    return {
      statusCode: response.status,
      latencyMs: Math.round(performance.now() - started),
      responseExcerpt: location ? `Location: ${location}` : excerpt,
    };
  } catch (err) {
    const errorClass = signal.aborted ? 'timeout' : classify(err);
    return {
      errorClass,
      errorMessage: describe(err),
      latencyMs: Math.round(performance.now() - started),
      responseExcerpt: '',
    };
  }
}

async function readExcerpt(response: Awaited<ReturnType<typeof fetch>>): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still leaves the status code, which is what decides the attempt.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}

function causeCode(err: unknown): string | undefined {
  let e: any = err;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function classify(err: unknown): AttemptErrorClass {
  const code = causeCode(err) ?? '';
  if (code === FORBIDDEN_ADDRESS) return 'forbidden_address';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return 'tls';
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return 'timeout';
  }
  return 'network';
}

function describe(err: unknown): string {
  const code = causeCode(err);
  const message = (err as any)?.cause?.message ?? (err as Error)?.message ?? String(err);
  return code ? `${code}: ${message}` : message;
}
