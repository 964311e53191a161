// Return files through the REST API on the dev server, against the PlugBoleto emulator (seed 002, P1–P6): upload,
// poll, typed result, a paid title notified; duplicates, provider errors and bad input.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';
import { EncryptionCodec } from '../lib/payloadCodec';

const CEDENTE = '01001001000113';
const path = '/v1/merchants/loja-retornos/return-files';
let emulator: PlugBoletoEmulator;
let receiver: Receiver;
let stack: DevStack;
let shop: Account;

const settled = (returnId: string) => eventually(
  async () => (await shop.call('GET', `${path}/${returnId}`)).body,
  (view) => view.status === 'done' || view.status === 'failed',
);

before(async () => {
  emulator = await PlugBoletoEmulator.start({ credentials: { [CEDENTE]: { tokenCedente: 'token-do-cedente' } }, msPerByte: 0 });
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({
    TEMPORAL_TASK_QUEUE: 'arauto-return-files-test',
    PLUGBOLETO_BASE_URL: emulator.url,
    PLUGBOLETO_CREDENTIALS: JSON.stringify({ [CEDENTE]: { mode: 'cedente', tokenCedente: 'token-do-cedente' } }),
  }));
  shop = await stack.as('loja-retornos');
  await shop.call('PUT', '/v1/merchants/loja-retornos/callback-urls', { gerencianetNotificationUrl: `${receiver.url}/n` });
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await emulator?.stop();
});

test('a return file is uploaded, polled and reconciled; its paid title reaches the merchant once', async () => {
  const arquivo = Buffer.from('T;titulo-pago;PAGO\nT;titulo-aberto;EMITIDO\n').toString('base64');
  const submitted = await shop.call('POST', path, { cnpjCedente: CEDENTE, arquivo });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const again = await shop.call('POST', path, { cnpjCedente: CEDENTE, arquivo });
  assert.deepEqual([again.status, again.body], [200, { returnId: submitted.body.returnId, duplicate: true }]);

  const view = await settled(submitted.body.returnId);
  assert.equal(view.status, "done", JSON.stringify(view));
  assert.equal(view.result.processados, 2);
  assert.deepEqual(view.result.paid.map((p: any) => p.idIntegracao), ['titulo-pago']);
  assert.match(view.protocolo, /^[0-9a-f-]{36}$/);
  const [post] = await receiver.waitFor('/n', 1);
  assert.match(post.body, /^notification=[0-9a-f]{40}$/);
  assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 1, 'uploaded once');
  assert.equal(emulator.requests[0].headers['token-cedente'], 'token-do-cedente');
  // P2 credentials are resolved by the activity: the history never holds them, not even encrypted.
  const { history } = await stack.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default', execution: { workflowId: submitted.body.returnId },
  });
  const bytes = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
  assert.equal(bytes.indexOf('token-do-cedente'), -1);
  const codec = EncryptionCodec.fromSpec(TEST_ENV.PAYLOAD_ENCRYPTION_KEYS);
  const input = history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
  const [clear] = await codec.decode(input as never);
  assert.ok(!Buffer.from(clear.data!).includes('token-do-cedente'), 'not in the decrypted input either');
  assert.ok(Buffer.from(clear.data!).includes(CEDENTE), 'the input names the cedente, whose credentials the activity finds');
});

test('a protocol PlugBoleto does not know fails with its message (P5); the list shows both', async () => {
  const submitted = await shop.call('POST', path, { cnpjCedente: CEDENTE, protocolo: 'nao-existe' });
  assert.equal(submitted.status, 202);
  const view = await settled(submitted.body.returnId);
  assert.deepEqual([view.status, view.failure], ['failed', { type: 'PlugBoletoError', message: 'Retorno não encontrado.' }]);
  const list = await shop.call('GET', path);
  assert.equal(list.body.length, 2);
});

test('bad input: 400 naming the field; nothing started', async () => {
  const cases: [unknown, string][] = [
    [{ cnpjCedente: CEDENTE, protocolo: 'p', arquivo: 'eA==' }, 'body'],
    [{ cnpjCedente: CEDENTE }, 'body'],
    [{ cnpjCedente: '123', protocolo: 'p' }, 'body.cnpjCedente'],
    [{ cnpjCedente: CEDENTE, protocolo: 'p', pollIntervalSeconds: 2 }, 'body.pollIntervalSeconds'],
    [{ cnpjCedente: CEDENTE, arquivo: 'não é base64' }, 'body.arquivo'],
  ];
  for (const [body, field] of cases) {
    const res = await shop.call('POST', path, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.ok(res.body.fields.some((f: any) => f.field === field), `${JSON.stringify(res.body.fields)} names ${field}`);
  }
  assert.equal((await shop.call('GET', path)).body.length, 2);
  assert.equal((await shop.call('GET', `${path}/return-protocol.${CEDENTE}.nunca`)).status, 404);
});
