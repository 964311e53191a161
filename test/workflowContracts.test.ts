// Issue 17: the API and the services start workflows by the type names their contracts (workflows/contracts/) give,
// without importing the workflows; each name must be an export of workflows/index.ts, which the worker registers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as workflows from '../workflows';
import { DEBT_QUERY_WORKFLOW } from '../workflows/contracts/debtQuery';
import { DELIVER_CALLBACK_WORKFLOW } from '../workflows/contracts/deliverCallback';
import { IDEMPOTENT_PAYMENT_WORKFLOW } from '../workflows/contracts/idempotentPayment';
import { MERCHANT_WORKFLOW } from '../workflows/contracts/merchant';
import { PORTAL_SESSION_WORKFLOW } from '../workflows/contracts/portalSession';
import { RETURN_PROTOCOL_POLL_WORKFLOW } from '../workflows/contracts/returnProtocolPoll';

test('every contract names a workflow the worker registers', () => {
  const names = [
    DEBT_QUERY_WORKFLOW, DELIVER_CALLBACK_WORKFLOW, IDEMPOTENT_PAYMENT_WORKFLOW, MERCHANT_WORKFLOW, PORTAL_SESSION_WORKFLOW,
    RETURN_PROTOCOL_POLL_WORKFLOW,
  ];
  for (const name of names) assert.equal(typeof (workflows as Record<string, unknown>)[name], 'function', name);
  assert.equal(names.length, Object.keys(workflows).length, 'every registered workflow has a contract');
});
