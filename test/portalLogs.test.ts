// The portal's Logs and "Reenviar callback" (G7, G8; issue 18), page by page over HTTP, on the dev server (visibility
// and batch operations) with a real receiver. Every wait is for an observable event or state, never a sleep.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { testConfig } from './support/testConfig';
import { paidCharges, startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { PortalClient, type PortalPage } from './support/portalClient';
import { Receiver } from './support/receiver';

const merchant = 'loja-portal-logs';
const endpoint = 'gerencianetNotificationUrl';
const logs = `/portal/integracoes/${endpoint}/logs`;
const resends = `/portal/integracoes/${endpoint}/reenvios`;
const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';

let stack: DevStack;
let shop: Account;
let receiver: Receiver;
let portal: PortalClient;
let hostile: http.Server;
/** chargeId → its notification's token (what the receiver gets) and deliveryId. */
const tokens = new Map<string, string>();
const deliveries = new Map<string, string>();
const delivered = ['s1', 's2', ...Array.from({ length: 50 }, (_, i) => String(i))];
let resendId = '';

async function chargePaid(account: Account, chargeId: string, previousStatus?: string): Promise<void> {
  const { status, body } = await account.call('POST', `/v1/merchants/${account.merchantId}/charges/${chargeId}/status-changes`, {
    currentStatus: 'paid', ...(previousStatus ? { previousStatus } : {}),
  });
  assert.equal(status, 202, JSON.stringify(body));
  tokens.set(chargeId, body.token);
  deliveries.set(chargeId, body.deliveryId);
}

/** POSTs the receiver got for a charge's notification. */
const posts = (chargeId: string) => receiver.requests.filter((r) => r.body === `notification=${tokens.get(chargeId)}`).length;

/** The API's log (the test's source of truth for what visibility holds). */
async function apiLog(filter: Record<string, string>) {
  const { status, body } = await shop.call('GET', `/v1/merchants/${merchant}/endpoints/${endpoint}/notifications?${new URLSearchParams({ pageSize: '200', ...filter })}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.notifications as { chargeId: string; deliveryId: string; notifiedAt: string; sent: boolean; attempts: number }[];
}

const unescape = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&lt;', '<');

interface Row { deliveryId: string; label: string; cells: string[] }

/** The Logs table's rows: the checkbox (value, label) and each cell's text. */
function rowsOf(html: string): Row[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, tr]) => ({
    deliveryId: /name="entrega" value="([^"]+)"/.exec(tr)![1],
    label: /aria-label="([^"]+)"/.exec(tr)![1],
    cells: [...tr.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, td]) => unescape(td.replace(/<[^>]+>/g, ''))),
  }));
}
const chargesOf = (rows: Row[]) => rows.map((r) => r.cells[1]).sort();

async function logsPage(query: Record<string, string>): Promise<{ rows: Row[]; next: string | null; html: string }> {
  const page = await portal.get(`${logs}?${new URLSearchParams(query)}`);
  assert.equal(page.status, 200, page.html);
  const next = /<a href="([^"]+)" rel="next">Próxima página<\/a>/.exec(page.html)?.[1];
  return { rows: rowsOf(page.html), next: next ? unescape(next) : null, html: page.html };
}

/** Every row of a listing, following "Próxima página". */
async function allRows(query: Record<string, string>): Promise<Row[]> {
  let page = await logsPage(query);
  const rows = [...page.rows];
  while (page.next) {
    const next = await portal.get(page.next);
    page = { rows: rowsOf(next.html), next: /<a href="([^"]+)" rel="next">/.exec(next.html)?.[1]?.replaceAll('&amp;', '&') ?? null, html: next.html };
    rows.push(...page.rows);
  }
  return rows;
}

/** The fields a form of the page would submit (hidden inputs), as a browser would send them. */
function formFields(html: string, action: string): Record<string, string[]> {
  const form = new RegExp(`<form method="post" action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(form, `no form posting to ${action}`);
  const fields: Record<string, string[]> = {};
  for (const [, name, value] of form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    (fields[name] ??= []).push(unescape(value));
  }
  return fields;
}

/** Brasília wall-clock time (UTC-3) of an instant, as a datetime-local field holds it. */
const brasilia = (ms: number) => new Date(ms - 3 * 3_600_000).toISOString().slice(0, 19);

before(async () => {
  receiver = await Receiver.start();
  hostile = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(HOSTILE)).listen(0, '127.0.0.1');
  await once(hostile, 'listening');
  // Gerencianet's hour of ten attempts in about a second.
  stack = await startDevStack(testConfig({ RETRY_DELAY_DIVISOR: '3600', CALLBACK_TIMEOUT_MS: '2000' }));
  shop = await stack.as(merchant);
  assert.equal((await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/loja` })).status, 200);

  // 52 delivered (more than a page), f1 fails every attempt and deactivates the URL (G4), h1…h4 are held (G5).
  await chargePaid(shop, 's1');
  await chargePaid(shop, 's2', 'waiting');
  (await paidCharges(shop, 50)).forEach((id, i) => deliveries.set(String(i), id));
  await receiver.waitFor('/loja', delivered.length);
  receiver.respond([], 500);
  await chargePaid(shop, 'f1');
  await eventually(async () => (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body,
    (m) => m.endpoints[endpoint].status === 'inactive');
  for (const c of ['h1', 'h2', 'h3', 'h4']) await chargePaid(shop, c);
  await eventually(() => apiLog({ sent: 'no' }), (rows) => rows.length === 5);
  await eventually(() => apiLog({ chargeId: 'f1' }), ([f1]) => f1?.attempts === 10);
  await eventually(() => apiLog({ sent: 'yes' }), (rows) => rows.length === delivered.length);
  portal = await PortalClient.signIn(stack, shop);
});

after(async () => {
  await stack?.stop();
  await receiver?.stop();
  hostile?.close();
});

test('G7: the Logs page filters by charge number and by enviado sim/não, and pages 50 at a time', async () => {
  const unsent = await logsPage({ enviado: 'nao' });
  assert.deepEqual(chargesOf(unsent.rows), ['f1', 'h1', 'h2', 'h3', 'h4']);
  assert.ok(unsent.rows.every((r) => r.cells[3] === 'não'));
  assert.equal(unsent.next, null);
  assert.equal(unsent.rows.find((r) => r.cells[1] === 'f1')!.cells[4], '10', 'Tentativas');
  assert.ok(unsent.rows.every((r) => r.label === `Selecionar cobrança ${r.cells[1]}`), 'each checkbox is labelled');
  assert.match(unsent.html, /data-select-all="entrega" aria-label="Selecionar todas"/);
  for (const r of unsent.rows) assert.ok(unsent.html.includes(`href="/portal/entregas/${r.deliveryId}"`), 'Ver tentativas');

  const first = await logsPage({ enviado: 'sim' });
  assert.equal(first.rows.length, 50);
  assert.ok(first.next, 'Próxima página');
  assert.match(first.next, /enviado=sim/, 'the next page keeps the filters');
  const second = await portal.get(first.next);
  assert.equal(second.status, 200);
  const all = [...first.rows, ...rowsOf(second.html)];
  assert.deepEqual(chargesOf(all), [...delivered].sort(), 'every sent row once, across the pages');
  assert.ok(all.every((r) => r.cells[3] === 'sim'));
  assert.ok(!/rel="next"/.test(second.html), 'the last page has no next');
  const otherFilters = await portal.get(first.next.replace('enviado=sim', 'enviado=nao'));
  assert.equal(otherFilters.status, 400, 'a page token continues only the listing it came from');
  assert.match(otherFilters.html, /role="alert">Esta página da lista não vale para estes filtros/);

  const s2 = await logsPage({ cobranca: 's2' });
  assert.deepEqual(s2.rows.map((r) => r.cells.slice(1, 5)), [['s2', 'waiting → paid', 'sim', '1']], 'O que mudou');
  assert.deepEqual(chargesOf((await logsPage({ cobranca: 'h2', enviado: 'nao' })).rows), ['h2']);
  assert.deepEqual((await logsPage({ cobranca: 'h2', enviado: 'sim' })).rows, []);
});

test('G7: the period (De/Até) is Brasília time; invalid fields are a 400 with the error beside the field', async () => {
  // A whole second that some notifications were raised before and the others at or after: a boundary from the data.
  const rows = (await apiLog({})).map((r) => ({ ...r, at: Date.parse(r.notifiedAt) })).sort((a, b) => a.at - b.at);
  const second = (at: number) => Math.floor(at / 1000) * 1000;
  let split = rows.length - 1;
  while (split > 0 && second(rows[split].at) <= rows[split - 1].at) split--;
  assert.ok(split > 0, 'the notifications span more than one second');
  const boundary = second(rows[split].at);
  const later = rows.slice(split).map((r) => r.chargeId).sort();
  const earlierUnsent = rows.slice(0, split).filter((r) => !r.sent).map((r) => r.chargeId).sort();
  assert.deepEqual(chargesOf(await allRows({ de: brasilia(boundary) })), later);
  assert.deepEqual(chargesOf(await allRows({ ate: brasilia(boundary), enviado: 'nao' })), earlierUnsent);
  assert.deepEqual((await logsPage({ de: brasilia(Date.now() + 3_600_000) })).rows, []);

  const bad = await portal.get(`${logs}?cobranca=${encodeURIComponent('a b')}&de=ontem&enviado=talvez`);
  assert.equal(bad.status, 400);
  assert.match(bad.html, /aria-describedby="cobranca-erro"/);
  assert.match(bad.html, /id="cobranca-erro" role="alert">Use de 1 a 64/);
  assert.match(bad.html, /id="de-erro" role="alert">Informe data e hora/);
  assert.match(bad.html, /id="enviado-erro" role="alert">/);
  assert.equal((await portal.get(`/portal/integracoes/naoExiste/logs`)).status, 404);
});

test('G8: Reenviar callback while the URL is inactive says to test and activate it first; nothing selected goes back', async () => {
  const refused = await portal.post(resends, { acao: 'selecionadas', entrega: deliveries.get('h1')! }, { from: logs });
  assert.equal(refused.status, 409);
  assert.match(refused.html, /href="\/portal\/integracoes\/gerencianetNotificationUrl"/);
  assert.match(refused.html, /Teste a URL e ative-a/);

  const none = await portal.post(resends, { acao: 'selecionadas', enviado: 'nao' }, { from: logs });
  assert.equal(none.status, 303);
  assert.equal(none.location, `${logs}?enviado=nao&aviso=nenhuma`);
  assert.match((await portal.get(none.location!)).html, /role="status">Nenhuma notificação foi selecionada/);

  receiver.respond([], 200);
  assert.equal((await shop.call('POST', `/v1/merchants/${merchant}/endpoints/${endpoint}/activation`)).status, 200);
});

test('G8: a form posted without its _csrf token is refused (403) and starts nothing', async () => {
  const forged = await portal.post(`${resends}/confirmacao`,
    { acao: 'selecionadas', entrega: deliveries.get('h3')!, confirmCount: '1' }, { csrf: false });
  assert.equal(forged.status, 403);
  const empty = await portal.post(`${resends}/confirmacao`, { acao: 'selecionadas', confirmCount: '1' }, { from: logs });
  assert.equal(empty.status, 400, 'a hand-made confirmation of no row is refused');
  const preview = await shop.call('POST', `/v1/merchants/${merchant}/endpoints/${endpoint}/resends`, { deliveryIds: [deliveries.get('h3')] });
  assert.equal(preview.body.count, 1, 'h3 still waits for a resend');
  // That h3 is never POSTed until the last test resends it is asserted in the next test, once resends have run.
});

test('G8: two rows selected → "2 notificações serão reenviadas" → sim → the receiver gets exactly those → the log shows sim', async () => {
  const page = await logsPage({ enviado: 'nao' });
  const row = (c: string) => page.rows.find((r) => r.cells[1] === c)!.deliveryId;
  const fields = formFields(page.html, resends);
  assert.deepEqual(fields.enviado, ['nao'], 'the filters ride along as hidden fields');

  // A sent row among the selection is counted, not resent.
  const mixed = await portal.post(resends, { ...fields, acao: 'selecionadas', entrega: [row('h1'), deliveries.get('s1')!] }, { csrf: false });
  assert.equal(mixed.status, 200, mixed.html);
  assert.match(mixed.html, /1 notificação será reenviada\./);
  assert.match(mixed.html, /1 já foi enviada e não será reenviada\./);

  const question = await portal.post(resends, { ...fields, acao: 'selecionadas', entrega: [row('h1'), row('h2')] }, { csrf: false });
  assert.equal(question.status, 200, question.html);
  assert.match(question.html, /2 notificações serão reenviadas\./);
  assert.doesNotMatch(question.html, /já fo/);
  assert.match(question.html, />não<\/button>/);
  const yes = formFields(question.html, `${resends}/confirmacao`);
  assert.deepEqual([yes.entrega.sort(), yes.confirmCount], [[row('h1'), row('h2')].sort(), ['2']]);
  assert.equal(posts('h1') + posts('h2'), 0, 'the question sends nothing');

  // A count that no longer matches (as if something changed since the question) is asked again with the new one.
  const stale = await portal.post(`${resends}/confirmacao`, { ...yes, confirmCount: '3' }, { csrf: false });
  assert.equal(stale.status, 409);
  assert.match(stale.html, /A seleção mudou/);
  assert.match(stale.html, /2 notificações serão reenviadas\./);

  const confirmed = await portal.post(`${resends}/confirmacao`, yes, { csrf: false });
  assert.equal(confirmed.status, 303, confirmed.html);
  assert.match(confirmed.location!, /^\/portal\/reenvios\/resend-loja-portal-logs-gerencianetNotificationUrl-[0-9a-f-]+\?enviado=nao$/);
  resendId = /reenvios\/([^?]+)/.exec(confirmed.location!)![1];
  const done = await eventually(() => portal.get(confirmed.location!), (p) => /Reenvio concluído/.test(p.html));
  assert.match(done.html, /2 de 2 notificações entraram na fila/);
  assert.doesNotMatch(done.html, /data-refresh-seconds/, 'a finished resend stops refreshing');
  assert.match(done.html, new RegExp(`href="${logs}\\?enviado=nao"`), 'back to the logs with the same filters');

  await receiver.until(() => posts('h1') >= 1 && posts('h2') >= 1);
  for (const c of ['h1', 'h2']) {
    await eventually(() => logsPage({ cobranca: c }), (p) => p.rows[0]?.cells[3] === 'sim');
  }
  assert.deepEqual(['h1', 'h2', 'h3', 'h4', 'f1'].map(posts), [1, 1, 0, 0, 10], 'exactly the two selected; not h3 (the forged form), h4 or f1');
  assert.deepEqual(chargesOf((await logsPage({ enviado: 'nao' })).rows), ['f1', 'h3', 'h4']);
});

test('G8: "Reenviar todas que atendem aos filtros" resends every row not sent under the filters', async () => {
  const page = await logsPage({ enviado: 'nao' });
  const question = await portal.post(resends, { ...formFields(page.html, resends), acao: 'todas' }, { csrf: false });
  assert.match(question.html, /3 notificações serão reenviadas\./);
  const confirmed = await portal.post(`${resends}/confirmacao`, formFields(question.html, `${resends}/confirmacao`), { csrf: false });
  assert.equal(confirmed.status, 303, confirmed.html);
  await eventually(() => portal.get(confirmed.location!), (p) => /Reenvio concluído/.test(p.html));
  await receiver.until(() => posts('h3') >= 1 && posts('h4') >= 1 && posts('f1') >= 11);
  await eventually(() => logsPage({ enviado: 'nao' }), (p) => p.rows.length === 0);
  assert.deepEqual(['h1', 'h2', 'h3', 'h4', 'f1'].map(posts), [1, 1, 1, 1, 11]);
  const f1 = await logsPage({ cobranca: 'f1' });
  assert.deepEqual(f1.rows[0].cells.slice(3, 5), ['sim', '11'], 'the log shows the new attempt');
});

test('G7: a row opens its attempts; another account gets the same plain 404 for this delivery and this resend', async () => {
  const f1 = await portal.get(`/portal/entregas/${deliveries.get('f1')}`);
  assert.equal(f1.status, 200);
  assert.match(f1.html, /<h1>Tentativas da cobrança f1<\/h1>/);
  assert.equal((f1.html.match(/<td>HTTP 500<\/td>/g) ?? []).length, 10);
  assert.match(f1.html, /<td>HTTP 200<\/td>/);
  assert.match(f1.html, /<pre class="excerpt">status 500<\/pre>/);
  assert.ok(f1.html.includes(`${receiver.url}/loja`));

  const neighbour = await PortalClient.signIn(stack, await stack.as('loja-vizinha'));
  const theirs: PortalPage[] = await Promise.all([
    neighbour.get(`/portal/entregas/${deliveries.get('h1')}`),
    neighbour.get(`/portal/reenvios/${resendId}`),
    neighbour.get('/portal/entregas/delivery.nenhuma'),
    neighbour.get('/portal/entregas/nao-e-um-id'),
  ]);
  assert.deepEqual(theirs.map((p) => p.status), [404, 404, 404, 404]);
  const body = (p: PortalPage) => /<main[\s\S]*<\/main>/.exec(p.html)![0];
  assert.ok(theirs.every((p) => body(p) === body(theirs[2])), 'nothing tells another account\'s apart from none');
  assert.equal((await portal.get(`/portal/reenvios/${resendId}`)).status, 200, 'its own account sees it');
  assert.deepEqual((await neighbour.get(`${logs}?cobranca=h1`)).html.includes(deliveries.get('h1')!), false);
});

test('G7: a hostile receiver answer is shown as text, never as markup (XSS)', async () => {
  const evil = await stack.as('loja-hostil');
  const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
  assert.equal((await evil.call('PUT', `/v1/merchants/loja-hostil/callback-urls`, { gerencianetNotificationUrl: url })).status, 200);
  await chargePaid(evil, 'x1');
  await eventually(async () => (await evil.call('GET', `/v1/deliveries/${deliveries.get('x1')}`)).body, (d) => d.status === 'delivered');
  const page = await (await PortalClient.signIn(stack, evil)).get(`/portal/entregas/${deliveries.get('x1')}`);
  assert.equal(page.status, 200);
  assert.ok(page.html.includes('<pre class="excerpt">&lt;script>alert(1)&lt;/script>&quot;>&lt;img src=x onerror=alert(1)></pre>'), page.html);
  assert.ok(!page.html.includes('<script>alert(1)'), 'no script tag from the receiver');
  assert.ok(!page.html.includes('<img src=x'), 'no img tag from the receiver');
});
