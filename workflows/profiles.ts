// Provider rules and retry schedules, as plain data, in one place (D2).
// Workflow code imports this file, so it must stay pure: no I/O, no Node APIs.

export type ProfileName = 'gerencianet' | 'controlpay' | 'celcoin';

export interface CallbackProfile {
  /** Minutes to wait after each failed attempt before the next one; length = number of retries. */
  readonly retryDelaysMinutes: readonly number[];
  /** Which HTTP statuses count as "received" (G2: exactly 200; C3: any 2xx). */
  readonly success: 'exactly-200' | 'any-2xx';
  /** Whether exhausting every attempt deactivates the URL (G4). Acted on by the endpoint lifecycle. */
  readonly deactivateOnExhaustion: boolean;
}

export const CALLBACK_PROFILES: Readonly<Record<ProfileName, CallbackProfile>> = {
  // G3: the first POST and nine retries "em intervalos distintos", ten attempts in about an hour.
  // Chosen: growing gaps of 1, 2, 3, 4, 5, 7, 9, 12 and 17 minutes, so attempts go out at
  // 0, 1, 3, 6, 10, 15, 22, 31, 43 and 60 minutes: dense while a blip is likely, sparse later.
  gerencianet: {
    retryDelaysMinutes: [1, 2, 3, 4, 5, 7, 9, 12, 17],
    success: 'exactly-200',
    deactivateOnExhaustion: true,
  },
  // C3: retried after 2, 4, 8, 16 and 32 minutes: attempts at 0, 2, 6, 14, 30 and 62 minutes.
  controlpay: {
    retryDelaysMinutes: [2, 4, 8, 16, 32],
    success: 'any-2xx',
    deactivateOnExhaustion: false,
  },
  // Seed 003 documents the receipt webhook but no schedule. Chosen: retried after 1, 4, 10, 20, 40 and 80 minutes
  // (attempts at 0, 1, 5, 15, 35, 75 and 155 minutes), any 2xx received, never deactivating: the account can
  // always ask for the receipt again by repeating its payment request (I2).
  celcoin: {
    retryDelaysMinutes: [1, 4, 10, 20, 40, 80],
    success: 'any-2xx',
    deactivateOnExhaustion: false,
  },
};

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
