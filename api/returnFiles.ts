// Return files (seed 002): submitted for an account, polled by a returnProtocolPoll workflow each, read back.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Deps } from '../lib/deps';
import {
  RETURN_PROTOCOL_POLL_WORKFLOW, returnProtocolStateQuery, type ReconciledReturn, type ReturnProtocolPollWorkflow,
} from '../workflows/contracts/returnProtocolPoll';
import { MERCHANT, PROTOCOL } from '../workflows/searchAttributes';
import { legacyReturnIdOf, returnIdOf } from './returnFileIds';
import { HttpError } from './route';

export interface ReturnFileSubmission {
  cnpjCedente: string;
  protocolo?: string;
  arquivo?: string;
  pollIntervalSeconds?: number;
  deadlineMinutes?: number;
}

export interface ReturnFileView {
  returnId: string;
  protocolo: string | null;
  status: 'uploading' | 'polling' | 'reconciling' | 'done' | 'failed';
  submittedAt: string;
  closedAt: string | null;
  result?: ReconciledReturn;
  failure?: { type: string | null; message: string };
}

export async function submitReturnFile(
  { client, config }: Deps, merchantId: string, submission: ReturnFileSubmission,
): Promise<{ returnId: string; duplicate: boolean }> {
  const returnId = returnIdOf(submission);
  const legacy = await startedUnderLegacyId({ client, config }, merchantId, submission);
  if (legacy) return { returnId: legacy, duplicate: true }; // the same protocol is never polled twice at once
  try {
    await client.workflow.start<ReturnProtocolPollWorkflow>(RETURN_PROTOCOL_POLL_WORKFLOW, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: returnId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: MERCHANT, value: merchantId },
        ...(submission.protocolo ? [{ key: PROTOCOL, value: submission.protocolo }] : []),
      ],
      // Names the cedente for operators in the Web UI: user metadata is encrypted by the codec, unlike the id.
      staticSummary: submission.protocolo
        ? `PlugBoleto return protocol ${submission.protocolo} of cedente ${submission.cnpjCedente}, for ${merchantId}`
        : `PlugBoleto return file upload of cedente ${submission.cnpjCedente}, for ${merchantId}`,
      args: [{
        merchantId,
        cnpjCedente: submission.cnpjCedente,
        ...(submission.protocolo ? { protocolo: submission.protocolo } : { arquivo: submission.arquivo }),
        ...(submission.pollIntervalSeconds ? { pollIntervalMs: submission.pollIntervalSeconds * 1000 } : {}),
        ...(submission.deadlineMinutes ? { deadlineMs: submission.deadlineMinutes * 60_000 } : {}),
      }],
    });
    return { returnId, duplicate: false };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await readReturnFile({ client, config }, merchantId, returnId); // 404 when it is another account's
    return { returnId, duplicate: true };
  }
}

/** The run of the same submission started before ids were digested, if any (404 when it is another account's). */
async function startedUnderLegacyId(deps: Deps, merchantId: string, submission: ReturnFileSubmission): Promise<string | null> {
  const legacyId = legacyReturnIdOf(submission);
  try {
    await deps.client.workflow.getHandle(legacyId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
  await readReturnFile(deps, merchantId, legacyId);
  return legacyId;
}

export async function readReturnFile({ client }: Deps, merchantId: string, returnId: string): Promise<ReturnFileView> {
  const unknown = new HttpError(404, 'not_found', `No return file ${returnId}.`);
  const handle = client.workflow.getHandle(returnId);
  let info;
  try {
    info = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw unknown;
    throw err;
  }
  if (info.typedSearchAttributes.get(MERCHANT) !== merchantId || info.type !== 'returnProtocolPoll') throw unknown;
  const base = { returnId, submittedAt: info.startTime.toISOString(), closedAt: info.closeTime?.toISOString() ?? null };
  if (info.status.name === 'RUNNING') {
    const state = await handle.query(returnProtocolStateQuery);
    return { ...base, ...state };
  }
  try {
    const result: ReconciledReturn = await handle.result();
    return { ...base, protocolo: result.protocolo, status: 'done', result };
  } catch (err) {
    const cause = (err as { cause?: { cause?: Error & { type?: string }; type?: string; message?: string } }).cause;
    const root = cause?.cause ?? cause;
    return {
      // The protocol it had, if it got one (the search attribute; runs from before it was upserted answer null).
      ...base, protocolo: info.typedSearchAttributes.get(PROTOCOL) ?? null, status: 'failed',
      failure: { type: root?.type ?? null, message: root?.message ?? String(err) },
    };
  }
}

export async function listReturnFiles({ client }: Deps, merchantId: string): Promise<Omit<ReturnFileView, 'protocolo'>[]> {
  const rows: Omit<ReturnFileView, 'protocolo'>[] = [];
  const query = `WorkflowType = 'returnProtocolPoll' AND ArautoMerchant = '${merchantId}'`; // merchantId: [A-Za-z0-9_-]
  for await (const info of client.workflow.list({ query, pageSize: 50 })) {
    rows.push({
      returnId: info.workflowId,
      status: info.status.name === 'RUNNING' ? 'polling' : info.status.name === 'COMPLETED' ? 'done' : 'failed',
      submittedAt: info.startTime.toISOString(),
      closedAt: info.closeTime?.toISOString() ?? null,
    });
    if (rows.length >= 50) break;
  }
  return rows;
}
