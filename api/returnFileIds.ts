// A return file's workflow id: one per protocol, or per uploaded file (by its content), of a cedente. The cedente's
// CNPJ enters it as a digest only (ids are never encrypted); ids of runs started before that carry it in clear and
// are still read (GET) and still answer a repeated submission.
import { createHash } from 'node:crypto';
import { idDigest } from '../lib/idDigest';

export interface ReturnIdentity {
  cnpjCedente: string;
  protocolo?: string;
  /** The file, base64; used when there is no protocolo. */
  arquivo?: string;
}

const fileDigest = (arquivo: string | undefined) => createHash('sha256').update(arquivo ?? '').digest('hex').slice(0, 32);

export function returnIdOf({ cnpjCedente, protocolo, arquivo }: ReturnIdentity): string {
  return protocolo
    ? `return-protocol.${idDigest('return-protocol', cnpjCedente, protocolo)}`
    : `return-file.${idDigest('return-file', cnpjCedente, fileDigest(arquivo))}`;
}

/** The id the same submission got before ids were digested (`return-protocol.<cnpj>.<protocolo>`). */
export function legacyReturnIdOf({ cnpjCedente, protocolo, arquivo }: ReturnIdentity): string {
  return protocolo ? `return-protocol.${cnpjCedente}.${protocolo}` : `return-file.${cnpjCedente}.${fileDigest(arquivo)}`;
}

/** Either form. */
export const RETURN_ID_PATTERN = /^return-(protocol|file)\.([0-9a-f]{40}|\d{14}\.[A-Za-z0-9_-]{1,128})$/;
