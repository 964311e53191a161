// The operator scripts after a plain `npm start` on other ports (issue 16): `npm run account` and `npm run replay`
// read the keys it generated into data/secrets/ and where it listens, with none of its variables set, and say which
// API and Temporal they used. Real `npm start`, real scripts as an operator runs them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Stack } from './support/stack';

const root = path.resolve(__dirname, '..');
let dataDir: string;
let stack: Stack;

/** `npm run <script> -- args` from the project's folder, with only ARAUTO_DATA_DIR set (the test's `data/`). */
async function npmRun(script: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ARAUTO_DATA_DIR: dataDir };
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_PORT', 'PORT', 'PUBLIC_API_URL']) delete env[name];
  const run = await promisify(execFile)('npm', ['run', '--silent', script, '--', ...args], { cwd: root, env })
    .catch((err) => ({ stdout: `${err.stdout}${err.stderr}`, failed: err.code as number }));
  return { out: run.stdout, code: 'failed' in run ? run.failed : 0 };
}

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'arauto-scripts-'));
  stack = await Stack.start({ dataDir, retryDelayDivisor: 1, testKeys: false }); // random ports, none the default
});
after(async () => {
  await stack?.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
});

test('npm run account after npm start: its keys and ports, and the running API it prints works', async () => {
  const { out, code } = await npmRun('account', 'loja-apos-start');
  assert.equal(code, 0, out);
  const api = `http://localhost:${stack.ports.api}`;
  assert.ok(out.includes(`the API of npm start (pid ${stack.scriptPid}): ${api}`), out);
  assert.ok(out.includes(`127.0.0.1:${stack.ports.temporal}`), out);
  stack.apiKey = /API key\s+(ak\.\S+)/.exec(out)![1];
  const credentials = await stack.request('GET', '/v1/merchants/loja-apos-start/credentials');
  assert.equal(credentials.status, 200, 'the key works against the API npm start runs');
  assert.ok(out.includes(`${api}/v1/merchants/loja-apos-start/credentials`), 'the curl it prints targets that API');
});

test('npm run replay after npm start fetches from its Temporal with its keys', async () => {
  await stack.untilLogged(/demo account "demo"/); // made by npm start once its children run
  const { out, code } = await npmRun('replay', '--workflow-id', 'merchant.demo');
  assert.equal(code, 0, out);
  assert.match(out, new RegExp(`from Temporal at 127\\.0\\.0\\.1:${stack.ports.temporal} \\(npm start`));
  assert.match(out, /ok {4}merchant\.demo: \d+ events replay/);
});

test('issue 18: npm start prints a portal link for the demo account, and npm run portal makes another; each signs in once', async () => {
  const api = `http://localhost:${stack.ports.api}`;
  await stack.untilLogged(/\/portal\/acesso\?token=\S+/);
  const printed = /\/portal\/acesso\?token=\S+/.exec(stack.logs)?.[0];
  const { out, code } = await npmRun('portal');
  assert.equal(code, 0, out);
  const made = /\/portal\/acesso\?token=\S+/.exec(out)?.[0];
  for (const link of [printed, made]) {
    assert.ok(link, out);
    const token = new URL(link, api).searchParams.get('token')!;
    const enter = () => fetch(`${api}/portal/acesso`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    assert.equal((await enter()).status, 303, 'signed in');
    assert.equal((await enter()).status, 410, 'spent');
  }
});
