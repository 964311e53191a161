// Issue 16, point 7: the OpenAPI document is the contract. schemathesis (provisioned into .tools/venv by
// scripts/provision.sh) fuzzes a real stack from its /openapi.json with every check on, and any failure fails the
// suite; a few of its findings are also pinned below, one test each.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CelcoinEmulator } from '../emulators/celcoin';
import { PlugBoletoEmulator } from '../emulators/plugboleto';
import { ENDPOINT_NAMES } from '../providers/registry';
import { startDevStack, type Account, type DevStack } from './support/devStack';
import { Receiver } from './support/receiver';
import { testConfig } from './support/testConfig';

const root = path.resolve(__dirname, '..');
const SCHEMATHESIS = path.join(root, '.tools/venv/bin/schemathesis');
/** Per operation and phase: bounds the run (about 2 100 cases, about 30 s on the shared 2-core build machine). */
const MAX_EXAMPLES = 50;
/** Fixed, so that a run is repeated by running it again (schemathesis prints it; change it to explore elsewhere). */
const SEED = 16;

let celcoin: CelcoinEmulator;
let plugboleto: PlugBoletoEmulator;
let receiver: Receiver;
let stack: DevStack;
let fuzzer: Account;
let revoker: Account;
let doc: any;

before(async () => {
  celcoin = await CelcoinEmulator.start(0, { processingMs: 50 });
  plugboleto = await PlugBoletoEmulator.start({ credentials: {}, msPerByte: 0 });
  receiver = await Receiver.start();
  stack = await startDevStack(testConfig({
    TEMPORAL_TASK_QUEUE: 'arauto-openapi-fuzz-test', PAYMENTS_BASE_URL: celcoin.url, PLUGBOLETO_BASE_URL: plugboleto.url,
    // The fuzzer fails authentication on purpose (no or a made-up credential, to see it refused with 401): were
    // it throttled (429, issue 16 point 4), its own probes would read as authentication not enforced.
    AUTH_FAILURES_PER_ADDRESS: '1000000', AUTH_FAILURES_PER_CREDENTIAL: '1000000',
  }));
  const run = Date.now().toString(36);
  fuzzer = await stack.as(`fuzz-${run}`);
  revoker = await stack.as(`fuzz-revoker-${run}`); // DELETE …/credentials/… runs as this one (test/fuzz/schemathesis.toml)
  // Registered before the run, so that the endpoint routes reach their logic rather than 409 from the start.
  const registered = await fuzzer.call('PUT', `/v1/merchants/${fuzzer.merchantId}/callback-urls`,
    Object.fromEntries(ENDPOINT_NAMES.map((name) => [name, `${receiver.url}/${name}`])));
  assert.equal(registered.status, 200);
  doc = (await stack.call('GET', '/openapi.json')).body;
});

after(async () => {
  await stack?.stop();
  await receiver?.stop();
  await plugboleto?.stop();
  await celcoin?.stop();
});

/** Every operation of the document, as [method, path, operation]. */
const operations = () => Object.entries(doc.paths as Record<string, Record<string, any>>)
  .flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => [method, p, op] as const));

