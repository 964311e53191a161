// An account's credentials (issue 5): OAuth client secrets and API keys, kept as SHA-256 digests only. Pure types:
// imported by workflows.

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
