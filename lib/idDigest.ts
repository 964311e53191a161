// Workflow ids are never encrypted (docs/security.md, Secrets and personal data at rest): what must not show in them in clear
// (notification tokens, CPF/CNPJ) enters them as this digest, prefixed by a purpose so that no two kinds collide.
import { createHash } from 'node:crypto';

export const idDigest = (purpose: string, ...parts: string[]): string =>
  createHash('sha256').update([`arauto/${purpose}`, ...parts].join('/')).digest('hex').slice(0, 40);
