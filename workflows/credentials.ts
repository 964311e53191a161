// An account's credentials (issue 5): OAuth client secrets and API keys, kept as SHA-256 digests only, by the
// merchant's entity workflow (merchant.ts), which calls handleCredentials.
import { ApplicationFailure, defineUpdate, setHandler } from '@temporalio/workflow';

export type CredentialKind = 'client' | 'apiKey';

export interface Credential {
  id: string;
  kind: CredentialKind;
  /** Hex SHA-256 of the secret: secrets are 256 random bits, so a fast digest is enough and no secret is kept. */
  digest: string;
  createdAt: string;
  revokedAt: string | null;
}

export type NewCredential = Pick<Credential, 'id' | 'kind' | 'digest'>;

/** A credential of the account (only its digest); answers it. */
export const addCredentialUpdate = defineUpdate<Credential, [NewCredential]>('addCredential');
/** From now on the credential authenticates nothing (the access tokens of a client included). */
export const revokeCredentialUpdate = defineUpdate<Credential, [string]>('revokeCredential');
/** The failure type of a revocation refused by its validator: the account has no such credential. */
export const CREDENTIAL_NOT_FOUND = 'CredentialNotFound';

/** The entity's credential handlers; `publish` puts the list in the memo, where the API reads it. */
export function handleCredentials(credentials: Credential[], publish: () => void): void {
  setHandler(addCredentialUpdate, (added) => {
    const credential: Credential = { ...added, createdAt: new Date().toISOString(), revokedAt: null };
    credentials.push(credential);
    publish();
    return credential;
  }, {
    validator: ({ id, digest }) => {
      if (credentials.some((c) => c.id === id)) throw new Error(`credential ${id} exists`);
      if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error('expected a hex SHA-256 digest');
    },
  });
  setHandler(revokeCredentialUpdate, (id) => {
    const credential = credentials.find((c) => c.id === id)!;
    credential.revokedAt ??= new Date().toISOString();
    publish();
    return credential;
  }, {
    validator: (id) => {
      if (!credentials.some((c) => c.id === id)) {
        throw ApplicationFailure.nonRetryable(`no credential ${id}`, CREDENTIAL_NOT_FOUND);
      }
    },
  });
}
