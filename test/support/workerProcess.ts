// `npm run worker` as a process of its own, for tests that stop or kill a worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { TEST_ENV } from './testConfig';

/** Starts worker/main.ts against `address` on `taskQueue` (and `env`); resolves once it polls. */
export async function startWorkerProcess(
  address: string, taskQueue: string, env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../worker/main.ts')], {
    env: { ...process.env, ...TEST_ENV, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  while (!output.includes('worker polling')) {
    const [chunk] = await Promise.race([
      once(child.stdout!, 'data'),
      once(child, 'exit').then(() => { throw new Error(`worker exited before polling:\n${output}`); }),
    ]);
    output += String(chunk);
  }
  child.stdout!.resume();
  return child;
}

/** The worker processes one test file starts: each by `start`, all killed by `killAll` in its `after`. */
export class WorkerProcesses {
  readonly started: ChildProcess[] = [];

  constructor(private readonly taskQueue: string) {}

  async start(address: string, env: Record<string, string> = {}): Promise<ChildProcess> {
    const child = await startWorkerProcess(address, this.taskQueue, env);
    this.started.push(child);
    return child;
  }

  killAll(): void {
    for (const w of this.started) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  }
}
