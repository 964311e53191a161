// The whole product as a user runs it: scripts/start.ts (dev server + worker + API) as a child process.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import path from 'node:path';
import { freePort } from '../../lib/temporalServers';
import { TEST_ENV } from './testConfig';

const root = path.resolve(__dirname, '../..');
const execFileAsync = promisify(execFile);

export interface StackOptions {
  dataDir: string;
  retryDelayDivisor: number;
  ports?: { api: number; temporal: number; ui: number };
}

export class Stack {
  private output = '';
  /** The API key requests carry (from createAccount, or carried over from a previous start on the same data). */
  apiKey?: string;
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: { api: number; temporal: number; ui: number },
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(opts: StackOptions): Promise<Stack> {
    const ports = opts.ports ?? { api: await freePort(), temporal: await freePort(), ui: await freePort() };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...TEST_ENV,
      PORT: String(ports.api),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      ARAUTO_DATA_DIR: opts.dataDir,
      RETRY_DELAY_DIVISOR: String(opts.retryDelayDivisor),
      CALLBACK_TIMEOUT_MS: '2000',
      PLUGBOLETO_EMULATOR_PORT: '0',
      PAYMENTS_EMULATOR_PORT: '0',
    };
    if (!process.env.TEMPORAL_ADDRESS) delete env.TEMPORAL_ADDRESS;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
      cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stack = new Stack(child, ports, env);
    child.stdout!.on('data', (c: Buffer) => (stack.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stack.output += c.toString()));
    await stack.untilHealthy();
    return stack;
  }

  get api(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get logs(): string {
    return this.output;
  }

  /** Polls /healthz until it answers 200: the API is up and reaches Temporal. */
  private async untilHealthy(timeoutMs = 90_000): Promise<void> {
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
