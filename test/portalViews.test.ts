// The portal's read-only pages (issue 18) on the dev server, against the payment and PlugBoleto emulators and a real
// receiver: a payment made through the API shows its status and receipt delivery (I1, I2); a return file shows its
// state, and its page the typed result (P4) with each title's boleto status (P6); another account sees none of it.
// Visibility is eventually consistent: pages are read again until they show what the engine already finished.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CelcoinEmulator } from '../emulators/celcoin';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { SEED_UNRECONCILED_TITLE } from '../emulators/plugboletoSeedExamples';
import { paymentWorkflowId, type PaymentOutcome } from '../workflows/contracts/idempotentPayment';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { PortalClient } from './support/portalClient';
import { Receiver } from './support/receiver';
import { testConfig } from './support/testConfig';

const CEDENTE = '01001001000113';
/** A cedente with credentials of its own, which the emulator refuses: its titles' status is unavailable (P6). */
const REFUSED_CEDENTE = '11111111111111';
let celcoin: CelcoinEmulator;
let plugboleto: PlugBoletoEmulator;
let receiver: Receiver;
let stack: DevStack;
let shop: Account;
let portal: PortalClient;
let stranger: PortalClient;

before(async () => {
  celcoin = await CelcoinEmulator.start(0, { processingMs: 50 });
  plugboleto = await PlugBoletoEmulator.start({ credentials: { [CEDENTE]: { tokenCedente: 'token-do-cedente' } }, msPerByte: 0 });
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({
    TEMPORAL_TASK_QUEUE: 'arauto-portal-views-test',
    PAYMENTS_BASE_URL: celcoin.url,
    PLUGBOLETO_BASE_URL: plugboleto.url,
    PLUGBOLETO_CREDENTIALS: JSON.stringify({
      [CEDENTE]: { mode: 'cedente', tokenCedente: 'token-do-cedente' },
      [REFUSED_CEDENTE]: { mode: 'cedente', tokenCedente: 'recusado' },
    }),
  }));
  shop = await stack.as('portal-vistas-loja');
  const put = await shop.call('PUT', `/v1/merchants/${shop.merchantId}/callback-urls`, {
    paymentWebhookUrl: `${receiver.url}/recibos`, gerencianetNotificationUrl: `${receiver.url}/n`,
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  portal = await PortalClient.signIn(stack, shop);
  stranger = await PortalClient.signIn(stack, await stack.as('portal-vistas-outra'));
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await plugboleto?.stop();
  await celcoin?.stop();
});

/** The page, read again until `holds` accepts its HTML (visibility catches up with the engine). */
const pageUntil = (client: PortalClient, path: string, holds: (html: string) => boolean) =>
  eventually(() => client.get(path), (page) => page.status === 200 && holds(page.html));

test('I1, I2: Pagamentos shows a payment made through the API, paid, with its receipt delivery sent; another account does not see it', async () => {
  const empty = await stranger.get('/portal/pagamentos');
  assert.equal(empty.status, 200);
  assert.match(empty.html, /role="status">Esta conta ainda não tem pagamentos\./);

  const paid = await shop.call('POST', `/v1/merchants/${shop.merchantId}/payments`, {
    clientRequestId: 'pedido-portal-1', debtId: '312D6A5F-2B5A-4694-84DA-F640FC01CC74', amount: 1009.36,
    licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF',
  });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  const { paymentId } = paid.body;
  const outcome: PaymentOutcome = await stack.client.workflow.getHandle(paymentWorkflowId(shop.merchantId, 'pedido-portal-1')).result();
  const [deliveryId] = outcome.receiptDeliveries;
  await receiver.waitFor('/recibos', 1);

  const page = await pageUntil(portal, '/portal/pagamentos', (html) => html.includes(`href="/portal/entregas/${deliveryId}">Enviado: sim</a>`));
  const row = rowOf(page.html, paymentId);
  assert.match(row, /clientRequestId: pedido-portal-1/);
  assert.match(row, /<td>pago<\/td>/);
  assert.match(row, /R\$\s1\.009,36/);
  assert.match(page.html, /<caption>[^<]+<\/caption>/);
  assert.match(page.html, /<th scope="col">Situação<\/th>/);
  assert.match(page.html, /<div class="table-wrap" role="region" aria-label="[^"]+" tabindex="0">/, 'a phone scrolls the table, by keyboard too');

  for (const token of ['nada', `${'A'.repeat(20)}.${'B'.repeat(16)}`]) {
    const refused = await portal.get(`/portal/pagamentos?pagina=${token}`);
    assert.equal(refused.status, 400, 'a page token not of this listing');
    assert.match(refused.html, /recomece da primeira página/);
  }

  const other = await stranger.get('/portal/pagamentos');
  assert.equal(other.status, 200);
  assert.ok(!other.html.includes(paymentId), "another account's list does not name the payment");
  assert.ok(!other.html.includes(deliveryId), 'nor its receipt');
});

test('I1: Pagamentos pages the payments 20 at a time; the next page holds the rest, none twice', async () => {
  const many = await stack.as('portal-vistas-muitos');
  await many.call('PUT', `/v1/merchants/${many.merchantId}/callback-urls`, { paymentWebhookUrl: `${receiver.url}/muitos` });
  const keys = Array.from({ length: 21 }, (_, i) => `pedido-${i}`);
  const answers = await Promise.all(keys.map((clientRequestId) => many.call('POST', `/v1/merchants/${many.merchantId}/payments`, {
    clientRequestId, debtId: 'D-1', amount: 10, licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF',
  })));
  assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
  await Promise.all(keys.map((key) => stack.client.workflow.getHandle(paymentWorkflowId(many.merchantId, key)).result()));
  const client = await PortalClient.signIn(stack, many);
  const bothPages = async () => {
    const first = await client.get('/portal/pagamentos');
    const next = /href="(\/portal\/pagamentos\?pagina=[^"]+)"/.exec(first.html)?.[1];
    const second = next ? await client.get(next.replaceAll('&amp;', '&')) : undefined;
    return { first: paymentIdsIn(first.html), second: second ? paymentIdsIn(second.html) : [] };
  };
  // Until visibility has recorded every run closed (a run closing between two reads moves in the order).
  const pages = await eventually(bothPages, ({ first, second }) => first.length === 20 && new Set([...first, ...second]).size === 21);
  assert.equal(pages.second.length, 1, 'every payment once');
  assert.deepEqual(new Set([...pages.first, ...pages.second]), new Set(answers.map((a) => a.body.paymentId)));
});

