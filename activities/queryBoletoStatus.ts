// P6: one conciliated title's boleto status, asked of PlugBoleto by idIntegracao.
import { ApplicationFailure } from '@temporalio/common';
import { credentialHeaders } from '../lib/plugboleto';
import { RETURN_FAILURES, type PlugBoletoDeps } from './pollReturnProtocol';

export interface BoletoRef {
  idIntegracao: string;
  cnpjCedente: string;
}

export function createQueryBoletoStatus(deps: PlugBoletoDeps | undefined) {
  return async function queryBoletoStatus({ idIntegracao, cnpjCedente }: BoletoRef): Promise<{ situacao: string }> {
    const credentials = deps?.credentials[cnpjCedente];
    if (!deps || !credentials) {
      throw ApplicationFailure.nonRetryable(`no PlugBoleto credentials for cedente ${cnpjCedente}`, RETURN_FAILURES.refused);
    }
    const response = await fetch(`${deps.baseUrl}/api/v1/boletos?idintegracao=${encodeURIComponent(idIntegracao)}`, {
      headers: credentialHeaders(cnpjCedente, credentials),
      signal: AbortSignal.timeout(deps.requestTimeoutMs ?? 20_000),
    });
    if (response.status >= 500) throw new Error(`PlugBoleto answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?._status !== 'sucesso') {
      throw ApplicationFailure.nonRetryable(String(body?._mensagem ?? `HTTP ${response.status}`), RETURN_FAILURES.providerError);
    }
    return { situacao: String(body._dados?.[0]?.situacao ?? '') };
  };
}
