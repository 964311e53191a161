// Issue 19, logs: JSON lines by default, readable ones with LOG_FORMAT=pretty, LOG_LEVEL filtering, the Temporal
// SDK's lines in the same format, deliveryId and attempt on a delivery's lines, and no token in any line. The
// lines come from a child process (test/support/logSample.ts) that logs as the worker does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../lib/config';
import { TOKEN } from './support/logSample';

const sample = path.join(__dirname, 'support/logSample.ts');

async function logsWith(env: Record<string, string>): Promise<{ out: string[]; err: string[] }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', sample], {
    env: { ...process.env, LOG_LEVEL: '', LOG_FORMAT: '', ...env },
  });
  const lines = (s: string) => s.split('\n').filter(Boolean);
  return { out: lines(stdout), err: lines(stderr) };
}

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

test('JSON by default: one object a line with level, time, msg and the fields; warnings on stderr', async () => {
  const { out, err } = await logsWith({});
  const [polling, attempt] = parse(out);
  assert.equal(out.length, 2, out.join('\n')); // no debug line (the attempt answered 200), no SDK info line
  assert.deepEqual(Object.keys(polling), ['level', 'time', 'taskQueue', 'tls', 'msg']);
  assert.equal(polling.level, 'info');
  assert.match(String(polling.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(polling.msg, 'worker polling');
  assert.deepEqual({ ...attempt, time: undefined }, {
    level: 'info', time: undefined, msg: 'callback attempt', deliveryId: 'd-1', attempt: 2, errorClass: 'forbidden_address',
    errorMessage: '127.0.0.1 is a loopback address; callbacks go to public addresses only (CALLBACK_ALLOWED_NETWORKS)', latencyMs: 0,
  });
  const [exhausted, failed] = parse(err);
  assert.equal(err.length, 2, err.join('\n'));
  assert.equal(exhausted.msg, 'callback endpoint exhausted');
  assert.equal(exhausted.level, 'warn');
  assert.equal(exhausted.endpointOrigin, 'https://loja.example:8443', 'the origin, not the URL');
  assert.equal(exhausted.endpointUrl, undefined);
  assert.deepEqual([exhausted.deliveryId, exhausted.attempt], ['d-1', 3]);
  // The SDK's line, through the Runtime's logger: same format, the delivery named, the failure without its details.
  assert.equal(failed.msg, 'Workflow failed');
  assert.equal(failed.deliveryId, 'd-1');
  assert.deepEqual(Object.keys(failed.error as object), ['name', 'type', 'message', 'stack']);
  assert.ok(![...out, ...err].some((l) => l.includes(TOKEN)), 'no token in any line');
});

test('LOG_FORMAT=pretty: readable lines, the fields as key=value', async () => {
  const { out, err } = await logsWith({ LOG_FORMAT: 'pretty' });
  assert.match(out[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}worker polling taskQueue=arauto tls=false$/);
  assert.match(out[1], /Z INFO {2}callback attempt deliveryId=d-1 attempt=2 errorClass=forbidden_address /);
  assert.match(err[0], /Z WARN {2}callback endpoint exhausted deliveryId=d-1 .*attempt=3 endpointOrigin=https:\/\/loja\.example:8443$/);
  assert.match(err[1], /Z WARN {2}Workflow failed sdkComponent=worker .*deliveryId=d-1$/);
  assert.ok(![...out, ...err].some((l) => l.includes(TOKEN)));
});

test('LOG_LEVEL filters, the SDK\'s lines included (theirs below WARN only with debug)', async () => {
  const warn = await logsWith({ LOG_LEVEL: 'warn' });
  assert.deepEqual(warn.out, []);
  assert.deepEqual(parse(warn.err).map((l) => l.msg), ['callback endpoint exhausted', 'Workflow failed']);
  const debug = await logsWith({ LOG_LEVEL: 'debug' });
  assert.deepEqual(parse(debug.out).map((l) => l.msg), ['a debug line', 'worker polling', 'callback attempt', 'callback attempt', 'an SDK info line']);
  assert.deepEqual(parse(debug.out)[3], { ...parse(debug.out)[3], level: 'debug', deliveryId: 'd-1', attempt: 3, statusCode: 200 });
});

test('LOG_FORMAT is validated', () => {
  assert.equal(loadConfig({}).LOG_FORMAT, 'json');
  assert.throws(() => loadConfig({ LOG_FORMAT: 'yaml' }), (e: Error) => e instanceof ConfigError && /LOG_FORMAT/.test(e.message));
});
