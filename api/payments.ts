// I1, I2: a payment, once per clientRequestId of an account. Temporal decides which request runs it (one workflow
// per key); every repeat answers the same paymentId and raises the receipt again.
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Deps } from '../lib/deps';
import { log } from '../lib/log';
import { payments } from '../lib/metrics';
import { requireCallbackUrl } from '../notifications/callbackTargets';
import { raisePaymentReceipt } from '../notifications/paymentReceipts';
import type { PaymentRequest } from '../activities/payDebt';
import {
  IDEMPOTENT_PAYMENT_WORKFLOW, PAYMENT_DIGEST_MEMO, paymentRequestedSignal, paymentWorkflowId,
  type IdempotentPaymentWorkflow, type PaymentOutcome, type PaymentRequested,
} from '../workflows/contracts/idempotentPayment';
import { CHARGE_ID, CLIENT_REQUEST_ID, MERCHANT } from '../workflows/searchAttributes';
import { HttpError } from './route';

/** A test's seam between a payment's start and its answer (test/payments.test.ts kills the process there). */
export type AfterPaymentStart = () => void;

/** Arauto's paymentId: derived from account and key, so every answer to a repeat is the same, byte for byte. */
function paymentIdOf(merchantId: string, clientRequestId: string): string {
  const h = createHash('sha256').update(`arauto/payment/${merchantId}/${clientRequestId}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Starts the payment, or hands a running one this request; 409 when the key was used for another payment. */
export async function requestPayment(
  deps: Deps, merchantId: string, clientRequestId: string, request: PaymentRequest, afterStart?: AfterPaymentStart,
): Promise<{ paymentId: string }> {
  const { client, config } = deps;
  await requireCallbackUrl(deps, merchantId, 'paymentWebhookUrl'); // where the receipt will go: 409 before anything
  const paymentId = paymentIdOf(merchantId, clientRequestId);
  const requestDigest = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  const workflowId = paymentWorkflowId(merchantId, clientRequestId);
  const requestId = randomUUID();
  let closed = false;
  // signalWithStart does not say whether it started the run or signalled one: asked before, for the metric only.
  const isNew = await isFirstRequest(deps, workflowId);
  try {
    // One execution per key, decided by Temporal: a running one gets this request as a signal (the first
    // request's signal arrives with the start), a closed one is never run again.
    await client.workflow.signalWithStart<IdempotentPaymentWorkflow, [PaymentRequested]>(IDEMPOTENT_PAYMENT_WORKFLOW, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { [PAYMENT_DIGEST_MEMO]: requestDigest },
      staticSummary: `Payment ${paymentId} (clientRequestId ${clientRequestId}): debt ${request.debtId}, ${request.amount} BRL, for ${merchantId}`,
      typedSearchAttributes: [
        { key: MERCHANT, value: merchantId }, { key: CLIENT_REQUEST_ID, value: clientRequestId },
        { key: CHARGE_ID, value: paymentId },
      ],
      args: [{ merchantId, clientRequestId, paymentId, request, requestDigest }],
      signal: paymentRequestedSignal,
      signalArgs: [{ requestId, requestDigest }],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    closed = true;
  }
  afterStart?.();
  const handle = client.workflow.getHandle(workflowId);
  const { memo } = await handle.describe();
  if (memo?.[PAYMENT_DIGEST_MEMO] !== requestDigest) {
    payments.inc({ outcome: 'conflict' });
    throw new HttpError(409, 'idempotency_conflict',
      `clientRequestId ${clientRequestId} was already used for a different payment; nothing was charged for this one.`,
      [{ field: 'body.clientRequestId', message: 'already used with another debtId, amount or vehicle' }]);
  }
  // signalWithStart cannot tell a start from a signal to a running run: the run's start time against now can.
  payments.inc({ outcome: isNew && !closed ? 'accepted' : 'repeated_key' });
  if (closed) {
    // I2 after completion: the closed run cannot be signalled, so the receipt it kept is raised from here.
    const outcome = await handle.result().catch((err: unknown) => {
      if (err instanceof WorkflowFailedError) return undefined;
      throw err;
    }) as PaymentOutcome | undefined;
    if (outcome) await raisePaymentReceipt(deps, merchantId, outcome.receipt, requestId);
    else log.warn('repeat of a payment that failed: no receipt to send', { workflowId });
  }
  return { paymentId };
}

/**
 * Whether no payment ran under this key yet (arauto_payments_total's accepted vs repeated_key). Two first requests
 * at the same instant both count as accepted; what they charge is still decided by Temporal alone.
 */
async function isFirstRequest({ client }: Deps, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return false;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return true;
    throw err;
  }
}
