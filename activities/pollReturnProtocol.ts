// One GET of a return-file protocol (P1–P5). The workflow's retry policy is the polling loop: PROCESSANDO and
// transport failures throw retryable failures, retried by Temporal at the poll interval; `_status: erro` ends it.
import { ApplicationFailure } from '@temporalio/common';
import { returnFilePolls } from '../lib/metrics';
import { credentialHeaders, parseProtocolAnswer, type PlugBoletoCredentials, type ProcessedReturn } from '../lib/plugboleto';

export interface PlugBoletoDeps {
  baseUrl: string;
  /** Per cnpj-cedente (P2); resolved here, so credentials never enter a workflow history. */
  credentials: Record<string, PlugBoletoCredentials>;
  requestTimeoutMs?: number;
}

/** Failure types: the first two end polling at once; the others are retried at the poll interval. */
export const RETURN_FAILURES = {
  providerError: 'PlugBoletoError',
  refused: 'PlugBoletoRefused',
  stillProcessing: 'StillProcessing',
  unavailable: 'PlugBoletoUnavailable',
} as const;

export interface ReturnProtocolRef {
  protocolo: string;
  cnpjCedente: string;
}

/**
 * Where to call PlugBoleto and with which P2 headers for a cedente; a clear non-retryable failure when unknown.
 * `account`: whose credentials serve a cedente that has none of its own (matriz e filial on one account, seed 002).
 * The messages name no CNPJ: the worker logs activity failures.
 */
export function plugboletoFor(deps: PlugBoletoDeps | undefined, cnpjCedente: string, account?: string) {
  if (!deps) throw ApplicationFailure.nonRetryable('PLUGBOLETO_BASE_URL is not configured', RETURN_FAILURES.refused);
  const cnpj = deps.credentials[cnpjCedente] || !account ? cnpjCedente : account;
  const credentials = deps.credentials[cnpj];
  if (!credentials) {
    throw ApplicationFailure.nonRetryable('no PlugBoleto credentials for the cedente (PLUGBOLETO_CREDENTIALS)', RETURN_FAILURES.refused);
  }
  return { ...deps, headers: credentialHeaders(cnpj, credentials) };
}

/** Each poll's outcome by its failure type (lib/metrics.ts): processed, processing, provider_error, refused, unavailable. */
const POLL_OUTCOMES: Record<string, string> = {
  [RETURN_FAILURES.providerError]: 'provider_error',
  [RETURN_FAILURES.refused]: 'refused',
  [RETURN_FAILURES.stillProcessing]: 'processing',
  [RETURN_FAILURES.unavailable]: 'unavailable',
};

export function createPollReturnProtocol(deps: PlugBoletoDeps | undefined) {
  const poll = createPoll(deps);
  return async function pollReturnProtocol(ref: ReturnProtocolRef): Promise<ProcessedReturn> {
    try {
      const result = await poll(ref);
      returnFilePolls.inc({ outcome: 'processed' });
      return result;
    } catch (err) {
      const type = err instanceof ApplicationFailure ? err.type ?? '' : '';
      returnFilePolls.inc({ outcome: POLL_OUTCOMES[type] ?? 'unavailable' });
      throw err;
    }
  };
}

function createPoll(deps: PlugBoletoDeps | undefined) {
  return async function poll({ protocolo, cnpjCedente }: ReturnProtocolRef): Promise<ProcessedReturn> {
    const plugboleto = plugboletoFor(deps, cnpjCedente);
    let response: Response;
    try {
      response = await fetch(`${plugboleto.baseUrl}/api/v1/retornos/${encodeURIComponent(protocolo)}`, {
        headers: plugboleto.headers,
        signal: AbortSignal.timeout(plugboleto.requestTimeoutMs ?? 20_000),
      });
    } catch (err) {
      throw ApplicationFailure.retryable(`PlugBoleto unreachable: ${(err as Error).message}`, RETURN_FAILURES.unavailable);
    }
    if (response.status >= 500) {
      throw ApplicationFailure.retryable(`PlugBoleto answered HTTP ${response.status}`, RETURN_FAILURES.unavailable);
    }
    const body = await response.json().catch(() => undefined);
    if (response.status === 401 || response.status === 403) {
      throw ApplicationFailure.nonRetryable(`PlugBoleto refused the credentials: ${body?._mensagem ?? response.status}`, RETURN_FAILURES.refused);
    }
    const answer = parseProtocolAnswer(body);
    if (answer.situacao === 'ERRO') throw ApplicationFailure.nonRetryable(answer.mensagem, RETURN_FAILURES.providerError);
    if (answer.situacao === 'PROCESSANDO') {
      // BENIGN: the expected answer while waiting, logged at debug level, not as a failure.
      throw ApplicationFailure.create({ message: answer.mensagem || 'PROCESSANDO', type: RETURN_FAILURES.stillProcessing, category: 'BENIGN' });
    }
    return answer.result;
  };
}
