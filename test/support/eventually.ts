// Waits for a condition only observable by asking (visibility, a query), asking again until it holds.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Resolves with `read()`'s value once `holds` accepts it; fails with the last value after `timeoutMs`, a deadline
 * for a hung test only (generous: a loaded machine may take many times longer than an idle one).
 */
export async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) assert.fail(`condition not met after ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await delay(50);
  }
}
