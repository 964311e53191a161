// Return-file protocol polling (seed 002, P1–P5) on the time-skipping server, against the PlugBoleto emulator,
// whose clock is the test server's: poll spacing is read from the emulator's own request log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { PlugBoletoEmulator, type EmulatedReturn } from '../emulators/plugboleto';
import { centsFromBrl, isoDateFromBr, parseProtocolAnswer } from '../lib/plugboleto';
import { type ReturnProtocolPollInput } from '../workflows/contracts/returnProtocolPoll';
import { returnProtocolPoll } from '../workflows/returnProtocolPoll';
import { returnIdOf } from '../api/returnFileIds';
import {
  SEED_EXAMPLE_ANSWERS, SEED_EXAMPLE_PROTOCOL, SEED_MIXED_CEDENTES_PROTOCOL,
} from '../emulators/plugboletoSeedExamples';
import { startTimeSkippingStack, TASK_QUEUE, type TimeSkippingStack } from './support/timeSkippingEnv';
import { createAccount } from '../api/accounts';
import { merchantWorkflowId, registerCallbackUrlsUpdate } from '../workflows/contracts/merchant';
import { Receiver } from './support/receiver';
import { testConfig } from './support/testConfig';

const CEDENTE = '01001001000113';
const DIRECT = '99999999999998';
const MIN = 60_000;
let stack: TimeSkippingStack;
let emulator: PlugBoletoEmulator;

before(async () => {
  emulator = await PlugBoletoEmulator.start({
    credentials: {
      [CEDENTE]: { cnpjSh: '01001001000113', tokenSh: 'f22b97c0c9a3d41ac0a3875aba69e5aa' },
      [DIRECT]: { tokenCedente: 'f22b97c0c9a3d41ac0a3875aba69e5aa1' },
    },
    now: () => stack.env.currentTimeMs(),
  });
  stack = await startTimeSkippingStack({
    plugboleto: {
      baseUrl: emulator.url,
      credentials: {
        [CEDENTE]: { mode: 'softwareHouse', cnpjSh: '01001001000113', tokenSh: 'f22b97c0c9a3d41ac0a3875aba69e5aa' },
        [DIRECT]: { mode: 'cedente', tokenCedente: 'f22b97c0c9a3d41ac0a3875aba69e5aa1' },
        '11111111111111': { mode: 'cedente', tokenCedente: 'wrong' },
      },
    },
  });
});
after(async () => {
  await stack?.stop();
  await emulator?.stop();
});

const file = (processingMs: number, cnpjCedente = CEDENTE): EmulatedReturn => ({
  cnpjCedente, processingMs,
  titulos: [{ idIntegracao: 'HyNyGOtj-', situacao: 'PAGO' }, { idIntegracao: 'B1lBl1v5j-', situacao: 'EMITIDO' }],
  titulosNaoConciliados: [],
});
const poll = (input: ReturnProtocolPollInput & { protocolo: string }) => stack.env.client.workflow.start(returnProtocolPoll, {
  taskQueue: TASK_QUEUE, workflowId: returnIdOf(input), args: [input],
});
const failureOf = async (run: Promise<unknown>) => {
  const err = await run.then(() => assert.fail('should fail'), (e: unknown) => e);
  assert.ok(err instanceof WorkflowFailedError);
  return err.cause as any;
};

describe('polling (P3)', () => {
  test('PROCESSANDO for a minute, then PROCESSADO: polls at least 5 s apart, then the typed result', async () => {
    const protocolo = await emulator.submit(file(MIN));
    const result = await (await poll({ protocolo, cnpjCedente: CEDENTE })).result();
    assert.deepEqual(result.titulos.map((t) => t.idIntegracao), ['HyNyGOtj-', 'B1lBl1v5j-']);
    const at = emulator.pollsOf(protocolo).map((r) => r.at);
    assert.ok(at.length >= 12, `${at.length} polls over a minute of processing`);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    assert.ok(gaps.every((g) => g >= 5_000), `gaps ${gaps.join(', ')} ms`);
    assert.equal(emulator.pollsOf(protocolo)[0].headers['token-sh'], 'f22b97c0c9a3d41ac0a3875aba69e5aa');
  });

  test('a longer interval is honoured; one below 5 s is raised to 5 s', async () => {
    const slow = await emulator.submit(file(5 * MIN));
    await (await poll({ protocolo: slow, cnpjCedente: CEDENTE, pollIntervalMs: MIN })).result();
    const at = emulator.pollsOf(slow).map((r) => r.at);
    assert.ok(at.slice(1).every((t, i) => t - at[i] >= MIN));
    const fast = await emulator.submit(file(20_000));
    await (await poll({ protocolo: fast, cnpjCedente: CEDENTE, pollIntervalMs: 10 })).result();
    const fastAt = emulator.pollsOf(fast).map((r) => r.at);
    assert.ok(fastAt.slice(1).every((t, i) => t - fastAt[i] >= 5_000));
  });

  test('the cedente\'s own token (P2\'s second header mode)', async () => {
    const protocolo = await emulator.submit(file(0, DIRECT));
    await (await poll({ protocolo, cnpjCedente: DIRECT })).result();
    const [request] = emulator.pollsOf(protocolo);
    assert.equal(request.headers['token-cedente'], 'f22b97c0c9a3d41ac0a3875aba69e5aa1');
    assert.equal(request.headers['token-sh'], undefined);
  });

  test('six hours of PROCESSANDO keep the history bounded: one activity, at most 12 events', async () => {
    const protocolo = await emulator.submit(file(6 * 60 * MIN));
    const handle = await poll({ protocolo, cnpjCedente: CEDENTE, pollIntervalMs: MIN });
    await handle.result();
    assert.ok(emulator.pollsOf(protocolo).length >= 360);
    const { events } = await handle.fetchHistory();
    assert.ok(events!.length <= 12, `${events!.length} events for ${emulator.pollsOf(protocolo).length} polls`);
  });
});

