// Start-up configuration: defaults, and a clear error naming each bad variable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../lib/config';
import { hangingScheduleMs, retryDivisorNote } from '../lib/retryDivisorNote';
import { CALLBACK_PROFILES } from '../providers/registry';
import { attemptOffsetsMs } from '../workflows/profiles';

test('defaults: port 3000, divisor 1, dev server ports 7233/8233', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.RETRY_DELAY_DIVISOR, 1);
  assert.equal(config.TEMPORAL_PORT, 7233);
  assert.equal(config.TEMPORAL_UI_PORT, 8233);
  assert.equal(config.TEMPORAL_ADDRESS, undefined);
});

test('bad values are refused, each variable named', () => {
  assert.throws(
    () => loadConfig({ RETRY_DELAY_DIVISOR: '0', PORT: 'abc', TEMPORAL_ADDRESS: 'nohostport' }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /RETRY_DELAY_DIVISOR/.test(err.message) &&
      /PORT/.test(err.message) &&
      /TEMPORAL_ADDRESS: expected host:port/.test(err.message),
  );
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '' }).PORT, 3000);
});

test('SMTP_URL must be an smtp:// or smtps:// URL, and is never echoed (it may hold a password)', () => {
  assert.throws(
    () => loadConfig({ SMTP_URL: 'https://user:s3cret@mail.example.com' }),
    (err: unknown) =>
      err instanceof ConfigError && /SMTP_URL: expected smtp:\/\//.test(err.message) && !/s3cret/.test(err.message),
  );
  assert.throws(() => loadConfig({ SMTP_URL: 'mail.example.com:587' }), /SMTP_URL/);
  const config = loadConfig({ SMTP_URL: 'smtps://user:pass@mail.example.com:465' });
  assert.equal(config.SMTP_URL, 'smtps://user:pass@mail.example.com:465');
  assert.equal(config.MAIL_FROM, 'Arauto <no-reply@arauto.local>');
});

test('the authentication throttle: defaults, and API_TRUSTED_PROXIES as addresses, CIDRs or proxy-addr names', () => {
  const config = loadConfig({});
  assert.deepEqual(
    [config.AUTH_FAILURES_PER_ADDRESS, config.AUTH_FAILURES_PER_CREDENTIAL, config.AUTH_FAILURE_WINDOW_S, config.AUTH_THROTTLE_ENTRIES],
    [100, 10, 300, 50_000],
  );
  assert.deepEqual(config.API_TRUSTED_PROXIES, []);
  assert.deepEqual(loadConfig({ API_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,fd00::1' }).API_TRUSTED_PROXIES,
    ['loopback', '10.0.0.0/8', 'fd00::1']);
  assert.throws(() => loadConfig({ API_TRUSTED_PROXIES: 'everyone', AUTH_FAILURE_WINDOW_S: '0' }),
    (err: unknown) => err instanceof ConfigError && /API_TRUSTED_PROXIES/.test(err.message) && /AUTH_FAILURE_WINDOW_S/.test(err.message));
});

test('RETRY_DELAY_DIVISOR does not shrink CALLBACK_TIMEOUT_MS: the worker says so when a hanging receiver outlasts the schedule', () => {
  assert.equal(retryDivisorNote(loadConfig({})), undefined, 'production: divisor 1, nothing to say');
  const demo = loadConfig({ RETRY_DELAY_DIVISOR: '60' });
  assert.equal(demo.CALLBACK_TIMEOUT_MS, 10_000, 'the timeout is a receiver\'s budget: not divided');
  // gerencianet's hour is 60 s at divisor 60; ten attempts that each wait 10 s for a hanging receiver take 100 s.
  assert.equal(hangingScheduleMs(attemptOffsetsMs(CALLBACK_PROFILES.gerencianet, 60), 10_000), 100_000);
  const note = retryDivisorNote(demo)!;
  assert.match(note, /RETRY_DELAY_DIVISOR=60 divides the retry delays but not CALLBACK_TIMEOUT_MS \(10000 ms/);
  assert.match(note, /Lower CALLBACK_TIMEOUT_MS/);
  assert.equal(retryDivisorNote(loadConfig({ RETRY_DELAY_DIVISOR: '60', CALLBACK_TIMEOUT_MS: '500' })), undefined,
    'a timeout within the compressed gaps changes nothing');
});
