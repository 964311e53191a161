// A bank return file being reconciled by PlugBoleto (seed 002): poll its protocol until PROCESSADO (P3), at least
// 5 seconds apart, within a deadline; `_status: erro` ends it at once (P5).
import {
  ActivityFailure, ApplicationFailure, defineQuery, patched, proxyActivities, setHandler, TimeoutFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReturnProtocolRef } from '../activities/pollReturnProtocol';
import type { ProcessedReturn } from '../lib/plugboleto';
import { PROTOCOL } from './searchAttributes';

/** P3: "um delay de pelo menos 5 segundos entre cada consulta". */
export const MIN_POLL_INTERVAL_MS = 5_000;

export interface ReturnProtocolPollInput extends Omit<ReturnProtocolRef, 'protocolo'> {
  /** The protocol to poll; absent, `arquivo` is uploaded first and its protocol polled. */
  protocolo?: string;
  /** A return file, base64, to upload (seed 002's first step). */
  arquivo?: string;
  /** The account whose notification URL hears of each title found paid (P6 → G1); absent, nothing is notified. */
  merchantId?: string;
  /** Between polls; raised to MIN_POLL_INTERVAL_MS when lower. */
  pollIntervalMs?: number;
  /** Overall: still PROCESSANDO (or unreachable) after this long fails it. Default: a day. */
  deadlineMs?: number;
}

export const RETURN_PROTOCOL_DEADLINE = 'ReturnProtocolDeadline';
const PROTOCOL_SEARCH_ATTRIBUTE_PATCH = 'protocol-search-attribute';
const PER_TITLE_STATUS_PATCH = 'per-title-status';
/** P6: boleto status queries in flight at once. */
export const STATUS_QUERY_CONCURRENCY = 5;

/** The processed return, and the notification raised for each title found paid. */
export interface ReconciledReturn extends ProcessedReturn {
  protocolo: string;
  paid: { idIntegracao: string; deliveryId: string }[];
  /** P6: titles whose boleto status PlugBoleto did not answer, each with why (absent in results of older runs). */
  statusUnavailable?: { idIntegracao: string; failure: { type: string | null; message: string } }[];
}

const { queryBoletoStatus, notifyPaidTitle, uploadReturnFile } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
});

export interface ReturnProtocolState {
  protocolo: string | null;
  /** While it runs; once closed, the result (or the failure) tells the rest. */
  status: 'uploading' | 'polling' | 'reconciling';
}
export const returnProtocolStateQuery = defineQuery<ReturnProtocolState>('returnProtocolState');

export async function returnProtocolPoll(input: ReturnProtocolPollInput): Promise<ReconciledReturn> {
  const state: ReturnProtocolState = { protocolo: input.protocolo ?? null, status: input.protocolo ? 'polling' : 'uploading' };
  setHandler(returnProtocolStateQuery, () => state);
  if (state.protocolo === null) {
    state.protocolo = await uploadReturnFile({ cnpjCedente: input.cnpjCedente, arquivo: input.arquivo ?? '' });
    // Findable by its protocol in the Web UI (D5); runs recorded before this replay without it.
    if (patched(PROTOCOL_SEARCH_ATTRIBUTE_PATCH)) upsertSearchAttributes([{ key: PROTOCOL, value: state.protocolo }]);
  }
  state.status = 'polling';
  const processed = await pollUntilProcessed({ ...input, protocolo: state.protocolo });
  state.status = 'reconciling';
  return { protocolo: state.protocolo, ...(await reconcile(input, processed)) };
}

async function reconcile(
  input: ReturnProtocolPollInput, processed: ProcessedReturn,
): Promise<Omit<ReconciledReturn, 'protocolo'>> {
  if (!input.merchantId) return { ...processed, paid: [] };
  // A title whose status cannot be asked is marked and the rest reconciled; runs recorded before this failed whole.
  const perTitle = patched(PER_TITLE_STATUS_PATCH);
  // P6: each conciliated title's boleto status, a few at a time; each paid one becomes a notification (G1).
  const paid: ReconciledReturn['paid'] = [];
  const statusUnavailable: NonNullable<ReconciledReturn['statusUnavailable']> = [];
  // (history: two activities per conciliated title; files of thousands of titles would want continue-as-new)
  for (let i = 0; i < processed.titulos.length; i += STATUS_QUERY_CONCURRENCY) {
    const chunk = processed.titulos.slice(i, i + STATUS_QUERY_CONCURRENCY);
    const statuses = await Promise.all(chunk.map((t) =>
      // The title's cedente when the file mixes them (matriz e filial); the activity falls back to the account's.
      queryBoletoStatus({
        idIntegracao: t.idIntegracao, cnpjCedente: t.cedenteCpfCnpj ?? input.cnpjCedente, accountCnpjCedente: input.cnpjCedente,
      }).catch((err: unknown) => {
          if (!perTitle || !(err instanceof ActivityFailure)) throw err;
          const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
          return { situacao: '', failure: { type: cause?.type ?? null, message: (err.cause ?? err).message } };
        })));
    for (const [j, status] of statuses.entries()) {
      const { idIntegracao } = chunk[j];
      if ('failure' in status) statusUnavailable.push({ idIntegracao, failure: status.failure });
      if (status.situacao !== 'PAGO') continue;
      const { deliveryId } = await notifyPaidTitle({ merchantId: input.merchantId, idIntegracao });
      paid.push({ idIntegracao, deliveryId });
    }
  }
  return { ...processed, paid, ...(perTitle ? { statusUnavailable } : {}) };
}

async function pollUntilProcessed(input: ReturnProtocolPollInput & ReturnProtocolRef): Promise<ProcessedReturn> {
  const interval = Math.max(MIN_POLL_INTERVAL_MS, input.pollIntervalMs ?? MIN_POLL_INTERVAL_MS);
  const deadlineMs = input.deadlineMs ?? 24 * 3_600_000;
  // Temporal's polling pattern for an interval this long: the activity makes one request per attempt and the
  // retry policy is the loop, so however long processing takes, the history holds one activity's events.
  const { pollReturnProtocol } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: deadlineMs,
    retry: {
      initialInterval: interval,
      backoffCoefficient: 1,
      maximumInterval: interval,
      nonRetryableErrorTypes: ['PlugBoletoError', 'PlugBoletoRefused'],
    },
  });
  try {
    return await pollReturnProtocol({ protocolo: input.protocolo, cnpjCedente: input.cnpjCedente });
  } catch (err) {
    // The deadline ends polling with a timeout, or (between attempts) with the last retryable failure.
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    const retryable = cause instanceof ApplicationFailure && !cause.nonRetryable
      && !['PlugBoletoError', 'PlugBoletoRefused'].includes(cause.type ?? '');
    if (cause instanceof TimeoutFailure || retryable) {
      throw ApplicationFailure.nonRetryable(
        `protocol ${input.protocolo} not processed within ${deadlineMs / 60_000} minutes of polling; last: ${cause!.message}`,
        RETURN_PROTOCOL_DEADLINE,
      );
    }
    throw err;
  }
}
