// One callback POST: the only side effect of a delivery attempt (G2, C3); none while the URL is inactive (G5).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CallbackRequest } from '../workflows/callbackRequest';
import type { EndpointName, EndpointStatus } from '../workflows/endpoints';
import { ENDPOINT_STATUS_MEMO, merchantWorkflowId } from '../workflows/merchant';

/** Why an attempt got no HTTP status, or got one that is not a success. */
export type AttemptErrorClass = 'timeout' | 'connection_refused' | 'connection_reset' | 'dns' | 'tls' | 'network';

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
}

const EXCERPT_BYTES = 512;

/**
 * POSTs once and reports what happened. HTTP failures are outcomes, not exceptions: the
 * workflow owns the documented retry schedule, so this activity must not retry a POST itself.
 */
export function createPostCallback(client: Client) {
  return async function postCallback(input: PostCallbackInput): Promise<AttemptOutcome> {
    if (input.unlessInactive && (await endpointStatus(client, input.unlessInactive)) === 'inactive') {
      return { held: true, latencyMs: 0, responseExcerpt: '' };
    }
    return post(input);
  };
}

/** From the merchant's memo, which the server answers alone; merchants without one count as active. */
async function endpointStatus(client: Client, { merchantId, endpoint }: { merchantId: string; endpoint: EndpointName }) {
  try {
    const { memo } = await client.workflow.getHandle(merchantWorkflowId(merchantId)).describe();
    return (memo?.[ENDPOINT_STATUS_MEMO] as Partial<Record<EndpointName, EndpointStatus>> | undefined)?.[endpoint];
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined; // no entity (a delivery started directly)
    throw err;
  }
}

async function post({ request, timeoutMs }: PostCallbackInput): Promise<AttemptOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': request.contentType, 'user-agent': 'Arauto-Callback/0.1' },
      body: request.body,
      redirect: 'manual', // a 3xx is a failed attempt, never followed
      signal,
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

async function readExcerpt(response: Response): Promise<string> {
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
