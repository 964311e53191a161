// Logs per URL and resend (G7, G8, D3) through the REST API, on the dev server: the logs come from Temporal
// visibility and the resend is a batch operation, neither of which the time-skipping server has. The hour of
// retries is shortened with RETRY_DELAY_DIVISOR; every wait is for an observable event or state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testConfig } from './support/testConfig';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { eventually } from './support/eventually';
import { Receiver } from './support/receiver';
import { SmtpCatcher } from './support/smtpCatcher';

const merchant = 'loja-logs';
const endpoint = 'gerencianetNotificationUrl';
const logPath = `/v1/merchants/${merchant}/endpoints/${endpoint}/notifications`;
const resendPath = `/v1/merchants/${merchant}/endpoints/${endpoint}/resends`;

let stack: DevStack;
let shop: Account;
let receiver: Receiver;
let smtp: SmtpCatcher;
/** chargeId → token of its notification. */
const tokens = new Map<string, string>();
/** chargeId → its deliveryId. */
const deliveries = new Map<string, string>();

async function chargePaid(chargeId: string, previousStatus?: string): Promise<void> {
  const { status, body } = await shop.call('POST', `/v1/merchants/${merchant}/charges/${chargeId}/status-changes`, {
    currentStatus: 'paid', ...(previousStatus ? { previousStatus } : {}),
  });
  assert.equal(status, 202, JSON.stringify(body));
  tokens.set(chargeId, body.token);
  deliveries.set(chargeId, body.deliveryId);
}

/** POSTs the receiver got for a charge, by outcome. */
function posts(chargeId: string) {
  return receiver.requests.filter((r) => r.body === `notification=${tokens.get(chargeId)}`);
}

async function log(filter: Record<string, string | number> = {}) {
  const { status, body } = await shop.call('GET', `${logPath}?${new URLSearchParams(filter as Record<string, string>)}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body as { notifications: any[]; nextPageToken: string | null };
}
const charges = (page: { notifications: any[] }) => page.notifications.map((n) => n.chargeId).sort();
/** The log once visibility has caught up with what the test knows happened. */
const logOnce = (filter: Record<string, string>, expected: string[]) =>
  eventually(() => log(filter), (page) => JSON.stringify(charges(page)) === JSON.stringify(expected));

async function resendDone(resendId: string) {
  return eventually(
    async () => (await shop.call('GET', `/v1/merchants/${merchant}/resends/${resendId}`)).body,
    (p) => p.state !== 'running',
  );
}

let beforeHeld: string;

before(async () => {
  smtp = await SmtpCatcher.start();
  receiver = await Receiver.start();
  // Gerencianet's hour of ten attempts in about a second.
  stack = await startDevStack(testConfig({ RETRY_DELAY_DIVISOR: '3600', CALLBACK_TIMEOUT_MS: '2000', SMTP_URL: smtp.url }));
  shop = await stack.as(merchant, 'financeiro@loja.example');
  const registered = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/loja`, notificationEmail: 'financeiro@loja.example',
  });
  assert.equal(registered.status, 200);

  // c1, c2 delivered; c3 fails ten times and deactivates the URL (G4); c4, c5 are raised while inactive (G5).
  await chargePaid('c1');
  await chargePaid('c2', 'waiting');
  await receiver.waitFor('/loja', 2);
  receiver.respond([], 500);
  await chargePaid('c3');
  await smtp.until(1);
  await eventually(async () => (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body,
    (m) => m.endpoints[endpoint].status === 'inactive');
  beforeHeld = new Date().toISOString();
  await chargePaid('c4');
  await chargePaid('c5');
  // Held in their first workflow task; the log shows it once visibility has the upsert.
  await eventually(() => log({ sent: 'no' }), (page) => page.notifications.filter((n) => n.status === 'held').length === 2);
});

after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await smtp?.stop();
});

