// Issue 5: each endpoint's Standard Webhooks secret, derived from WEBHOOK_SIGNING_KEY and the version the merchant's
// entity keeps (no secret is stored anywhere), and its rotation with a grace period.
import { requiredKey } from '../lib/config';
import type { Deps } from '../lib/deps';
import { endpointSecret, previousInGrace } from '../lib/webhookSignature';
import { requireCallbackUrl } from '../notifications/callbackTargets';
import { merchantWorkflowId, rotateSigningKeyUpdate } from '../workflows/contracts/merchant';
import type { EndpointName } from '../providers/registry';
import type { SigningKeys } from '../workflows/endpoints';

export interface SigningSecret {
  endpoint: EndpointName;
  version: number;
  secret: string;
  /** The rotated-out secret, still signing beside the new one until `validUntil`. */
  previous?: { version: number; secret: string; validUntil: string };
}

function secretsOf({ config }: Deps, merchantId: string, endpoint: EndpointName, keys: SigningKeys): SigningSecret {
  const master = requiredKey(config, 'WEBHOOK_SIGNING_KEY');
  const secret = (version: number) => endpointSecret(master, merchantId, endpoint, version);
  const previous = previousInGrace(keys, new Date());
  return {
    endpoint,
    version: keys.version,
    secret: secret(keys.version),
    ...(previous ? { previous: { ...previous, secret: secret(previous.version) } } : {}),
  };
}

export async function signingSecret(deps: Deps, merchantId: string, endpoint: EndpointName): Promise<SigningSecret> {
  const { signingKeys } = await requireCallbackUrl(deps, merchantId, endpoint);
  return secretsOf(deps, merchantId, endpoint, signingKeys);
}

export async function rotateSigningSecret(deps: Deps, merchantId: string, endpoint: EndpointName): Promise<SigningSecret> {
  await requireCallbackUrl(deps, merchantId, endpoint); // 404 / 409 as for every endpoint route
  const keys = await deps.client.workflow.getHandle(merchantWorkflowId(merchantId)).executeUpdate(rotateSigningKeyUpdate, {
    args: [{ endpoint, graceMs: deps.config.WEBHOOK_SECRET_GRACE_HOURS * 3_600_000 }],
  });
  return secretsOf(deps, merchantId, endpoint, keys);
}
