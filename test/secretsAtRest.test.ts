// Secrets and personal data at rest (issue 5): histories fetched from the dev server hold no clear notification
// token, CPF/CNPJ, e-mail address or key (the raw history bytes are searched); the codec endpoint decodes them for
// an operator holding CODEC_AUTH_TOKEN, and the CLI decodes through it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { TEMPORAL_CLI } from '../lib/temporalServers';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

const execFileAsync = promisify(execFile);
const merchant = 'loja-sigilo';
const cpfCnpj = '98765432000198';
const email = 'tesouraria@loja-sigilo.example';
let stack: DevStack;
let shop: Account;
let receiver: Receiver;
let token: string;
let chargeDelivery: string;
let saleDelivery: string;

async function rawHistory(workflowId: string): Promise<Buffer> {
  const { history } = await stack.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default', execution: { workflowId },
  });
  return Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
}

before(async () => {
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-secrets-test' }));
  shop = await stack.as(merchant, email);
  await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/n`, controlpaySaleUrl: `${receiver.url}/v`, notificationEmail: email,
  });
  const charge = await shop.call('POST', `/v1/merchants/${merchant}/charges/4242/status-changes`, { currentStatus: 'paid' });
  token = charge.body.token;
  chargeDelivery = charge.body.deliveryId;
  const sale = await shop.call('POST', `/v1/merchants/${merchant}/sale-intents/555/finalization`, {
    outcome: 'authorized', cpfCnpj, intencaoVendaReferencia: 'ref-555',
  });
  saleDelivery = sale.body.deliveryId;
  await receiver.waitFor('/n', 1);
  await receiver.waitFor('/v', 1);
  await stack.client.workflow.getHandle(chargeDelivery).result();
  await stack.client.workflow.getHandle(saleDelivery).result();
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
});

describe('histories hold ciphertext only', () => {
  test('the receiver got the data in clear (the encryption is only at rest)', () => {
    assert.equal(receiver.requestsTo('/n')[0].body, `notification=${token}`);
    assert.equal(receiver.requestsTo('/v')[0].url.searchParams.get('cpfCnpj'), cpfCnpj);
  });

  test('no token, CPF/CNPJ, e-mail, signing secret or key in any history\'s bytes', async () => {
    const secret = (await shop.call('GET', `/v1/merchants/${merchant}/endpoints/gerencianetNotificationUrl/signing-secret`)).body.secret;
    const clear = [token, cpfCnpj, email, secret, TEST_ENV.WEBHOOK_SIGNING_KEY, TEST_ENV.CODEC_AUTH_TOKEN];
    for (const workflowId of [chargeDelivery, saleDelivery, `merchant.${merchant}`]) {
      const bytes = await rawHistory(workflowId);
      assert.ok(bytes.length > 500, `${workflowId}: a real history`);
      for (const value of clear) assert.equal(bytes.indexOf(value), -1, `${workflowId} holds ${value.slice(0, 6)}… in clear`);
      assert.ok(bytes.includes('binary/encrypted'), `${workflowId}: payloads are encrypted`);
    }
    assert.ok(!chargeDelivery.includes(token), 'workflow ids, never encrypted, carry a digest of the token');
  });

  test('the application still reads everything through its own client', async () => {
    const delivery = (await shop.call('GET', `/v1/deliveries/${saleDelivery}`)).body;
    assert.equal(delivery.event.cpfCnpj, cpfCnpj);
    const answer = (await shop.call('GET', `/v1/notifications/${token}`)).body;
    assert.equal(answer.data[0].identifiers.charge_id, '4242');
  });
});

describe('codec endpoint', () => {
  const startedPayloads = async () => {
    const { history } = await stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default', execution: { workflowId: saleDelivery },
    });
    const payloads = history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    return payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    }));
  };
  const decode = (headers: Record<string, string>, payloads: unknown) => fetch(`${stack.base}/codec/decode`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ payloads }),
  });

  test('decodes for the bearer of CODEC_AUTH_TOKEN; 401 for anyone else', async () => {
    const payloads = await startedPayloads();
    const ok = await decode({ authorization: `Bearer ${TEST_ENV.CODEC_AUTH_TOKEN}` }, payloads);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store'); // decrypted personal data
    assert.equal((await decode({ authorization: `bearer ${TEST_ENV.CODEC_AUTH_TOKEN}` }, payloads)).status, 200);
    const [input] = (await ok.json()).payloads;
    assert.match(Buffer.from(input.data, 'base64').toString(), new RegExp(cpfCnpj));
    const strangers: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-of-the-same-length-xx' }, { authorization: 'Basic x' }];
    for (const headers of strangers) {
      assert.equal((await decode(headers, payloads)).status, 401);
    }
    const malformed = await decode({ authorization: `Bearer ${TEST_ENV.CODEC_AUTH_TOKEN}` }, [{ data: 7 }]);
    assert.equal(malformed.status, 400);
  });

  test('a browser session (the Web UI calls with credentials from its origin)', async () => {
    const preflight = await fetch(`${stack.base}/codec/decode`, {
      method: 'OPTIONS', headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:8233');
    assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
    const elsewhere = await fetch(`${stack.base}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
    assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);

    const form = (t: string) => fetch(`${stack.base}/codec/session`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${t}`,
    });
    assert.equal((await form('nope')).status, 401);
    const login = await form(TEST_ENV.CODEC_AUTH_TOKEN);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    assert.match(login.headers.get('set-cookie')!, /HttpOnly/);
    assert.ok(!cookie.includes(TEST_ENV.CODEC_AUTH_TOKEN), 'the cookie is not the token');
    assert.equal((await decode({ cookie, origin: 'http://localhost:8233' }, await startedPayloads())).status, 200);
  });

  test('the CLI shows a history decoded through the endpoint (--codec-endpoint, --codec-auth)', async () => {
    // Asynchronously: the endpoint it calls is served by this process.
    const show = async (...extra: string[]) => (await execFileAsync(TEMPORAL_CLI, [
      'workflow', 'show', '--address', stack.address, '-w', saleDelivery, '-o', 'json', ...extra,
    ])).stdout;
    assert.ok(!(await show()).includes(cpfCnpj));
    const decoded = await show('--codec-endpoint', `${stack.base}/codec`, '--codec-auth', `Bearer ${TEST_ENV.CODEC_AUTH_TOKEN}`);
    const [input] = JSON.parse(decoded).events[0].workflowExecutionStartedEventAttributes.input.payloads;
    assert.equal(Buffer.from(input.metadata.encoding, 'base64').toString(), 'json/plain');
    assert.equal(JSON.parse(Buffer.from(input.data, 'base64').toString()).event.cpfCnpj, cpfCnpj);
  });
});
