// Sends a bank return file to PlugBoleto, which answers the protocol to poll (seed 002's first step).
import { ApplicationFailure } from '@temporalio/common';
import { credentialHeaders } from '../lib/plugboleto';
import { RETURN_FAILURES, type PlugBoletoDeps } from './pollReturnProtocol';

export interface ReturnFileUpload {
  cnpjCedente: string;
  /** The file, base64. */
  arquivo: string;
}

export function createUploadReturnFile(deps: PlugBoletoDeps | undefined) {
  return async function uploadReturnFile({ cnpjCedente, arquivo }: ReturnFileUpload): Promise<string> {
    const credentials = deps?.credentials[cnpjCedente];
    if (!deps || !credentials) {
      throw ApplicationFailure.nonRetryable(`no PlugBoleto credentials for cedente ${cnpjCedente}`, RETURN_FAILURES.refused);
    }
    const response = await fetch(`${deps.baseUrl}/api/v1/retornos`, {
      method: 'POST',
      headers: { ...credentialHeaders(cnpjCedente, credentials), 'content-type': 'application/json' },
      body: JSON.stringify({ arquivo }),
      signal: AbortSignal.timeout(deps.requestTimeoutMs ?? 60_000),
    });
    if (response.status >= 500) throw new Error(`PlugBoleto answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?._status !== 'sucesso' || !body._dados?.protocolo) {
      throw ApplicationFailure.nonRetryable(String(body?._mensagem ?? `HTTP ${response.status}`), RETURN_FAILURES.providerError);
    }
    return String(body._dados.protocolo);
  };
}
