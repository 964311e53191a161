// RETRY_DELAY_DIVISOR compresses the schedules, not CALLBACK_TIMEOUT_MS: the timeout is a receiver's time to answer
// (G2), the same in a demo as in production, so it is left alone. When a hanging attempt outlasts the compressed
// gaps, the worker says so at start, with what a schedule then takes.
import { CALLBACK_PROFILES } from '../providers/registry';
import { attemptOffsetsMs } from '../workflows/profiles';
import type { Config } from './config';

/** How long a schedule runs against a receiver that never answers: each attempt waits for the previous one's timeout. */
export function hangingScheduleMs(offsets: number[], timeoutMs: number): number {
  let end = 0;
  for (const offset of offsets) end = Math.max(end, offset) + timeoutMs;
  return end;
}

/** The note, or undefined when the timeout fits within every compressed gap (production's divisor 1 included). */
export function retryDivisorNote(config: Pick<Config, 'RETRY_DELAY_DIVISOR' | 'CALLBACK_TIMEOUT_MS'>): string | undefined {
  const { RETRY_DELAY_DIVISOR: divisor, CALLBACK_TIMEOUT_MS: timeout } = config;
  if (divisor === 1) return undefined;
  const schedules = Object.entries(CALLBACK_PROFILES).map(([name, profile]) => {
    const offsets = attemptOffsetsMs(profile, divisor);
    return { name, last: offsets.at(-1)!, hanging: hangingScheduleMs(offsets, timeout) };
  });
  const worst = schedules.reduce((a, b) => (b.hanging / Math.max(b.last, 1) > a.hanging / Math.max(a.last, 1) ? b : a));
  if (worst.hanging <= worst.last + timeout) return undefined;
  const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  return `RETRY_DELAY_DIVISOR=${divisor} divides the retry delays but not CALLBACK_TIMEOUT_MS (${timeout} ms, a receiver's ` +
    `time to answer): against a receiver that hangs, ${worst.name}'s attempts take ${s(worst.hanging)} instead of the ` +
    `${s(worst.last)} its schedule says. Lower CALLBACK_TIMEOUT_MS too for such a demo.`;
}