test('G7: the log answers every notification of the URL with sent yes/no, status and attempts', async () => {
  const all = await log();
  const row = (c: string) => all.notifications.find((n) => n.chargeId === c);
  assert.deepEqual(
    ['c1', 'c3', 'c4'].map((c) => [row(c).sent, row(c).status, row(c).attempts]),
    [[true, 'delivered', 1], [false, 'failed', 10], [false, 'held', 0]],
  );
  assert.equal(row('c1').deliveryId, deliveries.get('c1'));
  assert.ok(row('c1').closedAt && !row('c4').closedAt, 'delivered ones close; held ones stay open for a resend');
  assert.equal(posts('c4').length + posts('c5').length, 0, 'G5: nothing POSTed while inactive');
  // What changed, as the charge's previous and current status (issue 16).
  assert.deepEqual(row('c1').change, { previous: null, current: 'paid' });
  assert.deepEqual(all.notifications.find((n) => n.chargeId === 'c2').change, { previous: 'waiting', current: 'paid' });
});

test('G9: the last errors carry their time and the delivery that failed', async () => {
  const { lastErrors, lastDeactivatedAt } = (await shop.call('GET', `/v1/merchants/${merchant}/endpoints`)).body.endpoints[endpoint];
  assert.equal(lastErrors.length, 3);
  const c3 = (await shop.call('GET', `/v1/deliveries/${deliveries.get('c3')}`)).body;
  assert.deepEqual(lastErrors, c3.attempts.slice(-3).map((a: any) => ({
    at: a.at, deliveryId: deliveries.get('c3'), error: 'HTTP 500',
  })));
  assert.ok(lastErrors.every((e: any) => Date.parse(e.at) <= Date.parse(lastDeactivatedAt)));
});

test('G7: filters by sent status, charge number and period return exactly the matching rows', async () => {
  assert.deepEqual(charges(await logOnce({ sent: 'yes' }, ['c1', 'c2'])), ['c1', 'c2']);
  assert.deepEqual(charges(await log({ sent: 'no' })), ['c3', 'c4', 'c5']);
  assert.deepEqual(charges(await log({ chargeId: 'c4' })), ['c4']);
  assert.deepEqual(charges(await log({ from: beforeHeld })), ['c4', 'c5']);
  assert.deepEqual(charges(await log({ to: beforeHeld })), ['c1', 'c2', 'c3']);
  assert.deepEqual(charges(await log({ to: beforeHeld, sent: 'no' })), ['c3']);
  assert.deepEqual(charges(await log({ chargeId: 'nenhuma' })), []);
  const other = await shop.call('GET', `/v1/merchants/${merchant}/endpoints/controlpaySaleUrl/notifications`);
  assert.deepEqual(other.body.notifications, [], 'another URL of the same merchant has its own log');
});

test('G7: pages cover every row once; a bad page token or filter is a 400 naming the field', async () => {
  const seen: string[] = [];
  let pageToken: string | null = null;
  let pages = 0;
  do {
    const page = await log({ pageSize: 2, ...(pageToken ? { pageToken } : {}) });
    assert.ok(page.notifications.length <= 2);
    seen.push(...charges(page));
    pageToken = page.nextPageToken;
    pages++;
  } while (pageToken);
  assert.deepEqual(seen.sort(), ['c1', 'c2', 'c3', 'c4', 'c5']);
  assert.equal(pages, 3);

  const badToken = await shop.call('GET', `${logPath}?pageToken=bm90LWEtdG9rZW4`);
  assert.equal(badToken.status, 400);
  assert.equal(badToken.body.fields[0].field, 'query.pageToken');
  const { nextPageToken } = await log({ pageSize: 2 });
  const otherListing = await shop.call('GET', `${logPath}?sent=no&pageToken=${nextPageToken}`);
  assert.equal(otherListing.status, 400, 'a token only continues the listing it came from');
  assert.equal(otherListing.body.fields[0].field, 'query.pageToken');
  const badFilter = await shop.call('GET', `${logPath}?sent=maybe&from=yesterday`);
  assert.equal(badFilter.status, 400);
  assert.deepEqual(badFilter.body.fields.map((f: any) => f.field).sort(), ['query.from', 'query.sent']);
  assert.equal((await shop.call('GET', `/v1/merchants/ninguem/endpoints/${endpoint}/notifications`)).status, 404);
});

