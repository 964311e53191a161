// Keys for one benchmark run, made fresh: signing and payload encryption cost what they cost in production.
import { randomBytes } from 'node:crypto';

export function benchKeys() {
  return {
    WEBHOOK_SIGNING_KEY: randomBytes(32).toString('base64'),
    PAYLOAD_ENCRYPTION_KEYS: `bench=${randomBytes(32).toString('base64')}`,
    ACCESS_TOKEN_KEY: randomBytes(32).toString('base64'),
  };
}
