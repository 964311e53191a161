// Configuration as the tests run Arauto: their receivers listen on loopback, which the default refuses (SSRF floor).
import { loadConfig, type Config } from '../../lib/config';
import { dataConverterOf } from '../../lib/payloadCodec';

/** Variables every test stack adds, also to the processes it spawns. */
export const TEST_ENV = {
  CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8',
  // A fixed test key, known to everyone: never use it elsewhere.
  WEBHOOK_SIGNING_KEY: Buffer.alloc(32, 'arauto-test-key').toString('base64'),
  PAYLOAD_ENCRYPTION_KEYS: `test1=${Buffer.alloc(32, 'arauto-test-payload-key').toString('base64')}`,
  CODEC_AUTH_TOKEN: 'arauto-test-codec-token-0123456789',
  ACCESS_TOKEN_KEY: Buffer.alloc(32, 'arauto-test-token-key').toString('base64'),
} as const;

/** The data converter every test client and worker uses (TEST_ENV's payload key). */
export const testDataConverter = () => dataConverterOf(testConfig());

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}
