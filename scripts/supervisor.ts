// Keeps `npm start`'s child processes running: started layer by layer, restarted with backoff when one dies,
// stopped in reverse layer order. The children are data (ChildSpec), so adding one is one entry in a list.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  /** Started once every lower layer is ready, stopped before them: Temporal 0, the worker and the API 1. */
  layer: number;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** An IPC channel, whose closing tells a node child that this script died (scripts/exitWithParent.cjs). */
  ipc?: boolean;
  /** Resolves once the child serves; a start that never gets there is killed (and restarted). */
  ready?: () => Promise<void>;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A child that ran this long before dying starts again from `initialMs`: it was healthy, not crash-looping. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };
/** How long a child may take to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;

/** The wait before the `n`th restart in a row (1-based): doubling from initialMs, capped at maxMs. */
export const restartDelay = (n: number, b: Backoff) => Math.min(b.maxMs, b.initialMs * 2 ** (n - 1));

interface Supervised {
  spec: ChildSpec;
  process?: ChildProcess;
  startedAt: number;
  restarts: number;
  timer?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly say: (source: string, line: string) => void,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  /**
   * Starts the children, each layer once the one below is ready. Rejects if a child dies or fails its readiness
   * during this first start (a port taken, a bad setting): the caller stops everything and says why.
   */
  async start(specs: ChildSpec[]): Promise<void> {
    const layers = [...new Set(specs.map((s) => s.layer))].sort((a, b) => a - b);
    for (const layer of layers) {
      if (this.stopping) return;
      await Promise.all(specs.filter((s) => s.layer === layer).map(async (spec) => {
        const child: Supervised = { spec, startedAt: 0, restarts: 0 };
        this.children.push(child);
        await readyOrExit(this.launch(child), spec);
      }));
    }
  }

  /** The PID of each running child, by name. */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.children.map((c) => [c.spec.name, c.process?.pid]));
  }

  /** No more restarts; SIGTERM to each layer from the top, the next once it has exited (SIGKILL after a grace). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of this.children) clearTimeout(c.timer);
    const layers = [...new Set(this.children.map((c) => c.spec.layer))].sort((a, b) => b - a);
    for (const layer of layers) {
      await Promise.all(this.children.filter((c) => c.spec.layer === layer && c.process).map((c) => terminate(c.process!)));
    }
  }

  private launch(child: Supervised): ChildProcess {
    const { spec } = child;
    // Own process group: a terminal's Ctrl-C reaches only npm and this script, which stop the children in order.
    const proc = spawn(spec.command, spec.args, {
      env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe', ...(spec.ipc ? ['ipc' as const] : [])],
    });
    child.process = proc;
    child.startedAt = Date.now();
    for (const stream of [proc.stdout!, proc.stderr!]) createInterface({ input: stream }).on('line', (l) => this.say(spec.name, l));
    proc.once('spawn', () => this.say('arauto', `${spec.name} started (pid ${proc.pid})`));
    proc.once('error', (err) => this.say('arauto', `${spec.name} could not be spawned: ${err.message}`));
    proc.once('exit', (code, signal) => this.onExit(child, proc, code, signal));
    return proc;
  }

  private onExit(child: Supervised, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.process !== proc) return;
    child.process = undefined;
    if (this.stopping) return;
    const ranMs = Date.now() - child.startedAt;
    if (ranMs >= this.backoff.resetAfterMs) child.restarts = 0;
    child.restarts++;
    const delayMs = restartDelay(child.restarts, this.backoff);
    this.say('arauto', `${child.spec.name} exited (${signal ?? `code ${code}`}) after ${(ranMs / 1000).toFixed(1)} s; ` +
      `restarting in ${(delayMs / 1000).toFixed(1)} s (restart ${child.restarts})`);
    child.timer = setTimeout(() => this.restart(child), delayMs);
  }

  private restart(child: Supervised): void {
    if (this.stopping) return;
    const proc = this.launch(child);
    readyOrExit(proc, child.spec).then(
      () => { if (child.process === proc && child.spec.ready) this.say('arauto', `${child.spec.name} ready again`); },
      (err) => {
        if (child.process !== proc) return;
        this.say('arauto', `${child.spec.name} not ready (${(err as Error).message}); killing it`);
        proc.kill('SIGKILL');
      },
    );
  }
}

/** Resolves once `spec.ready` does; rejects if it fails or the process exits first. */
function readyOrExit(proc: ChildProcess, spec: ChildSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${spec.name} exited (${signal ?? `code ${code}`}) before it was ready`));
    proc.once('exit', onExit);
    Promise.resolve(spec.ready?.()).then(resolve, reject).finally(() => proc.off('exit', onExit));
  });
}

async function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const force = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(force);
}
