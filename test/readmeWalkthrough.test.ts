// The README's five-minute walkthrough (issue 17), run as written against a real `npm start`: its three blocks
// (the stack, the receiver, the calls) taken from README.md, with only the ports changed (the test's own, not
// 3000/8080/8233) and the data folder the test's. If a command in it stops working, this fails.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { freePort } from '../lib/freePort';
import { Stack } from './support/stack';

const readme = readFileSync(path.join(__dirname, '../README.md'), 'utf8');
const [startBlock, receiverBlock, callsBlock] = [...readme.matchAll(/<!-- walkthrough -->\s*```sh\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The walkthrough calls the API with curl; without it the test is skipped, except in CI, where it fails. */
const missing = spawnSync('curl', ['--version']).status === 0 ? undefined : 'curl is not installed (Debian: apt-get install curl)';
const skip = !process.env.CI && !!missing;

let home: string; // the walkthrough's "project folder": its data/ is the stack's
let stack: Stack;
let receiver: ChildProcess;
let received = '';
let receiverPort: number;

/** A block with the README's ports replaced by the test's. */
const localised = (block: string) => block
  .replaceAll('localhost:3000', `localhost:${stack.ports.api}`)
  .replaceAll('127.0.0.1:8080', `127.0.0.1:${receiverPort}`)
  .replaceAll('localhost:8233', `localhost:${stack.ports.ui}`)
  .replaceAll('.listen(8080)', `.listen(${receiverPort})`);

async function bash(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: home, env: { ...process.env, ...env },
  });
  return stdout;
}

before(async () => {
  if (skip) return;
  assert.ok(!missing, missing);
  assert.ok(startBlock && receiverBlock && callsBlock, 'README.md has the three walkthrough blocks');
  home = mkdtempSync(path.join(os.tmpdir(), 'arauto-walkthrough-'));
  mkdirSync(path.join(home, 'data'));
  // Block 1: `VAR=value … npm start`, its variables kept; npm start as a user runs it, its keys its own.
  const start = /^((?:[A-Z_]+=\S+ )*)npm start$/m.exec(startBlock);
  assert.ok(start, `the first block starts the stack: ${startBlock}`);
  const env = Object.fromEntries(start[1].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
  stack = await Stack.start({ dataDir: path.join(home, 'data'), retryDelayDivisor: 1, testKeys: false, viaNpm: true, env });
  await stack.untilLogged(/demo account "demo"/);
  // Block 2: the receiver, on a free port.
  receiverPort = await freePort();
  receiver = spawn('bash', ['-c', `exec ${localised(receiverBlock)}`], { cwd: home, stdio: ['ignore', 'pipe', 'inherit'] });
  receiver.stdout!.on('data', (c: Buffer) => (received += c.toString()));
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${receiverPort}/`).then(() => true, () => false);
    if (up) break;
    if (i > 100) throw new Error('the walkthrough receiver never listened');
    await new Promise((r) => setTimeout(r, 100));
  }
  received = '';
});
after(async () => {
  receiver?.kill('SIGTERM');
  await stack?.interrupt();
  if (home) rmSync(home, { recursive: true, force: true });
});

test("the README's walkthrough: URL registered, a charge paid, the callback received, the delivery and the log read", { skip }, async () => {
  const script = localised(callsBlock);
  const out = await bash(`${script}\necho; echo "DELIVERY=$DELIVERY"`);
  const delivery = /^DELIVERY=(delivery\.gerencianet\.[0-9a-f]+)$/m.exec(out)?.[1];
  assert.ok(delivery, `the trigger answered a delivery id:\n${out}`);
  assert.match(out, /"gerencianetNotificationUrl":"http:\/\/127\.0\.0\.1:\d+\/notificacao"/, 'the URL registered');

  // The receiver prints what the README says it prints.
  for (let i = 0; !received.includes(delivery); i++) {
    if (i > 600) throw new Error(`the receiver never got the callback; it printed:\n${received}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(received, new RegExp(`^POST /notificacao ${delivery.replaceAll('.', '\\.')} notification=[0-9a-f]{40}$`, 'm'));

  // Steps 3 and 4 again, as the reader would a moment later: delivered, one attempt, 200; sent in the log.
  const steps = script.split(/^# \d+\. .*$/m);
  const auth = /^AUTH="authorization: Bearer \$\(.*\)"$/m.exec(script)![0];
  for (let i = 0; ; i++) {
    const state = JSON.parse(await bash(`${auth}\n${steps[3]}`, { DELIVERY: delivery }));
    const log = JSON.parse(await bash(`${auth}\n${steps[4]}`));
    const row = log.notifications?.find((n: any) => n.deliveryId === delivery);
    if (state.status === 'delivered' && row?.sent === true) {
      assert.equal(state.attempts.length, 1);
      assert.equal(state.attempts[0].statusCode, 200);
      assert.equal(row.chargeId, '1042');
      break;
    }
    if (i > 100) throw new Error(`never delivered and logged as sent: ${JSON.stringify({ state, row })}`);
    await new Promise((r) => setTimeout(r, 300));
  }
});

// With TEMPORAL_ADDRESS set, npm start runs no dev server, hence no Web UI of its own.
test("the README's Web UI link answers", { skip: skip || !!process.env.TEMPORAL_ADDRESS }, async () => {
  const link = /http:\/\/localhost:8233\/namespaces\/default\/workflows\?query=\S+/.exec(readme)?.[0];
  assert.ok(link, 'the README links to the Web UI');
  const res = await fetch(localised(link));
  assert.equal(res.status, 200);
});
