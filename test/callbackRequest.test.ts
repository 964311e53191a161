// URL building and callback parameters, per provider (G1, C5, C6, C7).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendQuery } from '../providers/controlpay';
import { buildCallbackRequest } from '../providers/registry';

const sale = {
  type: 'sale-intent-finalized', cpfCnpj: '12345678901', intencaoVendaId: '10', intencaoVendaReferencia: 'ref 1&2',
  pedidoId: null, pedidoReferencia: null, outcome: 'denied', occurredAt: '2026-01-01T00:00:00Z',
} as const;

test('C5: parameters follow "?" when the registered URL has no query', () => {
  assert.equal(appendQuery('https://loja.com.br/cb', [['a', '1'], ['b', '2']]), 'https://loja.com.br/cb?a=1&b=2');
});

test('C5: parameters follow "&" when the registered URL already has "?"', () => {
  assert.equal(appendQuery('https://loja.com.br/cb?token=x', [['a', '1']]), 'https://loja.com.br/cb?token=x&a=1');
  assert.equal(appendQuery('https://loja.com.br/cb?', [['a', '1']]), 'https://loja.com.br/cb?a=1');
  assert.equal(appendQuery('https://loja.com.br/cb?x=1&', [['a', '1']]), 'https://loja.com.br/cb?x=1&a=1');
});

test('C6: sale intent: five parameters in order, blank order fields without an order, values encoded', () => {
  const request = buildCallbackRequest('https://loja.com.br/venda', sale);
  assert.equal(
    request.url,
    'https://loja.com.br/venda?cpfCnpj=12345678901&intencaoVendaId=10&intencaoVendaReferencia=ref%201%262&pedidoId=&pedidoReferencia=',
  );
  assert.equal(request.contentType, 'application/json');
  assert.equal(request.body, '');
  // No outcome in the callback: the receiver must query it (C2).
  assert.ok(!request.url.includes('denied'));
});

test('C6: sale intent with an order carries its ids', () => {
  const request = buildCallbackRequest('https://loja.com.br/venda?k=1', { ...sale, pedidoId: '55', pedidoReferencia: 'P-55' });
  assert.ok(request.url.startsWith('https://loja.com.br/venda?k=1&cpfCnpj='));
  assert.ok(request.url.endsWith('&pedidoId=55&pedidoReferencia=P-55'));
});

test('C7: print intent: id, reference and numeric status', () => {
  const request = buildCallbackRequest('http://pdv.local/impressao', {
    type: 'print-intent-status-changed', intencaoImpressaoId: '31', intencaoImpressaoReferencia: 'imp-1', status: 15,
    occurredAt: '2026-01-01T00:00:00Z',
  });
  assert.equal(
    request.url,
    'http://pdv.local/impressao?intencaoImpressaoId=31&intencaoImpressaoReferencia=imp-1&intencaoImpressaoStatus=15',
  );
  assert.equal(request.contentType, 'application/json');
  assert.equal(request.body, '');
});

test('G1: gerencianet posts form-encoded notification=<token> to the URL as registered', () => {
  const request = buildCallbackRequest('https://loja.com.br/notificacao?a=1', {
    type: 'charge-status-changed', token: 'abc123', chargeId: '1', customId: null, previousStatus: null,
    currentStatus: 'paid', occurredAt: '2026-01-01T00:00:00Z',
  });
  assert.deepEqual(request, {
    url: 'https://loja.com.br/notificacao?a=1',
    contentType: 'application/x-www-form-urlencoded',
    body: 'notification=abc123',
  });
});

test('I1: a payment receipt posts the seed\'s JSON (type, paymentId, receipt) to the URL as registered', () => {
  // The seed's own example, verbatim.
  const receipt = {
    licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF', description: 'Licenciamento 2022',
    debtId: '312D6A5F-2B5A-4694-84DA-F640FC01CC74', amount: 1009.36,
    authentication: 'F2.2D.2C.32.74.24.11.59.81.C1.FD.C2.91.A3.BF.93', dueDate: '2022-12-28T00:00:00',
    clientRequestId: '29d648b8-594f-436c-ba53-a543fdaf9467', year: 2022, payDate: '2022-12-28T00:00:00',
  };
  const request = buildCallbackRequest('https://loja.com.br/recibos?x=1', {
    type: 'receipt', paymentId: '29C32257-2DDB-41B0-9BB0-4CB64783443F', receipt, occurredAt: '2026-01-01T00:00:00Z',
  });
  assert.equal(request.url, 'https://loja.com.br/recibos?x=1');
  assert.equal(request.contentType, 'application/json');
  assert.deepEqual(JSON.parse(request.body), { type: 'receipt', paymentId: '29C32257-2DDB-41B0-9BB0-4CB64783443F', receipt });
});
