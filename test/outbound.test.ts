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
import { buildCallbackRequest } from '../providers/registry';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { TEST_ENV } from './support/testConfig';

/**
 * Every form of a non-public destination (issue 16) and what its refusal says: loopback, RFC 1918, CGNAT,
 * link-local and metadata in dotted, decimal, hex and octal; IPv4-mapped, IPv4-compatible (::/96), SIIT, NAT64,
 * 6to4 and Teredo; and each block of IANA's special-purpose registries.
 */
const NON_PUBLIC: [string, RegExp][] = [
  ['http://127.0.0.1:8080/notificacao', /loopback/],
  ['http://127.1/', /loopback/],
  ['http://2130706433/', /loopback/],
  ['http://0x7f000001/', /loopback/],
  ['http://0177.0.0.1/', /loopback/],
  ['http://localhost/notificacao', /is a loopback/], // a hostname that resolves to 127.0.0.1
  ['http://[::1]/x', /loopback/],
  ['http://[::ffff:127.0.0.1]/', /loopback/],
  ['http://[::ffff:7f00:1]/', /loopback/],
  ['https://10.0.0.7/x', /private/],
  ['http://012.0.0.1/', /private/],
  ['http://172.16.0.9/', /private/],
  ['http://172.31.255.254/', /private/],
  ['http://192.168.0.10/', /private/],
  ['http://0xc0a80001/', /private/],
  ['http://3232235521/', /private/],
  ['http://[::ffff:10.0.0.1]/', /private/],
  ['http://100.64.0.1/', /private/],
  ['http://100.127.255.254/', /private/],
  ['http://[fc00::1]/', /private/],
  ['http://[fd12:3456::1]/', /private/],
  ['http://169.254.1.1/', /link-local/],
  ['http://[fe80::1]/x', /link-local/],
  ['http://[febf::1]/', /link-local/],
  ['http://169.254.169.254/latest/meta-data/', /metadata/],
  ['http://2852039166/', /metadata/],
  ['http://0xa9fea9fe/', /metadata/],
  ['http://0251.0376.0251.0376/', /metadata/],
  ['http://[::ffff:169.254.169.254]/', /metadata/],
  ['http://169.254.170.2/', /metadata/],
  ['http://100.100.100.200/', /metadata/],
  ['http://[fd00:ec2::254]/', /metadata/],
  ['http://[::7f00:1]/', /IPv4-compatible/],
  ['http://[::127.0.0.1]/', /IPv4-compatible/],
  ['http://[::a9fe:a9fe]/', /IPv4-compatible/],
  ['http://[::a00:1]/', /IPv4-compatible/],
  ['http://[::8.8.8.8]/', /IPv4-compatible/],
  ['http://0.0.0.0/', /unspecified/],
  ['http://0/', /unspecified/],
  ['http://[::]/', /unspecified/],
  ['http://255.255.255.255/', /broadcast/],
  ['http://224.0.0.1/', /multicast/],
  ['http://239.255.255.250/', /multicast/],
  ['http://[ff02::1]/', /multicast/],
  ['http://[ff0e::1]/', /multicast/],
  ['http://192.0.0.8/', /reserved/],
  ['http://192.0.2.1/', /reserved/],
  ['http://192.88.99.1/', /reserved/],
  ['http://198.18.0.1/', /reserved/],
  ['http://198.51.100.7/', /reserved/],
  ['http://203.0.113.9/', /reserved/],
  ['http://240.0.0.1/', /reserved/],
  ['http://[::ffff:0:a00:1]/', /rfc6145/], // SIIT
  ['http://[64:ff9b::7f00:1]/', /rfc6052/], // NAT64
  ['http://[64:ff9b::a9fe:a9fe]/', /rfc6052/],
  ['http://[64:ff9b:1::a00:1]/', /rfc6052/],
  ['http://[2002:7f00:1::1]/', /6to4/],
  ['http://[2002:a9fe:a9fe::1]/', /6to4/],
  ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', /teredo/], // its client: 127.0.0.1
  ['http://[fec0::1]/', /SiteLocal/],
  ['http://[100::1]/', /discard/],
  ['http://[100:0:0:1::1]/', /reserved/],
  ['http://[2001:1::1]/', /reserved/],
  ['http://[2001:2::1]/', /benchmarking/],
  ['http://[2001:3::1]/', /amt/],
  ['http://[2001:4:112::1]/', /as112/],
  ['http://[2001:10::1]/', /Orchid/],
  ['http://[2001:20::1]/', /orchid/],
  ['http://[2001:30::1]/', /drone/],
  ['http://[2001:db8::1]/', /reserved/],
  ['http://[3fff::1]/', /reserved/],
  ['http://[5f00::1]/', /segmentRouting/],
  ['http://[2620:4f:8000::1]/', /as112/],
  ['http://[1::1]/', /reserved/],
  ['http://[4000::1]/', /reserved/],
  ['http://[e000::1]/', /reserved/],
];

const PUBLIC = ['http://200.160.2.3/n', 'https://8.8.8.8/n', 'http://[::ffff:200.160.2.3]/n', 'http://[2804:14c::1]/n',
  'http://[2001:4860:4860::8888]/n', 'http://[2606:4700:4700::1111]/n'];

const noClient = {} as Client; // no unlessInactive here: the client is never used
const attempt = (policy: AddressPolicy, url: string) => createPostCallback(noClient, policy, Buffer.alloc(32))({
  request: buildCallbackRequest(url, {
    type: 'charge-status-changed', token: 't', chargeId: '1', customId: null, previousStatus: null,
    currentStatus: 'paid', occurredAt: new Date().toISOString(),
  }),
  timeoutMs: 2000,
});

describe('address policy', () => {
  const policy = AddressPolicy.allowing();
  for (const [url, kind] of NON_PUBLIC) {
    test(`an attempt to ${url} is refused before connecting`, async () => {
      const outcome = await attempt(policy, url);
      assert.equal(outcome.errorClass, 'forbidden_address', JSON.stringify(outcome));
      assert.match(outcome.errorMessage ?? '', kind);
    });
  }
  test('IPv4-compatible addresses are refused in either notation', () => {
    for (const address of ['::127.0.0.1', '::7f00:1', '::8.8.8.8', '::808:808']) {
      assert.match(policy.refusal(address) ?? 'allowed', /IPv4-compatible/, address);
    }
  });
  test('allows public unicast addresses', () => {
    for (const url of PUBLIC) {
      const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
      assert.equal(policy.refusal(host), undefined, url);
    }
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

  for (const [url, reason] of NON_PUBLIC) {
    test(url, async () => {
      const { status, body } = await shop.call('PUT', '/v1/merchants/loja-ssrf/callback-urls', { controlpaySaleUrl: url });
      assert.equal(status, 400);
      assert.equal(body.fields[0].field, 'body.controlpaySaleUrl');
      assert.match(body.fields[0].message, reason);
    });
  }
  test('public addresses are registered', async () => {
    for (const url of PUBLIC) {
      const { status, body } = await shop.call('PUT', '/v1/merchants/loja-ssrf/callback-urls', { controlpaySaleUrl: url });
      assert.equal(status, 200, `${url}: ${JSON.stringify(body)}`);
    }
  });
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