test('P4, P6: Arquivos de retorno lists a return file with its state and protocol; its page shows the typed result; another account gets a 404', async () => {
  const protocolo = await plugboleto.submit({
    cnpjCedente: CEDENTE, processingMs: 0,
    titulos: [
      { idIntegracao: 'titulo-pago', situacao: 'PAGO' },
      { idIntegracao: 'titulo-aberto', situacao: 'EMITIDO' },
      { idIntegracao: 'titulo-recusado', situacao: 'PAGO', cedentecpfcnpj: REFUSED_CEDENTE },
    ],
    titulosNaoConciliados: [SEED_UNRECONCILED_TITLE],
  });
  const submitted = await shop.call('POST', `/v1/merchants/${shop.merchantId}/return-files`, { cnpjCedente: CEDENTE, protocolo });
  assert.equal(submitted.status, 202, JSON.stringify(submitted.body));
  const { returnId } = submitted.body;
  const detailPath = `/portal/arquivos-de-retorno/${returnId}`;
  const detail = await pageUntil(portal, detailPath, (html) => html.includes('Títulos conciliados'));
  const paid = (await stack.client.workflow.getHandle(returnId).result()).paid as { idIntegracao: string; deliveryId: string }[];
  assert.deepEqual(paid.map((p) => p.idIntegracao), ['titulo-pago']);
  assert.match(detail.html, /<dd>processado<\/dd>/);
  assert.ok(detail.html.includes(`<dd>${protocolo}</dd>`));
  assert.match(rowOf(detail.html, 'titulo-pago'), new RegExp(`href="/portal/entregas/${paid[0].deliveryId}">pago: notificação enviada`));
  assert.match(rowOf(detail.html, 'titulo-aberto'), /<td>não pago<\/td>/);
  assert.match(rowOf(detail.html, 'titulo-recusado'), /situação indisponível: Falha na autenticação/);
  const unreconciled = rowOf(detail.html, '03300000780');
  assert.match(unreconciled, /<td>1020<\/td><td>02\/10\/2017<\/td><td>sim<\/td><td>20\/09\/2017<\/td><td>R\$\s427,81<\/td>/);
  assert.match(unreconciled, /Movimento: Liquidação normal/);

  const list = await pageUntil(portal, '/portal/arquivos-de-retorno', (html) => html.includes(returnId) && rowOf(html, returnId).includes('<td>processado</td>'));
  const row = rowOf(list.html, returnId);
  assert.ok(row.includes(`href="${detailPath}">${protocolo}</a>`), 'the row names its protocol and opens the return file');

  const other = await stranger.get('/portal/arquivos-de-retorno');
  assert.equal(other.status, 200);
  assert.ok(!other.html.includes(returnId), "another account's list does not name it");
  assert.match(other.html, /role="status">Esta conta ainda não enviou arquivos de retorno\./);
  for (const path of [detailPath, '/portal/arquivos-de-retorno/return-protocol.0123456789012345678901234567890123456789', '/portal/arquivos-de-retorno/nada']) {
    const refused = await stranger.get(path);
    assert.equal(refused.status, 404, path);
    assert.match(refused.html, /role="status">Esta página não existe\./, 'the plain 404, as for any unknown page');
    assert.ok(!mainOf(refused.html).includes(returnId), 'telling nothing of it');
  }
});

/** The paymentIds a Pagamentos page lists. */
const paymentIdsIn = (html: string) => [...html.matchAll(/<strong>([0-9A-F-]{36})<\/strong>/g)].map((m) => m[1]);

/** The table row (or the definition) naming `text`: from the `<tr` before it to the `</tr>` after. */
function rowOf(html: string, text: string): string {
  const at = html.indexOf(text);
  assert.ok(at >= 0, `${text} is not on the page`);
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at));
}

/** The page's own content (the layout's language link carries the page's path). */
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
