// Issue 16: every client error a 4xx with a clear code (never the 503 "retry it" of a server fault), and the
// headers every answer carries. A real dev stack, real HTTP on loopback.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { createApp } from '../api/app';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { TEST_ENV, testConfig } from './support/testConfig';

let stack: DevStack;
let shop: Account;
const merchant = `loja-http-${Date.now().toString(36)}`;
const UI_PORT = 18233; // never listened on: only its origin matters
const config = testConfig({ TEMPORAL_TASK_QUEUE: 'arauto-http-hardening-test', TEMPORAL_UI_PORT: String(UI_PORT) });

before(async () => {
  // The Web UI on a port of its own.
  stack = await startDevStack(config);
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

  test('a JSON route given a form, text, a body without a type or no body answers 415 saying what it expects', async () => {
    const cases: [Record<string, string>, string | undefined][] = [
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'currentStatus=paid'],
      [{ 'content-type': 'text/plain' }, paid],
      [{}, paid],
      [{}, undefined], // no body where one is needed
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

describe('headers', () => {
  test('every answer carries nosniff and a Content-Security-Policy', async () => {
    const answers = [
      await fetch(`${stack.base}/healthz`),
      await fetch(`${stack.base}/openapi.json`),
      await fetch(`${stack.base}/docs/`),
      await fetch(`${stack.base}/docs/swagger-ui-init.js`),
      await fetch(`${stack.base}/codec/session`),
      await fetch(`${stack.base}/nowhere`),
      await fetch(`${stack.base}/v1/deliveries/%E0%A4%A`),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self';/, res.url);
    }
  });

  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const missing = existsSync(chromiumPath) ? undefined : `No Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`;
  test('/docs renders in a browser under its CSP', { skip: !process.env.CI && missing }, async () => {
    if (missing) assert.fail(missing); // in CI a missing browser is a failure, not a skip
    const browser = await chromium.launch({ executablePath: chromiumPath });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
      const answer = await page.goto(`${stack.base}/docs/`);
      assert.match((await answer?.allHeaders())?.['content-security-policy'] ?? '', /script-src 'self'/);
      // Rendered by Swagger UI's scripts: the document's title and an operation of it.
      await page.getByText('/v1/merchants/{merchantId}/callback-urls').first().waitFor();
      await page.locator('.swagger-ui .info .title', { hasText: 'Arauto' }).waitFor();
      assert.deepEqual(violations, []);
    } finally {
      await browser.close();
    }
  });

  /** The codec session form's cookie, as the API answers it to `headers`. */
  const sessionCookie = async (base: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/codec/session`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: `token=${TEST_ENV.CODEC_AUTH_TOKEN}`,
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    return res.headers.get('set-cookie') ?? '';
  };

  test('the codec cookie is Secure over HTTPS: behind a trusted proxy saying so', async () => {
    assert.doesNotMatch(await sessionCookie(stack.base), /Secure/i, 'plain HTTP');
    // An API trusting no proxy (the default) believes no X-Forwarded-Proto.
    assert.doesNotMatch(await sessionCookie(stack.base, { 'x-forwarded-proto': 'https' }), /Secure/i);
    // One behind a proxy on loopback (what the trusted-proxies setting sets) believes it.
    const app = createApp({ client: stack.client, config });
    app.set('trust proxy', 'loopback');
    const behindProxy = app.listen(0, '127.0.0.1');
    await new Promise((r) => behindProxy.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(behindProxy.address() as AddressInfo).port}`;
      assert.match(await sessionCookie(base, { 'x-forwarded-proto': 'https' }), /; Secure/i);
      assert.doesNotMatch(await sessionCookie(base), /Secure/i);
    } finally {
      behindProxy.close();
    }
  });

  test("the codec answers the Web UI's origin on TEMPORAL_UI_PORT, and no other", async () => {
    const preflight = (origin: string) => fetch(`${stack.base}/codec/decode`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' },
    });
    for (const origin of [`http://localhost:${UI_PORT}`, `http://127.0.0.1:${UI_PORT}`]) {
      const res = await preflight(origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    }
    for (const origin of ['http://localhost:8233', 'http://evil.example']) {
      assert.equal((await preflight(origin)).headers.get('access-control-allow-origin'), null, origin);
    }
  });
});
