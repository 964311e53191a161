// I3 on the dev server, against the payment provider's emulator: a debt query runs once per clientRequestId of an
// account; the same key again answers error 822 exactly as seed 003 shows; another account may use the same key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CelcoinEmulator } from '../emulators/celcoin';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { testConfig } from './support/testConfig';

let emulator: CelcoinEmulator;
let stack: DevStack;
let a: Account;
let b: Account;
const vehicle = { licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF' };
const query = (account: Account, clientRequestId: string, body: object = vehicle) =>
  account.call('POST', `/v1/merchants/${account.merchantId}/debt-queries`, { clientRequestId, ...body });

before(async () => {
  emulator = await CelcoinEmulator.start();
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-debt-test', PAYMENTS_BASE_URL: emulator.url }));
  a = await stack.as('conta-debitos-a');
  b = await stack.as('conta-debitos-b');
});
after(async () => {
  await stack?.stop();
  await emulator?.stop();
});

test('a new key runs the query; the same key again answers 822 as the seed shows, without reaching the provider', async () => {
  const first = await query(a, '14-04-2023-teste-consulta');
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.errorCode, '000');
  assert.equal(first.body.debts[0].amount, 1009.36);
  const again = await query(a, '14-04-2023-teste-consulta');
  assert.equal(again.status, 409);
  assert.deepEqual(again.body, {
    transactionId: 0,
    message: 'Consulta de débitos já realizada com clientRequestId: 14-04-2023-teste-consulta',
    errorCode: '822',
  });
  assert.equal(emulator.debtQueries.size, 1, 'the provider was asked once');
});

test('the same key is free for another account; concurrent repeats run it once', async () => {
  assert.equal((await query(b, '14-04-2023-teste-consulta')).status, 200);
  const answers = await Promise.all(Array.from({ length: 10 }, () => query(a, 'concorrente')));
  assert.deepEqual(answers.map((r) => r.status).sort(), [200, ...Array(9).fill(409)]);
  assert.equal(emulator.debtQueries.size, 3);
});

test('bad input: 400 naming the field, nothing queried', async () => {
  const res = await query(a, 'k-invalida', { licensePlate: 'x', renavam: '1', state: 'Distrito' });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.fields.map((f: any) => f.field).sort(), ['body.licensePlate', 'body.renavam', 'body.state']);
  assert.equal(emulator.debtQueries.size, 3);
});
