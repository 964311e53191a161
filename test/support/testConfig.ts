// Configuration as the tests run Arauto: their receivers listen on loopback, which the default refuses (SSRF floor).
import { loadConfig, type Config } from '../../lib/config';

/** Variables every test stack adds, also to the processes it spawns. */
export const TEST_ENV = {
  CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8',
  // A fixed test key, known to everyone: never use it elsewhere.
  WEBHOOK_SIGNING_KEY: Buffer.alloc(32, 'arauto-test-key').toString('base64'),
} as const;

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}
