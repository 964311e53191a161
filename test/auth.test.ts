// Accounts and authentication (issue 5, I4): OAuth 2.0 client credentials and API keys, each 401 saying what is
// wrong, revocation, and the isolation matrix: account B with account A's ids gets 404 on every route, and
// nothing of A's changes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { sameSecret } from '../api/auth';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { apiCall } from './support/apiCall';
import { Receiver } from './support/receiver';
import { TEST_ENV, testConfig } from './support/testConfig';

let stack: DevStack;
let receiver: Receiver;
let a: Account;
let b: Account;
let aDelivery: string;
let aToken: string;
const run = Date.now().toString(36);

const tokenRequest = (body: string, headers: Record<string, string> = {}) => fetch(`${stack.base}/oauth/token`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body,
});
const withBearer = (bearer: string, path = `/v1/merchants/${a.merchantId}/credentials`) =>
  apiCall(stack.base, 'GET', path, undefined, { authorization: `Bearer ${bearer}` });

before(async () => {
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-auth-test' }));
  a = await stack.as(`conta-a-${run}`, 'a@loja.example');
  b = await stack.as(`conta-b-${run}`);
  await a.call('PUT', `/v1/merchants/${a.merchantId}/callback-urls`, {
    gerencianetNotificationUrl: `${receiver.url}/a`, controlpaySaleUrl: `${receiver.url}/a-venda`,
    controlpayPrintUrl: `${receiver.url}/a-print`,
  });
  const charge = await a.call('POST', `/v1/merchants/${a.merchantId}/charges/1/status-changes`, { currentStatus: 'paid' });
  aDelivery = charge.body.deliveryId;
  aToken = charge.body.token;
  await receiver.waitFor('/a', 1);
});
after(async () => {
  await stack?.stop();
  await receiver?.stop();
});

describe('OAuth 2.0 client credentials (token endpoint)', () => {
  test('HTTP Basic or the form body give a bearer token that works', async () => {
    const basic = Buffer.from(`${a.clientId}:${a.clientSecret}`).toString('base64');
    const viaBasic = await tokenRequest('grant_type=client_credentials', { authorization: `Basic ${basic}` });
    assert.equal(viaBasic.status, 200);
    const token = await viaBasic.json();
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.expires_in, 900);
    assert.equal((await withBearer(token.access_token)).status, 200);
    const viaForm = await tokenRequest(`grant_type=client_credentials&client_id=${a.clientId}&client_secret=${a.clientSecret}`);
    assert.equal(viaForm.status, 200);
  });

  test('a wrong secret, an unknown client, no client or another grant: refused', async () => {
    // Another first character: the secret is random base64url, so a fixed 'x' was the right one once in 64 runs.
    const wrongSecret = `${a.clientSecret.startsWith('x') ? 'y' : 'x'}${a.clientSecret.slice(1)}`;
    const wrong = await tokenRequest(`grant_type=client_credentials&client_id=${a.clientId}&client_secret=${wrongSecret}`);
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).error, 'invalid_client');
    const wrongBasic = Buffer.from(`${a.clientId}:${wrongSecret}`).toString('base64');
    const challenged = await tokenRequest('grant_type=client_credentials', { authorization: `Basic ${wrongBasic}` });
    assert.equal(challenged.status, 401);
    assert.match(challenged.headers.get('www-authenticate') ?? '', /^Basic /, 'RFC 6749 §5.2: the scheme the client used');
    assert.equal((await tokenRequest(`grant_type=client_credentials&client_id=ninguem.abc&client_secret=x`)).status, 401);
    assert.equal((await tokenRequest('grant_type=client_credentials')).status, 401);
    const grant = await tokenRequest(`grant_type=password&client_id=${a.clientId}&client_secret=${a.clientSecret}`);
    assert.equal(grant.status, 400);
  });
});