test('schemathesis, every check on, finds no failure', async () => {
  assert.ok(existsSync(SCHEMATHESIS), `${SCHEMATHESIS} is missing: run npm run provision (scripts/provision.sh)`);
  const cwd = mkdtempSync(path.join(tmpdir(), 'arauto-fuzz-')); // where schemathesis may leave files
  try {
    // Every endpoint the registry has is registered at the receiver, whichever providers there are.
    const urls = ENDPOINT_NAMES.map((name) => `"body.${name}" = "\${FUZZ_RECEIVER}/${name}"`).join(', ');
    const configFile = path.join(cwd, 'schemathesis.toml');
    writeFileSync(configFile, readFileSync(path.join(root, 'test/fuzz/schemathesis.toml'), 'utf8').replace('@CALLBACK_URLS@', urls));
    const args = [
      '--config-file', configFile,
      'run', `${stack.base}/openapi.json`,
      '--checks', 'all', '--max-examples', String(MAX_EXAMPLES), '--seed', String(SEED),
      '--generation-database', 'none', '--no-color',
    ];
    const child = spawn(SCHEMATHESIS, args, {
      cwd,
      env: {
        ...process.env, COLUMNS: '160',
        FUZZ_MERCHANT: fuzzer.merchantId, FUZZ_API_KEY: fuzzer.apiKey,
        FUZZ_REVOKER: revoker.merchantId, FUZZ_REVOKER_API_KEY: revoker.apiKey,
        FUZZ_RECEIVER: receiver.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `schemathesis ${args.join(' ')}\n${output}`);
    console.log(output.split('\n').filter((l) => /test cases|generated|passed in|Seed/i.test(l)).join('\n'));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

/** node:http, since fetch refuses TRACE (a forbidden method in the Fetch standard). */
function plainRequest(method: string, p: string): Promise<{ status: number; allow?: string }> {
  return new Promise((resolve, reject) => {
    http.request(`${stack.base}${p}`, { method, headers: { authorization: `Bearer ${fuzzer.apiKey}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow }));
    }).on('error', reject).end();
  });
}

test('TRACE, or any method a known path lacks, answers 405 with Allow', async () => {
  for (const [method, p, allow] of [
    ['TRACE', '/healthz', 'GET, HEAD, OPTIONS'],
    ['TRACE', '/oauth/token', 'POST, OPTIONS'],
    ['PATCH', `/v1/merchants/${fuzzer.merchantId}/credentials`, 'GET, HEAD, POST, OPTIONS'],
  ]) {
    const res = await plainRequest(method, p);
    assert.equal(res.status, 405, `${method} ${p}`);
    assert.equal(res.allow, allow);
  }
  assert.equal((await plainRequest('TRACE', '/v1/no-such-route')).status, 404);
});

test('every authenticated operation documents 401, 429 and 503; every one with a body 413 and 415', () => {
  for (const [method, p, op] of operations()) {
    const statuses = Object.keys(op.responses);
    if (op.security.length > 0) for (const s of ['401', '429']) assert.ok(statuses.includes(s), `${method} ${p}: ${s}`);
    assert.ok(statuses.includes('503'), `${method} ${p}: 503`);
    if (op.requestBody) for (const s of ['413', '415']) assert.ok(statuses.includes(s), `${method} ${p}: ${s}`);
  }
  assert.ok(doc.paths['/oauth/token'].post.responses['429'], 'the token endpoint checks a secret: throttled too');
});

test('a body is required wherever {} is refused; the resend preview and a portal link may come without one', async () => {
  const bodies = operations().filter(([, , op]) => op.requestBody);
  assert.ok(bodies.length >= 10);
  for (const [method, p, op] of bodies) {
    assert.equal(op.requestBody.required, !/\/(resends|portal-sessions)$/.test(p), `${method} ${p}`);
  }
  const preview = await fuzzer.call('POST', `/v1/merchants/${fuzzer.merchantId}/endpoints/gerencianetNotificationUrl/resends`);
  assert.equal(preview.status, 200);
  assert.equal(preview.body.confirmed, false);
});

test('a URL new URL() cannot parse is a 400 naming it, not a 503', async () => {
  const res = await fuzzer.call('PUT', `/v1/merchants/${fuzzer.merchantId}/callback-urls`, {
    gerencianetNotificationUrl: 'http://a b/', controlpaySaleUrl: 'http://a.example:99999/',
  });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.fields.map((f: any) => f.field).sort(), ['body.controlpaySaleUrl', 'body.gerencianetNotificationUrl']);
  for (const f of res.body.fields) assert.match(f.message, /host/);
});

test('rules the validation enforces are in the document, not only in refinements', () => {
  const body = (method: string, p: string) => doc.paths[p][method].requestBody.content['application/json'].schema;
  const m = '/v1/merchants/{merchantId}';
  assert.deepEqual(body('post', `${m}/print-intents/{intencaoImpressaoId}/status-changes`).properties.status.enum, [5, 10, 15, 20, 25]);
  const amount = body('post', `${m}/payments`).properties.amount;
  assert.equal(amount.multipleOf, 0.01);
  assert.equal(amount.minimum, 0.01);
  assert.deepEqual(body('post', `${m}/return-files`).oneOf, [{ required: ['protocolo'] }, { required: ['arquivo'] }]);
  assert.ok(body('post', `${m}/return-files`).properties.arquivo.pattern);
  const urls = body('put', `${m}/callback-urls`);
  assert.equal(urls.minProperties, 1);
  assert.ok(urls.properties.controlpaySaleUrl.pattern);
  assert.ok(urls.properties.notificationEmail.pattern);
  assert.equal(body('post', `${m}/endpoints/{endpoint}/resends`).properties.confirmCount.maximum, 1_000_000_000);
});
