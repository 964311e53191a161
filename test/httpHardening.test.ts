// Issue 16: every client error a 4xx with a clear code (never the 503 "retry it" of a server fault), and the
// headers every answer carries. A real dev stack, real HTTP on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { testConfig } from './support/testConfig';

let stack: DevStack;
let shop: Account;
const merchant = `loja-http-${Date.now().toString(36)}`;

before(async () => {
  stack = await startDevStack(testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-http-hardening-test' }));
  shop = await stack.as(merchant);
});
after(() => stack?.stop());

/** A request exactly as given: these headers and this body, nothing added (fetch adds no type to bytes). */
async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`${stack.base}${path}`, {
    method, headers: { authorization: `Bearer ${shop.apiKey}`, ...headers },
    body: body === undefined ? undefined : new TextEncoder().encode(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (/^[[{]/.test(text) ? JSON.parse(text) : text) as any };
}

const chargePath = () => `/v1/merchants/${merchant}/charges/1/status-changes`;
const paid = JSON.stringify({ currentStatus: 'paid' });

describe('client errors are 4xx with a clear code', () => {
  test('a charset other than UTF-8 is a 415', async () => {
    const res = await send('POST', chargePath(), { 'content-type': 'application/json; charset=latin1' }, paid);
    assert.equal(res.status, 415, JSON.stringify(res.body));
    assert.equal(res.body.error, 'unsupported_media_type');
    assert.match(res.body.message, /UTF-8/);
  });

  test('an unsupported Content-Encoding is a 415', async () => {
    const res = await send('POST', chargePath(), { 'content-type': 'application/json', 'content-encoding': 'compress' }, paid);
    assert.equal(res.status, 415, JSON.stringify(res.body));
    assert.equal(res.body.error, 'unsupported_media_type');
  });

  test('a path that is not valid percent-encoding is a 400 on the path', async () => {
    const res = await send('GET', '/v1/deliveries/%E0%A4%A', {});
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error, 'invalid_request');
    assert.deepEqual(res.body.fields.map((f: any) => f.field), ['path']);
  });

  test('an IPv6 zone id in a callback URL is a 400 naming the field', async () => {
    for (const url of ['http://[fe80::1%25lo]/', 'http://[fe80::1%lo]/x', 'http://exa mple.com/']) {
      const res = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { controlpaySaleUrl: url });
      assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.fields.map((f: any) => f.field), ['body.controlpaySaleUrl']);
      assert.match(res.body.fields[0].message, /host/);
    }
  });

  test('a JSON route given a form, text or a body without a type answers 415 saying what it expects', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'currentStatus=paid'],
      [{ 'content-type': 'text/plain' }, paid],
      [{}, paid],
    ];
    for (const [headers, body] of cases) {
      const res = await send('POST', chargePath(), headers, body);
      assert.equal(res.status, 415, `${JSON.stringify(headers)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, 'unsupported_media_type');
      assert.match(res.body.message, /application\/json/);
      assert.equal(res.headers.get('accept'), 'application/json');
    }
  });

  test('the token endpoint takes the RFC 6749 form and JSON, nothing else', async () => {
    const form = `grant_type=client_credentials&client_id=${encodeURIComponent(shop.clientId)}&client_secret=${encodeURIComponent(shop.clientSecret)}`;
    const json = JSON.stringify({ grant_type: 'client_credentials', client_id: shop.clientId, client_secret: shop.clientSecret });
    assert.equal((await send('POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded' }, form)).status, 200);
    assert.equal((await send('POST', '/oauth/token', { 'content-type': 'application/json' }, json)).status, 200);
    const text = await send('POST', '/oauth/token', { 'content-type': 'text/plain' }, form);
    assert.equal(text.status, 415);
    assert.equal(text.headers.get('accept'), 'application/x-www-form-urlencoded, application/json');
  });

  test('requests without a body keep working', async () => {
    const registered = await shop.call('PUT', `/v1/merchants/${merchant}/callback-urls`, { gerencianetNotificationUrl: 'http://200.160.2.3/n' });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.equal((await send('GET', `/v1/merchants/${merchant}/callback-urls`, {})).status, 200);
    // A route whose body is all optional: no body is a preview of nothing.
    const preview = await send('POST', `/v1/merchants/${merchant}/endpoints/gerencianetNotificationUrl/resends`, {});
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
  });
});
