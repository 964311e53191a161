// The SSRF floor (issue 5, Outbound safety): callback URLs may reach public addresses only, checked at
// registration and again on the address every attempt connects to; redirects are never followed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { createPostCallback } from '../activities/postCallback';
import { loadConfig } from '../lib/config';
import { AddressPolicy } from '../lib/outbound';
import { buildCallbackRequest } from '../workflows/callbackRequest';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { TEST_ENV } from './support/testConfig';

const FORBIDDEN: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['::1', /loopback/],
  ['::ffff:127.0.0.1', /loopback/],
  ['10.1.2.3', /private/],
  ['172.16.0.9', /private/],
  ['192.168.0.10', /private/],
  ['100.64.0.1', /private/],
  ['fd12:3456::1', /private/],
  ['169.254.169.254', /metadata/],
  ['100.100.100.200', /metadata/],
  ['fe80::1', /link-local/],
  ['0.0.0.0', /non-public/],
  ['224.0.0.1', /non-public/],
];

describe('address policy', () => {
  const policy = AddressPolicy.allowing();
  for (const [address, kind] of FORBIDDEN) {
    test(`refuses ${address}`, () => assert.match(policy.refusal(address) ?? 'allowed', kind));
  }
  test('allows public unicast addresses', () => {
    assert.equal(policy.refusal('200.160.2.3'), undefined);
    assert.equal(policy.refusal('2804:14c::1'), undefined);
  });
  test('CALLBACK_ALLOWED_NETWORKS allows exactly the networks it names', () => {
    const dev = AddressPolicy.allowing(loadConfig({ CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8' }).CALLBACK_ALLOWED_NETWORKS);
    assert.equal(dev.refusal('127.0.0.1'), undefined);
    assert.match(dev.refusal('10.0.0.1') ?? '', /private/);
    assert.throws(() => loadConfig({ CALLBACK_ALLOWED_NETWORKS: '127.0.0.1' }), /CALLBACK_ALLOWED_NETWORKS/);
  });
});

describe('registration refuses forbidden destinations', () => {
  let stack: DevStack;
  let shop: Account;
  before(async () => {
    // The default policy: public addresses only.
    stack = await startDevStack(loadConfig({ ...TEST_ENV, CALLBACK_ALLOWED_NETWORKS: '', TEMPORAL_TASK_QUEUE: 'arauto-ssrf-test' }));
    shop = await stack.as('loja-ssrf');
  });
  after(() => stack?.stop());

  const cases: [string, RegExp][] = [
    ['http://127.0.0.1:8080/notificacao', /loopback/],
    ['http://localhost/notificacao', /127\.0\.0\.1 is a loopback/], // a hostname that resolves to 127.0.0.1
    ['http://[::1]/x', /loopback/],
    ['https://10.0.0.7/x', /private/],
    ['http://169.254.169.254/latest/meta-data/', /metadata/],
    ['http://[fe80::1]/x', /link-local/],
  ];
  for (const [url, reason] of cases) {
    test(url, async () => {
      const { status, body } = await shop.call('PUT', '/v1/merchants/loja-ssrf/callback-urls', { controlpaySaleUrl: url });
      assert.equal(status, 400);
      assert.equal(body.fields[0].field, 'body.controlpaySaleUrl');
      assert.match(body.fields[0].message, reason);
    });
  }
  test('only http(s), no credentials in the URL', async () => {
    for (const url of ['ftp://loja.example/x', 'file:///etc/passwd', 'https://user:pw@loja.example/x']) {
      const { status } = await shop.call('PUT', '/v1/merchants/loja-ssrf/callback-urls', { controlpaySaleUrl: url });
      assert.equal(status, 400, url);
    }
  });
});

describe('every attempt checks the address it connects to', () => {
  let receiver: Receiver;
  before(async () => { receiver = await Receiver.start(); });
  after(() => receiver.stop());
  const noClient = {} as Client; // no unlessInactive here: the client is never used
  const attempt = (policy: AddressPolicy, url: string) => createPostCallback(noClient, policy, Buffer.alloc(32))({
    request: buildCallbackRequest(url, {
      type: 'charge-status-changed', token: 't', chargeId: '1', customId: null, previousStatus: null,
      currentStatus: 'paid', occurredAt: new Date().toISOString(),
    }),
    timeoutMs: 2000,
  });

  test('a hostname resolving to loopback fails with forbidden_address, and nothing reaches it', async () => {
    const port = new URL(receiver.url).port;
    const byName = await attempt(AddressPolicy.allowing(), `http://localhost:${port}/n`);
    const byIp = await attempt(AddressPolicy.allowing(), `http://127.0.0.1:${port}/n`);
    for (const outcome of [byName, byIp]) {
      assert.equal(outcome.errorClass, 'forbidden_address');
      assert.match(outcome.errorMessage ?? '', /loopback/);
    }
    assert.equal(receiver.requests.length, 0);
  });

  test("a receiver's answer is read up to 512 bytes, and no longer than the attempt's timeout", async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(200);
      if (req.url === '/huge') return void res.end(Buffer.alloc(5 * 2 ** 20, 'x')); // 5 MB
      res.write('parcial'); // a body that never ends
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const huge = await attempt(AddressPolicy.allowing(['127.0.0.0/8']), `${base}/huge`);
      assert.equal(huge.statusCode, 200);
      assert.equal(huge.responseExcerpt.length, 512);
      const stalled = await attempt(AddressPolicy.allowing(['127.0.0.0/8']), `${base}/stalled`);
      assert.equal(stalled.statusCode, 200, 'the status decides the attempt; the body read stops at the timeout');
      assert.equal(stalled.responseExcerpt, 'parcial');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('a redirect is a failed attempt, never followed (even to an allowed address)', async () => {
    receiver.respond(['redirect']);
    const outcome = await attempt(AddressPolicy.allowing(['127.0.0.0/8']), `${receiver.url}/n`);
    assert.equal(outcome.statusCode, 302);
    assert.equal(receiver.requestsTo('/redirected').length, 0);
  });
});
