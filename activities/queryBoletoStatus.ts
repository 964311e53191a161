// P6: one conciliated title's boleto status, asked of PlugBoleto by idIntegracao.
import { ApplicationFailure } from '@temporalio/common';
import { plugboletoFor, RETURN_FAILURES, type PlugBoletoDeps } from './pollReturnProtocol';

export interface BoletoRef {
  idIntegracao: string;
  /** The title's cedente. */
  cnpjCedente: string;
  /** The cedente that submitted the return, whose credentials serve a title's cedente without its own. */
  accountCnpjCedente?: string;
}

export function createQueryBoletoStatus(deps: PlugBoletoDeps | undefined) {
  return async function queryBoletoStatus({ idIntegracao, cnpjCedente, accountCnpjCedente }: BoletoRef): Promise<{ situacao: string }> {
    const plugboleto = plugboletoFor(deps, cnpjCedente, accountCnpjCedente);
    const response = await fetch(`${plugboleto.baseUrl}/api/v1/boletos?idintegracao=${encodeURIComponent(idIntegracao)}`, {
      headers: plugboleto.headers,
      signal: AbortSignal.timeout(plugboleto.requestTimeoutMs ?? 20_000),
    });
    if (response.status >= 500) throw new Error(`PlugBoleto answered HTTP ${response.status}`); // retried
    const body: any = await response.json();
    if (body?._status !== 'sucesso') {
      throw ApplicationFailure.nonRetryable(String(body?._mensagem ?? `HTTP ${response.status}`), RETURN_FAILURES.providerError);
    }
    return { situacao: String(body._dados?.[0]?.situacao ?? '') };
  };
}
