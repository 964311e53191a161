// The return-file workflow's contract (workflows/returnProtocolPoll.ts): its input, state query, result and failure
// type, for the API to use without importing its implementation.
import { defineQuery } from '@temporalio/workflow';
import type { ReturnProtocolRef } from '../../activities/pollReturnProtocol';
import type { ProcessedReturn } from '../../lib/plugboleto';

/** The workflow's type name, as the worker registers it (workflows/index.ts). */
export const RETURN_PROTOCOL_POLL_WORKFLOW = 'returnProtocolPoll';
export type ReturnProtocolPollWorkflow = (input: ReturnProtocolPollInput) => Promise<ReconciledReturn>;

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

/** The processed return, and the notification raised for each title found paid. */
export interface ReconciledReturn extends ProcessedReturn {
  protocolo: string;
  paid: { idIntegracao: string; deliveryId: string }[];
  /** P6: titles whose boleto status PlugBoleto did not answer, each with why (absent in results of older runs). */
  statusUnavailable?: { idIntegracao: string; failure: { type: string | null; message: string } }[];
}

export interface ReturnProtocolState {
  protocolo: string | null;
  /** While it runs; once closed, the result (or the failure) tells the rest. */
  status: 'uploading' | 'polling' | 'reconciling';
}
export const returnProtocolStateQuery = defineQuery<ReturnProtocolState>('returnProtocolState');
