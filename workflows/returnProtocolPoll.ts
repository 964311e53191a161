// A bank return file being reconciled by PlugBoleto (seed 002): poll its protocol until PROCESSADO (P3), at least
// 5 seconds apart, within a deadline; `_status: erro` ends it at once (P5). Its contract (input, state query,
// result, failure type) is workflows/contracts/returnProtocolPoll.ts.
import {
  ActivityFailure, ApplicationFailure, patched, proxyActivities, setHandler, TimeoutFailure, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ReturnProtocolRef } from '../activities/pollReturnProtocol';
import type { ProcessedReturn } from '../lib/plugboleto';
import {
  MIN_POLL_INTERVAL_MS, RETURN_PROTOCOL_DEADLINE, returnProtocolStateQuery, type ReconciledReturn,
  type ReturnProtocolPollInput, type ReturnProtocolState,
} from './contracts/returnProtocolPoll';
import { PROTOCOL } from './searchAttributes';

const PROTOCOL_SEARCH_ATTRIBUTE_PATCH = 'protocol-search-attribute';
const PER_TITLE_STATUS_PATCH = 'per-title-status';
/** P6: boleto status queries in flight at once. */
export const STATUS_QUERY_CONCURRENCY = 5;

const { queryBoletoStatus, notifyPaidTitle, uploadReturnFile } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
});

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