describe('OAuth 2.0 by the RFC (issue 16)', () => {
  const noStore = (res: Response, what: string) => {
    assert.equal(res.headers.get('cache-control'), 'no-store', what);
    assert.equal(res.headers.get('pragma'), 'no-cache', what);
  };
  const call = (account: Account, method: string, path: string, body?: unknown) => fetch(`${stack.base}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${account.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  });

  test('RFC 6749 §5.2: another grant answers 400 unsupported_grant_type; no grant, 400 invalid_request', async () => {
    const grant = await tokenRequest(`grant_type=password&client_id=${a.clientId}&client_secret=${a.clientSecret}`);
    assert.equal(grant.status, 400);
    const body = await grant.json();
    assert.equal(body.error, 'unsupported_grant_type');
    assert.match(body.error_description, /client_credentials/);
    const none = await tokenRequest(`client_id=${a.clientId}&client_secret=${a.clientSecret}`);
    assert.equal(none.status, 400);
    assert.equal((await none.json()).error, 'invalid_request');
    // HTTP Basic carries the id and secret form-encoded (§2.3.1): a broken %-escape is the client's error, not a 503.
    const broken = await tokenRequest('grant_type=client_credentials', { authorization: `basic ${Buffer.from('x:%E0').toString('base64')}` });
    assert.equal(broken.status, 400);
    assert.equal((await broken.json()).error, 'invalid_request');
  });

  test('every answer carrying a secret: Cache-Control no-store, Pragma no-cache (RFC 6749 §5.1)', async () => {
    const d = await stack.as(`conta-d-${run}`);
    const token = await tokenRequest(`grant_type=client_credentials&client_id=${d.clientId}&client_secret=${d.clientSecret}`);
    assert.equal(token.status, 200);
    noStore(token, 'token');
    noStore(await tokenRequest(`grant_type=client_credentials&client_id=${d.clientId}&client_secret=x${d.clientSecret}`), 'token refused');
    const issued = await call(d, 'POST', `/v1/merchants/${d.merchantId}/credentials`, { kind: 'client' });
    assert.equal(issued.status, 201);
    noStore(issued, 'new credential');
    await d.call('PUT', `/v1/merchants/${d.merchantId}/callback-urls`, { gerencianetNotificationUrl: `${receiver.url}/d` });
    const secretPath = `/v1/merchants/${d.merchantId}/endpoints/gerencianetNotificationUrl/signing-secret`;
    const secret = await call(d, 'GET', secretPath);
    assert.equal(secret.status, 200);
    noStore(secret, 'signing secret');
    const rotated = await call(d, 'POST', `${secretPath}/rotation`);
    assert.equal(rotated.status, 200);
    noStore(rotated, 'rotated signing secret');
  });

  test('the Bearer scheme is case-insensitive (RFC 7235 §2.1)', async () => {
    const token = await (await tokenRequest(`grant_type=client_credentials&client_id=${a.clientId}&client_secret=${a.clientSecret}`)).json();
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const path = `/v1/merchants/${a.merchantId}/credentials`;
      assert.equal((await apiCall(stack.base, 'GET', path, undefined, { authorization: `${scheme} ${a.apiKey}` })).status, 200, scheme);
      assert.equal((await apiCall(stack.base, 'GET', path, undefined, { authorization: `${scheme} ${token.access_token}` })).status, 200, scheme);
    }
  });

  test('an access token without exp is refused', async () => {
    const key = Buffer.from(TEST_ENV.ACCESS_TOKEN_KEY, 'base64');
    const clientId = a.clientId.split('.')[1];
    const forever = await new SignJWT({ cid: clientId }).setProtectedHeader({ alg: 'HS256' }).setSubject(a.merchantId)
      .setIssuedAt().sign(key);
    const res = await withBearer(forever);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_credentials');
  });
});

describe('401s say what is wrong', () => {
  test('missing credentials', async () => {
    const res = await fetch(`${stack.base}/v1/merchants/${a.merchantId}/credentials`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await res.json()).error, 'missing_credentials');
  });

  test('malformed: not a bearer, a broken API key, a token that is not ours', async () => {
    const basic = await apiCall(stack.base, 'GET', `/v1/merchants/${a.merchantId}/credentials`, undefined, { authorization: 'Basic eDp5' });
    assert.equal(basic.body.error, 'invalid_credentials');
    for (const bearer of ['ak.broken', 'not-a-token', `${a.apiKey}x`]) {
      const res = await withBearer(bearer);
      assert.equal(res.status, 401, bearer);
      assert.equal(res.body.error, 'invalid_credentials', bearer);
    }
    const forged = await new SignJWT({ cid: 'x' }).setProtectedHeader({ alg: 'HS256' }).setSubject(a.merchantId)
      .setExpirationTime('5m').sign(Buffer.alloc(32, 'someone-else'));
    assert.equal((await withBearer(forged)).body.error, 'invalid_credentials');
  });

  test('expired access token', async () => {
    const key = Buffer.from(TEST_ENV.ACCESS_TOKEN_KEY, 'base64');
    const clientId = a.clientId.split('.')[1];
    const expired = await new SignJWT({ cid: clientId }).setProtectedHeader({ alg: 'HS256' }).setSubject(a.merchantId)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key);
    const res = await withBearer(expired);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'expired_token');
    assert.match(res.body.message, /POST \/oauth\/token/);
  });

  test('revoked: an API key, and a client with the tokens it already has', async () => {
    const c = await stack.as(`conta-c-${run}`);
    const token = await (await tokenRequest(`grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.clientSecret}`)).json();
    const list = await c.call('GET', `/v1/merchants/${c.merchantId}/credentials`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.map((x: any) => x.kind).sort(), ['apiKey', 'client']);
    assert.ok(list.body.every((x: any) => x.digest === undefined && x.secret === undefined), 'no digest, no secret');
    const spare = await c.call('POST', `/v1/merchants/${c.merchantId}/credentials`, { kind: 'apiKey' });
    assert.equal(spare.status, 201);
    const spareCall = (path: string, method = 'GET') =>
      apiCall(stack.base, method, path, undefined, { authorization: `Bearer ${spare.body.secret}` });

    const unknown = await spareCall(`/v1/merchants/${c.merchantId}/credentials/0000000000`, 'DELETE');
    assert.deepEqual([unknown.status, unknown.body.message], [404, 'No credential 0000000000.'], 'refused by the update validator');
    const keyId = c.apiKey.split('.')[2];
    assert.equal((await spareCall(`/v1/merchants/${c.merchantId}/credentials/${keyId}`, 'DELETE')).status, 200);
    const revokedKey = await c.call('GET', `/v1/merchants/${c.merchantId}/credentials`);
    assert.equal(revokedKey.status, 401);
    assert.equal(revokedKey.body.error, 'revoked_credentials');

    const clientId = c.clientId.split('.')[1];
    assert.equal((await spareCall(`/v1/merchants/${c.merchantId}/credentials/${clientId}`, 'DELETE')).status, 200);
    const revokedToken = await withBearer(token.access_token, `/v1/merchants/${c.merchantId}/credentials`);
    assert.equal(revokedToken.body.error, 'revoked_credentials');
    const again = await tokenRequest(`grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.clientSecret}`);
    assert.equal(again.status, 401);
  });

  test('secrets compare in constant time (node:crypto timingSafeEqual over digests)', () => {
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abc', 'abd'), false);
    assert.equal(sameSecret('abc', 'a-much-longer-value'), false); // no length shortcut: both are digested first
  });

  test('public: health, the OpenAPI document, the token endpoint', async () => {
    assert.equal((await fetch(`${stack.base}/healthz`)).status, 200);
    assert.equal((await fetch(`${stack.base}/openapi.json`)).status, 200);
  });
});

describe("isolation: account B with account A's ids gets 404, and nothing of A's changes", () => {
  const snapshot = async () => ({
    urls: (await a.call('GET', `/v1/merchants/${a.merchantId}/callback-urls`)).body,
    endpoints: (await a.call('GET', `/v1/merchants/${a.merchantId}/endpoints`)).body,
    credentials: (await a.call('GET', `/v1/merchants/${a.merchantId}/credentials`)).body,
    secret: (await a.call('GET', `/v1/merchants/${a.merchantId}/endpoints/gerencianetNotificationUrl/signing-secret`)).body,
    delivery: (await a.call('GET', `/v1/deliveries/${aDelivery}`)).body,
    posts: receiver.requests.length,
  });

  test('every authenticated route', async () => {
    const m = a.merchantId;
    const credentialId = a.apiKey.split('.')[2];
    const sale = { outcome: 'authorized', cpfCnpj: '01001001000113', intencaoVendaReferencia: 'r' };
    const matrix: [string, string, unknown?][] = [
      ['PUT', `/v1/merchants/${m}/callback-urls`, { gerencianetNotificationUrl: 'https://evil.example/n' }],
      ['GET', `/v1/merchants/${m}/callback-urls`],
      ['POST', `/v1/merchants/${m}/charges/2/status-changes`, { currentStatus: 'paid' }],
      ['GET', `/v1/notifications/${aToken}`],
      ['POST', `/v1/merchants/${m}/sale-intents/9/finalization`, sale],
      ['GET', `/v1/merchants/${m}/sale-intents/9`],
      ['POST', `/v1/merchants/${m}/print-intents/9/status-changes`, { status: 5, intencaoImpressaoReferencia: 'r' }],
      ['GET', `/v1/merchants/${m}/print-intents/9`],
      ['GET', `/v1/merchants/${m}/endpoints`],
      ['POST', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/test`],
      ['POST', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/activation`],
      ['GET', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/notifications`],
      ['POST', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/resends`, { confirmCount: 1 }],
      ['GET', `/v1/merchants/${m}/resends/resend-${m}-gerencianetNotificationUrl-x`],
      ['GET', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/signing-secret`],
      ['POST', `/v1/merchants/${m}/endpoints/gerencianetNotificationUrl/signing-secret/rotation`],
      ['GET', `/v1/merchants/${m}/credentials`],
      ['POST', `/v1/merchants/${m}/credentials`, { kind: 'apiKey' }],
      ['DELETE', `/v1/merchants/${m}/credentials/${credentialId}`],
      ['GET', `/v1/deliveries/${aDelivery}`],
      ['POST', `/v1/merchants/${m}/return-files`, { cnpjCedente: '01001001000113', protocolo: 'p1' }],
      ['GET', `/v1/merchants/${m}/return-files`],
      ['GET', `/v1/merchants/${m}/return-files/return-protocol.01001001000113.p1`],
      ['POST', `/v1/merchants/${m}/debt-queries`, { clientRequestId: 'k1', licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF' }],
      ['POST', `/v1/merchants/${m}/events`, { type: 'order.created', data: {} }],
      ['POST', `/v1/merchants/${m}/portal-sessions`, {}],
      ['POST', `/v1/merchants/${m}/payments`, {
        clientRequestId: 'k1', debtId: 'D1', amount: 10, licensePlate: 'DIS9865', renavam: '01203988813', state: 'DF',
      }],
    ];
    // Every route of the API is in the matrix, or public.
    const doc = (await stack.call('GET', '/openapi.json')).body;
    const templates = matrix.map(([method, path]) => `${method.toLowerCase()} ${path}`);
    for (const [path, methods] of Object.entries<any>(doc.paths)) {
      if (['/healthz', '/oauth/token'].includes(path)) continue;
      for (const method of Object.keys(methods)) {
        const pattern = new RegExp(`^${method} ${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        assert.ok(templates.some((t) => pattern.test(t)), `${method} ${path} is not in the isolation matrix`);
      }
    }

    const before = await snapshot();
    for (const [method, path, body] of matrix) {
      const res = await b.call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, 'not_found');
      assert.doesNotMatch(JSON.stringify(res.body), /forbidden|another account|not yours/i);
    }
    assert.deepEqual(await snapshot(), before);
    // What B gets for A's id is what anybody gets for an id that does not exist.
    const unknown = await b.call('GET', `/v1/merchants/ninguem-${run}/callback-urls`);
    const others = await b.call('GET', `/v1/merchants/${m}/callback-urls`);
    assert.equal(others.body.message.replace(m, 'X'), unknown.body.message.replace(`ninguem-${run}`, 'X'));
  });
});