test('G8: resend is refused while the URL is inactive; after reactivation, resend by charge sends exactly it', async () => {
  const refused = await shop.call('POST', resendPath, { chargeId: 'c4' });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error, 'endpoint_inactive');

  receiver.respond([], 200);
  assert.equal((await shop.call('POST', `/v1/merchants/${merchant}/endpoints/${endpoint}/activation`)).status, 200);

  // One charge: preview, a confirmation with a stale count is refused, the right one resends c4 only.
  const preview = await shop.call('POST', resendPath, { chargeId: 'c4' });
  assert.equal(preview.status, 200);
  assert.deepEqual(preview.body, { confirmed: false, count: 1, alreadySent: 0, confirmWith: { confirmCount: 1 } });
  const stale = await shop.call('POST', resendPath, { chargeId: 'c4', confirmCount: 2 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error, 'selection_changed');
  const confirmed = await shop.call('POST', resendPath, { chargeId: 'c4', confirmCount: 1 });
  assert.equal(confirmed.status, 202, JSON.stringify(confirmed.body));
  assert.equal((await resendDone(confirmed.body.resendId)).signalled, 1);
  await logOnce({ sent: 'yes' }, ['c1', 'c2', 'c4']);
  assert.equal(posts('c4').length, 1);
});

test('G8: a selection of rows (deliveryIds) resends only those not sent; the sent ones among them are counted', async () => {
  const malformed = await shop.call('POST', resendPath, { deliveryIds: ["delivery.x' OR WorkflowId != '"] });
  assert.equal(malformed.status, 400, 'an id that could leave its quotes is refused before any query');
  assert.equal(malformed.body.fields[0].field, 'body.deliveryIds.0');
  assert.equal((await shop.call('POST', resendPath, { deliveryIds: [] })).status, 400);

  // c5 (held) and c1 (delivered), c5 twice: one to resend, one already sent; c3 (failed) is not selected.
  const rows = { deliveryIds: [deliveries.get('c5'), deliveries.get('c1'), deliveries.get('c5')] };
  const preview = await shop.call('POST', resendPath, rows);
  assert.deepEqual(preview.body, { confirmed: false, count: 1, alreadySent: 1, confirmWith: { confirmCount: 1 } });
  const go = await shop.call('POST', resendPath, { ...rows, confirmCount: 1 });
  assert.equal(go.status, 202, JSON.stringify(go.body));
  assert.equal((await resendDone(go.body.resendId)).signalled, 1);
  await logOnce({ sent: 'yes' }, ['c1', 'c2', 'c4', 'c5']);
  assert.deepEqual([posts('c5').length, posts('c3').length], [1, 10], 'c5 once; c3 was not selected');
});

test('G8: resend by filter sends everything not sent that matches, once', async () => {
  // By filter (everything not sent): c3 now; the delivered ones are counted, not resent.
  const all = await shop.call('POST', resendPath, {});
  assert.deepEqual(all.body, { confirmed: false, count: 1, alreadySent: 4, confirmWith: { confirmCount: 1 } });
  const go = await shop.call('POST', resendPath, { confirmCount: 1 });
  assert.equal(go.status, 202);
  await resendDone(go.body.resendId);
  await logOnce({ sent: 'yes' }, ['c1', 'c2', 'c3', 'c4', 'c5']);
  assert.deepEqual(['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => posts(c).length), [1, 1, 11, 1, 1],
    'c3: its ten failed attempts and the resend; every other exactly once');

  // The resend is a new, recorded series under the same schedule.
  const c3 = (await shop.call('GET', `/v1/deliveries/${deliveries.get('c3')}`)).body;
  assert.equal(c3.status, 'delivered');
  assert.equal(c3.resends, 1);
  assert.deepEqual(c3.attempts.map((a: any) => a.series), [...Array(10).fill(1), 2]);
  const row = (await log({ chargeId: 'c3' })).notifications[0];
  assert.deepEqual([row.sent, row.attempts], [true, 11]);
});

test('G8: a confirmation without a count is a preview; a malformed one is a 400', async () => {
  const bad = await shop.call('POST', resendPath, { confirmCount: 'sim' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.fields[0].field, 'body.confirmCount');
  const nothing = await shop.call('POST', resendPath, {});
  assert.equal(nothing.body.count, 0);
  // A confirmCount of 0 is refused (400): the preview must not suggest it (issue 16).
  assert.equal(nothing.body.confirmWith, undefined, JSON.stringify(nothing.body));
  assert.match(nothing.body.message, /Nothing to resend/);
  const unknown = await shop.call('GET', `/v1/merchants/${merchant}/resends/resend-outra-loja-x`);
  assert.equal(unknown.status, 404);
});
