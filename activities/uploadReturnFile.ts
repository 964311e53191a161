// Sends a bank return file to PlugBoleto, which answers the protocol to poll (seed 002's first step).
import { ApplicationFailure } from '@temporalio/common';
import { plugboletoFor, RETURN_FAILURES, type PlugBoletoDeps } from './pollReturnProtocol';

export interface ReturnFileUpload {
  cnpjCedente: string;
  /** The file, base64. */
  arquivo: string;
}

export function createUploadReturnFile(deps: PlugBoletoDeps | undefined) {
  return async function uploadReturnFile({ cnpjCedente, arquivo }: ReturnFileUpload): Promise<string> {
    const plugboleto = plugboletoFor(deps, cnpjCedente);
    const response = await fetch(`${plugboleto.baseUrl}/api/v1/retornos`, {
      method: 'POST',
      headers: { ...plugboleto.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ arquivo }),
      signal: AbortSignal.timeout(plugboleto.requestTimeoutMs ?? 60_000),
    });
    if (response.status >= 500) throw new Error(`PlugBoleto answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?._status !== 'sucesso' || !body._dados?.protocolo) {
      throw ApplicationFailure.nonRetryable(String(body?._mensagem ?? `HTTP ${response.status}`), RETURN_FAILURES.providerError);
    }
    return String(body._dados.protocolo);
  };
}
