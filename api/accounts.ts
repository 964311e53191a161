// Accounts (issue 5): a merchant's entity workflow is its account; it keeps the digests of its credentials. A
// secret is generated here, shown once, and never stored.
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Deps } from '../lib/deps';
import { NotFound } from '../notifications/errors';
import { merchantStateQuery, merchantWorkflowId, registerCallbackUrlsUpdate } from '../workflows/contracts/merchant';
import {
  addCredentialUpdate, CREDENTIAL_NOT_FOUND, revokeCredentialUpdate, type Credential, type CredentialKind,
} from '../workflows/credentials';
import { digestOf, newSecret } from './auth';
import { startMerchant } from './merchants';

/** A new credential, with the only copy of its secret. */
export interface IssuedCredential {
  id: string;
  kind: CredentialKind;
  /** client: `client_id` for POST /oauth/token. */
  clientId?: string;
  /** client: `client_secret`; apiKey: the whole key to send as a bearer. */
  secret: string;
}

export type CredentialView = Omit<Credential, 'digest'>;

/** Creates the account when missing (the operator bootstrap), with a client and an API key. */
export async function createAccount(
  { client, config }: Deps, merchantId: string, notificationEmail?: string,
): Promise<IssuedCredential[]> {
  const handle = await startMerchant({ client, config }, merchantId);
  if (notificationEmail) await handle.executeUpdate(registerCallbackUrlsUpdate, { args: [{ notificationEmail }] });
  const deps = { client, config };
  return [await issueCredential(deps, merchantId, 'client'), await issueCredential(deps, merchantId, 'apiKey')];
}

export async function issueCredential(
  { client }: Deps, merchantId: string, kind: CredentialKind,
): Promise<IssuedCredential> {
  const id = randomBytes(5).toString('hex');
  const secret = newSecret();
  await client.workflow.getHandle(merchantWorkflowId(merchantId))
    .executeUpdate(addCredentialUpdate, { args: [{ id, kind, digest: digestOf(secret) }] });
  return kind === 'client'
    ? { id, kind, clientId: `${merchantId}.${id}`, secret }
    : { id, kind, secret: `ak.${merchantId}.${id}.${secret}` };
}

export async function listCredentials({ client }: Deps, merchantId: string): Promise<CredentialView[]> {
  const handle = client.workflow.getHandle(merchantWorkflowId(merchantId));
  const { credentials } = await handle.query(merchantStateQuery);
  return (credentials ?? []).map(({ digest: _, ...view }) => view);
}

export async function revokeCredential({ client }: Deps, merchantId: string, id: string): Promise<CredentialView> {
  try {
    const { digest: _, ...view } = await client.workflow.getHandle(merchantWorkflowId(merchantId))
      .executeUpdate(revokeCredentialUpdate, { args: [id] });
    return view;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === CREDENTIAL_NOT_FOUND) {
      throw new NotFound(`No credential ${id}.`);
    }
    throw err;
  }
}
