// Return files through the REST API on the dev server, against the PlugBoleto emulator (seed 002, P1–P6): upload,
// poll, typed result, a paid title notified; duplicates, provider errors and bad input; the seed's examples; no
// CNPJ in clear in workflow ids nor anywhere in the server's SQLite file; ids of the former format still read.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { SEED_EXAMPLE_PROTOCOL, SEED_MIXED_CEDENTES_PROTOCOL } from '../emulators/plugboletoSeedExamples';
import { legacyReturnIdOf } from '../api/returnFileIds';
import { returnProtocolPoll } from '../workflows/returnProtocolPoll';
import { MERCHANT, PROTOCOL } from '../workflows/searchAttributes';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';
import { EncryptionCodec } from '../lib/payloadCodec';

const CEDENTE = '01001001000113';
/** Cedentes the tests name only under the former id format. */
const LEGACY_CEDENTE = '11222333000181';
const path = '/v1/merchants/loja-retornos/return-files';
const dataDir = mkdtempSync(join(tmpdir(), 'arauto-return-files-'));
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
  }), { dbFile: join(dataDir, 'temporal.db') });
  shop = await stack.as('loja-retornos');
  await shop.call('PUT', '/v1/merchants/loja-retornos/callback-urls', { gerencianetNotificationUrl: `${receiver.url}/n` });
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a return file is uploaded, polled and reconciled; its paid title reaches the merchant once', async () => {
  const arquivo = Buffer.from('T;titulo-pago;PAGO\nT;titulo-aberto;EMITIDO\n').toString('base64');
  const submitted = await shop.call('POST', path, { cnpjCedente: CEDENTE, arquivo });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  assert.match(submitted.body.returnId, /^return-file\.[0-9a-f]{40}$/, 'the CNPJ enters the id as a digest only');
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
  assert.equal(view.protocolo, 'nao-existe', 'a failed return keeps its protocolo');
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

test("seed 002's examples, verbatim from the emulator (P4): titles of matriz and filial reconciled on one account", async () => {
  const matriz = await stack.as('loja-matriz');
  await matriz.call('PUT', '/v1/merchants/loja-matriz/callback-urls', { gerencianetNotificationUrl: `${receiver.url}/matriz` });
  const read = async (protocolo: string) => {
    const submitted = await matriz.call('POST', '/v1/merchants/loja-matriz/return-files', { cnpjCedente: CEDENTE, protocolo });
    assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
    return eventually(
      async () => (await matriz.call('GET', `/v1/merchants/loja-matriz/return-files/${submitted.body.returnId}`)).body,
      (view) => view.status === 'done' || view.status === 'failed',
    );
  };
  const first = await read(SEED_EXAMPLE_PROTOCOL);
  assert.equal(first.status, 'done', JSON.stringify(first));
  assert.equal(first.result.titulosNaoConciliados[0].pagamento.valorPagoCents, 42781);
  const mixed = await read(SEED_MIXED_CEDENTES_PROTOCOL);
  assert.equal(mixed.status, 'done', JSON.stringify(mixed));
  assert.deepEqual(mixed.result.titulos, [
    { idIntegracao: 'HyNyGOtj-', cedenteCpfCnpj: '99999999999999' },
    { idIntegracao: 'B1lBl1v5j-', cedenteCpfCnpj: '99999999999998' },
  ]);
  assert.deepEqual([mixed.result.titulosNaoConciliados, mixed.result.statusUnavailable], [[], []]);
  assert.deepEqual(mixed.result.paid.map((p: any) => p.idIntegracao), ['HyNyGOtj-']);
});

test('a return started under the former id (CNPJ in clear) still answers its GET and a repeated submission', async () => {
  const submission = { cnpjCedente: LEGACY_CEDENTE, protocolo: 'protocolo-antigo' };
  const legacyId = legacyReturnIdOf(submission);
  // As the API started it before: no credentials for this cedente, so it fails at once, keeping its protocolo.
  await stack.client.workflow.start(returnProtocolPoll, {
    taskQueue: 'arauto-return-files-test', workflowId: legacyId,
    typedSearchAttributes: [{ key: MERCHANT, value: 'loja-retornos' }, { key: PROTOCOL, value: submission.protocolo }],
    args: [{ merchantId: 'loja-retornos', ...submission }],
  });
  const view = await settled(legacyId);
  assert.deepEqual([view.returnId, view.status, view.protocolo], [legacyId, 'failed', 'protocolo-antigo']);
  const again = await shop.call('POST', path, submission);
  assert.deepEqual([again.status, again.body], [200, { returnId: legacyId, duplicate: true }]);
});

test("no CNPJ in clear in any workflow id, nor anywhere in the dev server's SQLite file", async () => {
  const matriz = await stack.as('loja-cnpj');
  const mixed = await emulator.submit({
    cnpjCedente: CEDENTE, processingMs: 0, titulosNaoConciliados: [],
    titulos: [{ idIntegracao: 'filial-cnpj', situacao: 'EMITIDO', cedentecpfcnpj: '99999999999999' }],
  });
  const submitted = [
    await matriz.call('POST', '/v1/merchants/loja-cnpj/return-files', {
      cnpjCedente: CEDENTE, arquivo: Buffer.from('T;titulo-cnpj;EMITIDO\n').toString('base64'),
    }),
    await matriz.call('POST', '/v1/merchants/loja-cnpj/return-files', { cnpjCedente: CEDENTE, protocolo: mixed }),
    await matriz.call('POST', '/v1/merchants/loja-cnpj/return-files', { cnpjCedente: CEDENTE, protocolo: 'desconhecido' }),
  ];
  for (const { status, body } of submitted) {
    assert.equal(status, 202, JSON.stringify(body));
    await eventually(
      async () => (await matriz.call('GET', `/v1/merchants/loja-cnpj/return-files/${body.returnId}`)).body,
      (view) => view.status === 'done' || view.status === 'failed',
    );
  }
  const cnpjs = [CEDENTE, '99999999999999'];
  for await (const info of stack.client.workflow.list({ query: `ArautoMerchant = 'loja-cnpj'` })) {
    for (const cnpj of cnpjs) assert.ok(!info.workflowId.includes(cnpj), `${info.workflowId} carries ${cnpj}`);
  }
  // Payloads (inputs, results, summaries, failures) are encrypted: the raw file should hold none of them in clear.
  const files = readdirSync(dataDir).filter((f) => f.startsWith('temporal.db'));
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(dataDir, f))));
  assert.ok(bytes.includes('returnProtocolPoll'), `the SQLite file (${files.join(', ')}) holds the runs`);
  for (const cnpj of cnpjs) assert.equal(bytes.indexOf(cnpj), -1, `${cnpj} in clear in the SQLite file`);
});
