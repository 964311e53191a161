// The retry schedules and success rules as data (G2, G3, C3, D2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALLBACK_PROFILES } from '../providers/registry';
import { attemptOffsetsMs, isReceived } from '../workflows/profiles';

const MIN = 60_000;

test('G3: gerencianet makes 10 attempts, nine distinct growing gaps, the tenth 55–65 min after the first', () => {
  const offsets = attemptOffsetsMs(CALLBACK_PROFILES.gerencianet);
  assert.equal(offsets.length, 10);
  const gaps = CALLBACK_PROFILES.gerencianet.retryDelaysMinutes;
  assert.equal(new Set(gaps).size, 9);
  gaps.slice(1).forEach((g, i) => assert.ok(g > gaps[i], 'increasing'));
  assert.ok(offsets[9] >= 55 * MIN && offsets[9] <= 65 * MIN);
  assert.deepEqual(offsets.map((o) => o / MIN), [0, 1, 3, 6, 10, 15, 22, 31, 43, 60]);
});

test('C3: controlpay retries after 2, 4, 8, 16, 32 min: attempts at 0, 2, 6, 14, 30, 62', () => {
  assert.deepEqual(CALLBACK_PROFILES.controlpay.retryDelaysMinutes, [2, 4, 8, 16, 32]);
  assert.deepEqual(attemptOffsetsMs(CALLBACK_PROFILES.controlpay).map((o) => o / MIN), [0, 2, 6, 14, 30, 62]);
});

test('RETRY_DELAY_DIVISOR compresses every delay alike', () => {
  assert.deepEqual(attemptOffsetsMs(CALLBACK_PROFILES.controlpay, 60), [0, 2000, 6000, 14000, 30000, 62000]);
});

test('G2: gerencianet succeeds only on 200; C3: controlpay on any 2xx; 3xx never', () => {
  const g = CALLBACK_PROFILES.gerencianet;
  const c = CALLBACK_PROFILES.controlpay;
  assert.deepEqual([200, 201, 204, 302, 500, undefined].map((s) => isReceived(g, s)), [true, false, false, false, false, false]);
  assert.deepEqual([200, 201, 299, 302, 404, undefined].map((s) => isReceived(c, s)), [true, true, true, false, false, false]);
});

test('G4: only gerencianet deactivates on exhaustion', () => {
  assert.equal(CALLBACK_PROFILES.gerencianet.deactivateOnExhaustion, true);
  assert.equal(CALLBACK_PROFILES.controlpay.deactivateOnExhaustion, false);
  assert.equal(CALLBACK_PROFILES.celcoin.deactivateOnExhaustion, false);
});

test('I1 receipts (no schedule in seed 003; chosen): attempts at 0, 1, 5, 15, 35, 75, 155 min, any 2xx', () => {
  assert.deepEqual(attemptOffsetsMs(CALLBACK_PROFILES.celcoin).map((o) => o / MIN), [0, 1, 5, 15, 35, 75, 155]);
  assert.deepEqual([200, 202, 302, 500].map((s) => isReceived(CALLBACK_PROFILES.celcoin, s)), [true, true, false, false]);
});
