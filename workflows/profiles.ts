// Reading a provider's schedule and success rule (D2); the rules themselves are in providers/.
// Workflow code imports this file, so it must stay pure: no I/O, no Node APIs.
import type { CallbackProfile } from '../providers/provider';

const MINUTE_MS = 60_000;

/**
 * Offsets from the first attempt at which every attempt is due, in ms.
 * `delayDivisor` (RETRY_DELAY_DIVISOR, default 1) compresses the schedule for demos and end-to-end tests.
 */
export function attemptOffsetsMs(profile: CallbackProfile, delayDivisor = 1): number[] {
  const offsets = [0];
  let total = 0;
  for (const minutes of profile.retryDelaysMinutes) {
    total += (minutes * MINUTE_MS) / delayDivisor;
    offsets.push(Math.round(total));
  }
  return offsets;
}

export function isReceived(profile: CallbackProfile, statusCode: number | undefined): boolean {
  if (statusCode === undefined) return false;
  return profile.success === 'exactly-200' ? statusCode === 200 : statusCode >= 200 && statusCode < 300;
}

/** The success rule as a receiver is told it (an activation refused, D3). */
export const successWording = (profile: CallbackProfile): string =>
  profile.success === 'exactly-200' ? 'HTTP 200' : 'a 2xx';