describe('reconciliation (P6 → G1)', () => {
  test('each title found paid raises exactly one payment notification to the account, even when polled again', async () => {
    const receiver = await Receiver.start();
    try {
      const merchantId = 'loja-retorno';
      await createAccount({ client: stack.env.client, config: testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE }) }, merchantId);
      await stack.env.client.workflow.getHandle(merchantWorkflowId(merchantId))
        .executeUpdate(registerCallbackUrlsUpdate, { args: [{ gerencianetNotificationUrl: `${receiver.url}/pagos` }] });
      const protocolo = await emulator.submit({
        cnpjCedente: CEDENTE, processingMs: 0, titulosNaoConciliados: [],
        titulos: [
          { idIntegracao: 'pago-1', situacao: 'PAGO' }, { idIntegracao: 'aberto-1', situacao: 'EMITIDO' },
          { idIntegracao: 'pago-2', situacao: 'PAGO' },
        ],
      });
      const first = await (await poll({ protocolo, cnpjCedente: CEDENTE, merchantId })).result();
      assert.deepEqual(first.paid.map((p) => p.idIntegracao), ['pago-1', 'pago-2']);
      const posts = await receiver.waitFor('/pagos', 2);
      assert.ok(posts.every((p) => /^notification=[0-9a-f]{40}$/.test(p.body)));

      const again = await (await poll({ protocolo, cnpjCedente: CEDENTE, merchantId })).result();
      assert.deepEqual(again.paid, first.paid, 'the same deliveries: nothing raised twice');
      for (const { deliveryId } of first.paid) await stack.env.client.workflow.getHandle(deliveryId).result();
      assert.equal(receiver.requestsTo('/pagos').length, 2);
    } finally {
      await receiver.stop();
    }
  });
});

describe('titles of several cedentes (P4, P6: seed 002\'s second example)', () => {
  const merchantId = 'loja-matriz';
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
    await createAccount({ client: stack.env.client, config: testConfig({ TEMPORAL_TASK_QUEUE: TASK_QUEUE }) }, merchantId);
    await stack.env.client.workflow.getHandle(merchantWorkflowId(merchantId))
      .executeUpdate(registerCallbackUrlsUpdate, { args: [{ gerencianetNotificationUrl: `${receiver.url}/pagos` }] });
  });
  after(() => receiver?.stop());

  test('the seed\'s answer verbatim: result kept; a cedente without credentials asked with the account\'s', async () => {
    const before = emulator.requests.length;
    const result = await (await poll({ protocolo: SEED_MIXED_CEDENTES_PROTOCOL, cnpjCedente: CEDENTE, merchantId })).result();
    assert.deepEqual(result.titulos, [
      { idIntegracao: 'HyNyGOtj-', cedenteCpfCnpj: '99999999999999' },
      { idIntegracao: 'B1lBl1v5j-', cedenteCpfCnpj: '99999999999998' },
    ]);
    assert.deepEqual([result.processados, result.titulosNaoConciliados, result.statusUnavailable], [2, [], []]);
    assert.deepEqual(result.paid.map((p) => p.idIntegracao), ['HyNyGOtj-']);
    // 99999999999999 has no credentials: the submitting cedente's (software house); DIRECT (…98) has its own.
    const asked = emulator.requests.slice(before).filter((r) => r.path === '/api/v1/boletos')
      .map((r) => `${r.headers['cnpj-cedente']} ${r.headers['token-sh'] ?? r.headers['token-cedente']}`).sort();
    assert.deepEqual(asked, [`${CEDENTE} f22b97c0c9a3d41ac0a3875aba69e5aa`, `${DIRECT} f22b97c0c9a3d41ac0a3875aba69e5aa1`]);
  });

  test('a title whose status cannot be asked is marked, on its own; the others are reconciled', async () => {
    const protocolo = await emulator.submit({
      cnpjCedente: CEDENTE, processingMs: 0, titulosNaoConciliados: [],
      titulos: [
        { idIntegracao: 'matriz-paga', situacao: 'PAGO' },
        // Credentials of its own, which PlugBoleto refuses.
        { idIntegracao: 'filial-recusada', situacao: 'PAGO', cedentecpfcnpj: '11111111111111' },
        { idIntegracao: 'filial-paga', situacao: 'PAGO', cedentecpfcnpj: '99999999999999' },
      ],
    });
    const result = await (await poll({ protocolo, cnpjCedente: CEDENTE, merchantId })).result();
    assert.equal(result.titulos.length, 3);
    assert.deepEqual(result.paid.map((p) => p.idIntegracao), ['matriz-paga', 'filial-paga']);
    assert.deepEqual(result.statusUnavailable?.map((t) => [t.idIntegracao, t.failure.type]), [['filial-recusada', 'PlugBoletoError']]);
    assert.match(result.statusUnavailable![0].failure.message, /Falha na autentica/);
  });
});

