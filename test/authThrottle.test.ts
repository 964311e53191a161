// Throttling of failed authentications (issue 16): counts, not clocks. The window is an hour, so nothing here
// expires while it runs; each test calls from source addresses of its own (on Linux 127.0.0.0/8 is all loopback:
// a request bound to 127.0.3.1 reaches the API from 127.0.3.1), so no test spends another's budget.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { testConfig } from './support/testConfig';

const PER_CREDENTIAL = 3;
const PER_ADDRESS = 6;
const ENTRIES = 40;
const PROXY = '127.0.0.9';
let stack: DevStack;
let a: Account;
let b: Account;
const run = Date.now().toString(36);

before(async () => {
  stack = await startDevStack(testConfig({
    TEMPORAL_TASK_QUEUE: 'arauto-throttle-test',
    AUTH_FAILURES_PER_CREDENTIAL: String(PER_CREDENTIAL),
    AUTH_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
    AUTH_FAILURE_WINDOW_S: '3600',
    AUTH_THROTTLE_ENTRIES: String(ENTRIES),
    API_TRUSTED_PROXIES: PROXY,
  }));
  a = await stack.as(`limite-a-${run}`);
  b = await stack.as(`limite-b-${run}`);
});
after(async () => {
  await stack?.stop();
});

interface Answer {
  status: number;
  retryAfter?: string;
  body: any;
}

/** A request whose TCP source is `source`. */
function from(source: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const { port } = new URL(stack.base);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, localAddress: source }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({
        status: res.statusCode!, retryAfter: res.headers['retry-after'], body: /^[[{]/.test(text) ? JSON.parse(text) : text,
      }));
    });
    req.on('error', reject).end(body);
  });
}

const token = (source: string, clientId: string, secret: string, headers: Record<string, string> = {}) =>
  from(source, 'POST', '/oauth/token', { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}`);
const withKey = (source: string, account: Account, apiKey: string, headers: Record<string, string> = {}) =>
  from(source, 'GET', `/v1/merchants/${account.merchantId}/credentials`, { authorization: `Bearer ${apiKey}`, ...headers });
const wrong = (secret: string) => `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
const unknownKey = (account: Account) => `ak.${account.merchantId}.${randomBytes(5).toString('hex')}.${randomBytes(32).toString('base64url')}`;

function assertThrottled(res: Answer, what: string) {
  assert.equal(res.status, 429, `${what}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error, 'too_many_attempts', what);
  const s = Number(res.retryAfter);
  assert.ok(Number.isInteger(s) && s >= 1 && s <= 3600, `${what}: Retry-After ${res.retryAfter}`);
}

test('wrong client secrets: N refusals, then 429 for that client from that source, even with the right secret', async () => {
  for (let i = 0; i < PER_CREDENTIAL; i++) assert.equal((await token('127.0.2.1', a.clientId, wrong(a.clientSecret))).status, 401);
  assertThrottled(await token('127.0.2.1', a.clientId, wrong(a.clientSecret)), 'another guess');
  assertThrottled(await token('127.0.2.1', a.clientId, a.clientSecret), 'the right secret: no oracle while throttled');
  // Another client from the same source, and the same client from another source, keep working.
  assert.equal((await token('127.0.2.1', b.clientId, b.clientSecret)).status, 200);
  assert.equal((await token('127.0.2.2', a.clientId, a.clientSecret)).status, 200);
});

test('wrong or unknown API keys: the credential budget, then the source budget', async () => {
  for (let i = 0; i < PER_CREDENTIAL; i++) assert.equal((await withKey('127.0.3.1', a, wrong(a.apiKey))).status, 401);
  assertThrottled(await withKey('127.0.3.1', a, a.apiKey), "a's key from the source that guessed it");
  assert.equal((await withKey('127.0.3.1', b, b.apiKey)).status, 200, "b's key from the same source");
  // A spray of unknown keys: each id is new, the source's budget is spent all the same.
  for (let i = PER_CREDENTIAL; i < PER_ADDRESS; i++) assert.equal((await withKey('127.0.3.1', a, unknownKey(a))).status, 401);
  assertThrottled(await withKey('127.0.3.1', a, unknownKey(a)), 'an unknown key');
  assertThrottled(await withKey('127.0.3.1', b, b.apiKey), "b's key: the whole source is throttled");
  assertThrottled(await token('127.0.3.1', b.clientId, b.clientSecret), 'the token endpoint too');
  assert.equal((await withKey('127.0.3.2', a, a.apiKey)).status, 200, 'another source');
});

test('malformed keys and tokens that are not ours count against the source', async () => {
  const forged = await new SignJWT({ cid: 'x' }).setProtectedHeader({ alg: 'HS256' }).setSubject(a.merchantId)
    .setExpirationTime('5m').sign(Buffer.alloc(32, 'someone-else'));
  const guesses = ['ak.broken', 'not-a-token', forged];
  for (let i = 0; i < PER_ADDRESS; i++) assert.equal((await withKey('127.0.4.1', a, guesses[i % 3])).status, 401);
  assertThrottled(await withKey('127.0.4.1', a, forged), 'a forged token');
  assertThrottled(await withKey('127.0.4.1', a, a.apiKey), 'a right key');
  assert.equal((await withKey('127.0.4.2', a, a.apiKey)).status, 200);
});

test('X-Forwarded-For names the source behind API_TRUSTED_PROXIES only; an IPv6 source is its /64', async () => {
  // From an untrusted peer the header is ignored: a guesser cannot spread its guesses over invented sources.
  for (let i = 0; i < PER_ADDRESS; i++) {
    assert.equal((await withKey('127.0.5.1', a, unknownKey(a), { 'x-forwarded-for': `198.51.100.${i}` })).status, 401);
  }
  assertThrottled(await withKey('127.0.5.1', a, a.apiKey, { 'x-forwarded-for': '198.51.100.200' }), 'untrusted peer');
  // Behind the trusted proxy, each client is its own source.
  for (let i = 0; i < PER_ADDRESS; i++) {
    assert.equal((await withKey(PROXY, a, unknownKey(a), { 'x-forwarded-for': `2001:db8:0:7::${i + 1}` })).status, 401);
  }
  assertThrottled(await withKey(PROXY, a, a.apiKey, { 'x-forwarded-for': '2001:db8:0:7::ffff' }), 'same /64');
  assert.equal((await withKey(PROXY, a, a.apiKey, { 'x-forwarded-for': '2001:db8:0:8::1' })).status, 200, 'another /64');
  assert.equal((await withKey(PROXY, a, a.apiKey, { 'x-forwarded-for': '198.51.100.7' })).status, 200, 'another client');
});

test('bounded: past AUTH_THROTTLE_ENTRIES windows, the oldest are dropped', async () => {
  for (let i = 0; i < PER_ADDRESS; i++) assert.equal((await withKey('127.0.6.1', a, unknownKey(a))).status, 401);
  assertThrottled(await withKey('127.0.6.1', a, a.apiKey), 'throttled');
  // One failure from each of ENTRIES sources: two windows each (the source, its credential), the oldest go.
  for (let i = 1; i <= ENTRIES; i++) assert.equal((await withKey(`127.0.7.${i}`, a, unknownKey(a))).status, 401);
  assert.equal((await withKey('127.0.6.1', a, a.apiKey)).status, 200, 'its window was dropped');
});
