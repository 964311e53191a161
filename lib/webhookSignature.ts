// Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature): HMAC-SHA256 over
// `id.timestamp.body` with a per-endpoint secret. Secrets are derived from one key in configuration, so none is
// stored anywhere (not in workflow histories either): only each endpoint's key version is.
import { createHmac } from 'node:crypto';
import type { SigningKeys } from '../workflows/endpoints';

/** The endpoint's secret for a version, as receivers configure it (`whsec_` + base64). */
export function endpointSecret(masterKey: Buffer, merchantId: string, endpoint: string, version: number): string {
  const key = createHmac('sha256', masterKey).update(`arauto/webhook-secret/${merchantId}/${endpoint}/v${version}`).digest();
  return `whsec_${key.toString('base64')}`;
}

/** The rotated-out key while its grace period lasts at `now` (it signs beside the current one); then undefined. */
export function previousInGrace(keys: SigningKeys, now: Date): SigningKeys['previous'] {
  return keys.previous && new Date(keys.previous.validUntil) > now ? keys.previous : undefined;
}

/** The secrets that sign at `now`: the current one, and the previous one until its grace period ends. */
export function signingSecrets(
  masterKey: Buffer, merchantId: string, endpoint: string, keys: SigningKeys, now: Date,
): string[] {
  const previous = previousInGrace(keys, now);
  const versions = previous ? [keys.version, previous.version] : [keys.version];
  return versions.map((v) => endpointSecret(masterKey, merchantId, endpoint, v));
}

export function signatureHeaders(secrets: string[], webhookId: string, now: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
  });
  return { 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}
