// Connecting to a self-hosted cluster with TLS or to Temporal Cloud (D7): the same TEMPORAL_TLS_* and
// TEMPORAL_API_KEY variables reach both SDK connections (the client's, used by the API, and the worker's).
// No cluster with TLS runs here, so a loopback HTTP/2 server with its own CA stands in for the frontend: it
// demands a client certificate and records what each connection presents before refusing the call.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig, temporalConnectionOptions } from '../lib/config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'arauto-tls-'));
const file = (name: string) => path.join(dir, name);
const API_KEY = 'cloud-api-key-for-the-test';

/** A CA, a server certificate for `localhost` and a client certificate `arauto-worker`, all signed by the CA. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=arauto-test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  for (const [name, cn, ext] of [['server', 'localhost', 'subjectAltName=DNS:localhost'],
    ['client', 'arauto-worker', 'extendedKeyUsage=clientAuth']]) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${cn}`,
      '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(file(`${name}.ext`), `${ext}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  }
}

interface Seen { clientCN?: string; authorization?: string; path?: string }
const seen: Seen[] = [];
let frontend: http2.Http2SecureServer;
const sessions = new Set<http2.ServerHttp2Session>();
let address: string;

before(async () => {
  makeCertificates();
  frontend = http2.createSecureServer({
    key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')),
    requestCert: true, rejectUnauthorized: true,
  });
  frontend.on('session', (session) => sessions.add(session));
  frontend.on('stream', (stream, headers) => {
    const socket = stream.session!.socket as TLSSocket;
    seen.push({
      clientCN: socket.getPeerCertificate().subject?.CN as string | undefined,
      authorization: headers.authorization as string | undefined,
      path: headers[':path'] as string,
    });
    // A trailers-only gRPC answer: the call fails, the connection attempt ends.
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'test frontend' },
      { endStream: true });
  });
  await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(frontend.address() as AddressInfo).port}`;
});

// The clients keep their HTTP/2 sessions open to retry; close() alone would wait for them forever.
after(() => {
  for (const session of sessions) session.destroy();
  frontend.close();
});

const cloudLike = () => loadConfig({
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS_CA_FILE: file('ca.pem'),
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
  TEMPORAL_TLS_CERT_FILE: file('client.pem'),
  TEMPORAL_TLS_KEY_FILE: file('client.key'),
  TEMPORAL_API_KEY: API_KEY,
});

test('the client connection (API, scripts) presents the client certificate and the API key over TLS', async () => {
  seen.length = 0;
  await assert.rejects(Connection.connect({ ...temporalConnectionOptions(cloudLike()), connectTimeout: 10_000 }));
  assert.ok(seen.length > 0, 'the frontend saw no call: the TLS handshake failed');
  assert.deepEqual(seen[0], {
    clientCN: 'arauto-worker', authorization: `Bearer ${API_KEY}`,
    path: '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
  });
});

test('the worker connection presents the same', async () => {
  seen.length = 0;
  await assert.rejects(NativeConnection.connect(temporalConnectionOptions(cloudLike())));
  assert.ok(seen.length > 0, 'the frontend saw no call: the TLS handshake failed');
  assert.equal(seen[0].clientCN, 'arauto-worker');
  assert.equal(seen[0].authorization, `Bearer ${API_KEY}`);
});

test('TLS is off without TLS settings, on with an API key alone; inconsistent settings are refused, naming them', () => {
  assert.equal(temporalConnectionOptions(loadConfig({})).tls, false);
  const keyOnly = temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }));
  assert.deepEqual(keyOnly.tls, { serverNameOverride: undefined, serverRootCACertificate: undefined, clientCertPair: undefined });
  assert.throws(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: file('client.pem') }), /TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE: set both/);
  assert.throws(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }), /TEMPORAL_TLS: false/);
  assert.throws(() => loadConfig({ TEMPORAL_TLS: 'yes' }), /TEMPORAL_TLS/);
  assert.throws(
    () => temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CA_FILE: file('missing.pem') })),
    (err: unknown) => err instanceof ConfigError && /TEMPORAL_TLS_CA_FILE: cannot read .*missing\.pem \(ENOENT\)/.test(err.message),
  );
});