describe('failures (P5)', () => {
  test('_status erro ends it at once, carrying the provider\'s message, without a single retry', async () => {
    const cause = await failureOf(poll({ protocolo: 'nao-existe', cnpjCedente: CEDENTE }).then((h) => h.result()));
    assert.equal(cause.cause.type, 'PlugBoletoError');
    assert.equal(cause.cause.message, 'Retorno não encontrado.');
    assert.equal(emulator.pollsOf('nao-existe').length, 1);
  });

  test('a 503 and a reset are retried, then it succeeds', async () => {
    const protocolo = await emulator.submit(file(0));
    emulator.failNext('503', 'reset');
    const result = await (await poll({ protocolo, cnpjCedente: CEDENTE })).result();
    assert.equal(result.processados, 2);
    assert.equal(emulator.pollsOf(protocolo).length, 3);
  });

  test('refused credentials end it at once', async () => {
    const cause = await failureOf(poll({ protocolo: 'qualquer', cnpjCedente: '11111111111111' }).then((h) => h.result()));
    assert.equal(cause.cause.type, 'PlugBoletoRefused');
  });

  test('still PROCESSANDO at the deadline: failed with a clear reason', async () => {
    const protocolo = await emulator.submit(file(2 * 60 * MIN));
    const cause = await failureOf(poll({ protocolo, cnpjCedente: CEDENTE, deadlineMs: 60 * MIN }).then((h) => h.result()));
    assert.equal(cause.type, 'ReturnProtocolDeadline');
    assert.match(cause.message, /not processed within 60 minutes/);
  });
});

describe("parsing the seed's examples verbatim (P4)", () => {
  const seedExample = SEED_EXAMPLE_ANSWERS[SEED_EXAMPLE_PROTOCOL];

  test('PROCESSADO: titles, and the unconciliated one in cents and ISO dates', () => {
    assert.deepEqual(parseProtocolAnswer(seedExample), {
      situacao: 'PROCESSADO',
      result: {
        processados: 2,
        titulos: [{ idIntegracao: 'HyNyGOtj-' }, { idIntegracao: 'B1lBl1v5j-' }],
        titulosNaoConciliados: [{
          ocorrencias: ['Movimento: Liquidação normal'], codigosOcorrencias: [], codigoMovimento: '06',
          nossoNumero: '03300000780', nossoNumeroOriginal: '78', numeroDocumento: '1020', vencimento: '2017-10-02',
          pagamento: {
            realizado: true, data: '2017-09-20', dataCredito: '2017-09-20', valorPagoCents: 42781, valorCreditoCents: 0,
            valorTaxaCobrancaCents: 0, valorAcrescimosCents: 0, valorOutrosCreditosCents: 0,
          },
        }],
      },
    });
  });

  test('several cedentes in one file: cedentecpfcnpj kept per title', () => {
    const answer = parseProtocolAnswer(SEED_EXAMPLE_ANSWERS[SEED_MIXED_CEDENTES_PROTOCOL]);
    assert.deepEqual(answer.situacao === 'PROCESSADO' && answer.result.titulos, [
      { idIntegracao: 'HyNyGOtj-', cedenteCpfCnpj: '99999999999999' },
      { idIntegracao: 'B1lBl1v5j-', cedenteCpfCnpj: '99999999999998' },
    ]);
  });

  test('erro and PROCESSANDO', () => {
    assert.deepEqual(parseProtocolAnswer({ _status: 'erro', _mensagem: 'Retorno não encontrado.' }),
      { situacao: 'ERRO', mensagem: 'Retorno não encontrado.' });
    assert.deepEqual(parseProtocolAnswer({
      _status: 'sucesso', _mensagem: 'Solicitação pendente de processamento', _dados: { situacao: 'PROCESSANDO' },
    }), { situacao: 'PROCESSANDO', mensagem: 'Solicitação pendente de processamento' });
  });

  test('Brazilian money and dates', () => {
    assert.equal(centsFromBrl('427,81'), 42781);
    assert.equal(centsFromBrl('1.234.567,09'), 123456709);
    assert.equal(centsFromBrl('0,00'), 0);
    for (const bad of ['427.81', '427,8', '', '1,234,56']) assert.throws(() => centsFromBrl(bad), /not a Brazilian amount/);
    assert.equal(isoDateFromBr('20/09/2017'), '2017-09-20');
    assert.equal(isoDateFromBr(''), null);
    assert.throws(() => isoDateFromBr('31/02/2017'), /not a dd\/mm\/yyyy date/);
  });
});
