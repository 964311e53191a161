// An account lives as long as the merchant, so its entity workflow continues as new when its history grows. The
// API keeps working across that: its URLs, endpoint states and credentials carry over, and the next change
// reaches the new run. (Found while recording histories for D6: the API's handle was bound to the first run,
// and every change after the first continue-as-new answered 503.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { merchantWorkflowId } from '../workflows/contracts/merchant';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { testConfig } from './support/testConfig';

let stack: DevStack;
let shop: Account;

before(async () => {
  // The server suggests continue-as-new after 40 events instead of thousands: a few changes reach it.
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-merchant-can-test' }),
    { dynamicConfig: ['limit.historyCount.suggestContinueAsNew=40'] });
  shop = await stack.as('loja-longeva');
});
after(() => stack?.stop());

test('changes keep working after the account workflow continued as new; URLs and credentials carry over', async () => {
  const put = (i: number) => shop.call('PUT', '/v1/merchants/loja-longeva/callback-urls',
    { controlpaySaleUrl: `https://loja.example/venda-${i}` });
  const runOf = async () => (await stack.client.workflow.getHandle(merchantWorkflowId('loja-longeva')).describe()).runId;
  const firstRun = await runOf();
  let i = 0;
  // Each change is an update (a few events); continue-as-new comes within ~10 (an observable event, not a count).
  while ((await runOf()) === firstRun) {
    assert.ok(++i <= 30, 'no continue-as-new after 30 changes');
    const res = await put(i);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const next = await put(i + 1);
  assert.equal(next.status, 200, JSON.stringify(next.body));
  assert.equal(next.body.controlpaySaleUrl, `https://loja.example/venda-${i + 1}`);
  const endpoints = await shop.call('GET', '/v1/merchants/loja-longeva/endpoints');
  assert.equal(endpoints.status, 200, 'the API key still authenticates (credentials carried over)');
  assert.equal(endpoints.body.endpoints.controlpaySaleUrl.url, `https://loja.example/venda-${i + 1}`);
});
