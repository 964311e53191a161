// A CPU hog on every core for tests that must hold on a loaded machine: Debian's stress-ng when installed, else one
// busy node process per core. Stopped by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';

export interface CpuHog {
  /** What runs, for the test's figures (e.g. `stress-ng --cpu 2`). */
  description: string;
  stop(): Promise<void>;
}

export function startCpuHog(cores = os.availableParallelism()): CpuHog {
  const stressNg = spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0;
  const children: ChildProcess[] = stressNg
    // stress-ng stops its workers when it gets SIGTERM.
    ? [spawn('stress-ng', ['--cpu', String(cores), '--quiet'], { stdio: 'ignore' })]
    : Array.from({ length: cores }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    description: stressNg ? `stress-ng --cpu ${cores}` : `${cores} busy node processes`,
    async stop() {
      await Promise.all(children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }));
    },
  };
}
