// The whole product as a user runs it: scripts/start.ts (dev server + worker + API) as a child process, or
// `npm start` itself (`viaNpm`), for tests that signal npm as an operator's terminal or service manager would.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { EventEmitter, once } from 'node:events';
import path from 'node:path';
import { freePort } from '../../lib/freePort';
import { TEST_ENV } from './testConfig';

const root = path.resolve(__dirname, '../..');
const execFileAsync = promisify(execFile);

export interface StackOptions {
  dataDir: string;
  retryDelayDivisor: number;
  ports?: { api: number; temporal: number; ui: number };
  /** `npm start` (npm → node scripts/start.ts) instead of the script alone. */
  viaNpm?: boolean;
  /** More variables, over the defaults below. */
  env?: Record<string, string>;
  /** false: none of TEST_ENV's keys, as a plain `npm start` (it generates its own into data/secrets/). */
  testKeys?: boolean;
}

/** The supervised children's names, as scripts/start.ts logs them. */
export type ChildName = 'temporal' | 'worker' | 'api';

export class Stack {
  private output = '';
  private readonly outputEvents = new EventEmitter();
  /** The spawned process's exit (npm's, with `viaNpm`). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The API key requests carry (from createAccount, or carried over from a previous start on the same data). */
  apiKey?: string;
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: { api: number; temporal: number; ui: number },
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  }

  static async start(opts: StackOptions): Promise<Stack> {
    const ports = opts.ports ?? { api: await freePort(), temporal: await freePort(), ui: await freePort() };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...(opts.testKeys === false ? { CALLBACK_ALLOWED_NETWORKS: TEST_ENV.CALLBACK_ALLOWED_NETWORKS } : TEST_ENV),
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      ARAUTO_DATA_DIR: opts.dataDir,
      RETRY_DELAY_DIVISOR: String(opts.retryDelayDivisor),
      CALLBACK_TIMEOUT_MS: '2000',
      PLUGBOLETO_EMULATOR_PORT: '0',
      PAYMENTS_EMULATOR_PORT: '0',
      // npm start's fixed metrics ports would collide between stacks: off unless a test asks (test/metrics.test.ts).
      WORKER_METRICS_PORT: '',
      API_METRICS_PORT: '',
      ...opts.env,
    };
    if (!process.env.TEMPORAL_ADDRESS) delete env.TEMPORAL_ADDRESS;
    const [command, args] = opts.viaNpm
      ? ['npm', ['start']]
      : [process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')]];
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stack = new Stack(child, ports, env);
    const collect = (c: Buffer) => {
      stack.output += c.toString();
      stack.outputEvents.emit('output');
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await stack.untilHealthy();
    return stack;
  }

  get api(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get logs(): string {
    return this.output;
  }

  /** The spawned process: npm with `viaNpm`, else the start script's node. */
  get pid(): number {
    return this.child.pid!;
  }

  /** The node process running scripts/start.ts (npm's child with `viaNpm`), as it logs itself. */
  get scriptPid(): number {
    return Number(/supervising \(pid (\d+)\)/.exec(this.output)?.[1]);
  }

  /** How many times the start script has started `name`. */
  starts(name: ChildName): number {
    return this.output.match(new RegExp(`\\] ${name} started \\(pid \\d+\\)`, 'g'))?.length ?? 0;
  }

  /** The PID of `name`'s latest start. */
  childPid(name: ChildName): number {
    const pids = [...this.output.matchAll(new RegExp(`\\] ${name} started \\(pid (\\d+)\\)`, 'g'))];
    if (pids.length === 0) throw new Error(`${name} never started:\n${this.output}`);
    return Number(pids.at(-1)![1]);
  }

  /** The start script and its children's latest PIDs. */
  get pids(): Record<'script' | ChildName, number> {
    return { script: this.scriptPid, temporal: this.childPid('temporal'), worker: this.childPid('worker'), api: this.childPid('api') };
  }

  /** Resolves once the output (from the start) matches `pattern` at least `count` times. */
  async untilLogged(pattern: RegExp, count = 1): Promise<void> {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    while ((this.output.match(global)?.length ?? 0) < count) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`exited before logging ${pattern}:\n${this.output}`);
      await Promise.race([once(this.outputEvents, 'output'), this.exited]);
    }
  }

  /** Sends `signal` to the spawned process (npm with `viaNpm`). */
  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Polls /healthz until it answers 200: the API is up and reaches Temporal. */
  async untilHealthy(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`npm start exited early:\n${this.output}`);
      const ok = await fetch(`${this.api}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`stack not healthy after ${timeoutMs} ms:\n${this.output}`);
  }

  /** What Ctrl-C does; resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGINT');
    const [code] = await exited;
    return code as number | null;
  }

  /** `npm run account -- <merchantId>` as an operator runs it; later requests use the API key it printed. */
  async createAccount(merchantId: string): Promise<void> {
    const env = { ...this.env, TEMPORAL_ADDRESS: `127.0.0.1:${this.ports.temporal}` };
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/account.ts'), merchantId], {
      cwd: root, env,
    });
    const key = /API key\s+(ak\.\S+)/.exec(stdout)?.[1];
    if (!key) throw new Error(`npm run account printed no API key:\n${stdout}`);
    this.apiKey = key;
  }

  async request(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.api}${pathname}`, {
      method,
      headers: {
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Reads a delivery until `done` holds for it (an observable state, bounded in time). */
  async deliveryWhen(deliveryId: string, done: (d: any) => boolean, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.request('GET', `/v1/deliveries/${deliveryId}`);
      if (status === 200 && done(body)) return body;
      if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} never reached the state: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
