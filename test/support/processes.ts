// Whether processes a test started (or its stack started) are gone, by PID: never by name, since other runs of the
// same scripts may share the machine.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Running: it exists and is not a zombie (a dead child whose parent has not reaped it yet, or never will). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once none of `pids` runs; fails naming the ones still running after `timeoutMs` (a generous bound). */
export async function untilGone(pids: number[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning)) {
    if (Date.now() > deadline) throw new Error(`still running after ${timeoutMs} ms: ${pids.filter(isRunning).join(', ')}`);
    await delay(50);
  }
}
