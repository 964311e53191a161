// PlugBoleto's return-file protocol (seed 002, P1–P5): the request it expects and the typed result of its answer.
// Brazilian formats become integers and ISO dates here, once: money "427,81" → 42781 cents, "20/09/2017" →
// "2017-09-20".

/** P1: documented base URLs; Arauto's is configuration (PLUGBOLETO_BASE_URL), the emulator by default. */
export const PLUGBOLETO_PRESETS = {
  homologacao: 'https://homologacao.plugboleto.com.br',
  producao: 'https://plugboleto.com.br',
} as const;

/** P2: a software house acting for the cedente, or the cedente's own token. */
export type PlugBoletoCredentials =
  | { mode: 'softwareHouse'; cnpjSh: string; tokenSh: string }
  | { mode: 'cedente'; tokenCedente: string };

export function credentialHeaders(cnpjCedente: string, credentials: PlugBoletoCredentials): Record<string, string> {
  return credentials.mode === 'softwareHouse'
    ? { 'cnpj-sh': credentials.cnpjSh, 'token-sh': credentials.tokenSh, 'cnpj-cedente': cnpjCedente }
    : { 'content-type': 'application/json', 'cnpj-cedente': cnpjCedente, 'token-cedente': credentials.tokenCedente };
}

export interface ConciliatedTitle {
  idIntegracao: string;
  /** Present when the file mixes cedentes (matriz e filial on one account). */
  cedenteCpfCnpj?: string;
}

/** A title in the file that PlugBoleto does not know (issued at the bank), kept for the account (P4). */
export interface UnconciliatedTitle {
  ocorrencias: string[];
  codigosOcorrencias: string[];
  codigoMovimento: string;
  nossoNumero: string;
  nossoNumeroOriginal: string;
  numeroDocumento: string;
  vencimento: string | null;
  pagamento: {
    realizado: boolean;
    data: string | null;
    dataCredito: string | null;
    valorPagoCents: number;
    valorCreditoCents: number;
    valorTaxaCobrancaCents: number;
    valorAcrescimosCents: number;
    valorOutrosCreditosCents: number;
  };
}

export interface ProcessedReturn {
  processados: number;
  titulos: ConciliatedTitle[];
  titulosNaoConciliados: UnconciliatedTitle[];
}

/** What one GET of the protocol answered. */
export type ProtocolAnswer =
  | { situacao: 'PROCESSANDO'; mensagem: string }
  | { situacao: 'PROCESSADO'; result: ProcessedReturn }
  | { situacao: 'ERRO'; mensagem: string };

/** "1.234,56" → 123456; throws on anything else, naming the value. */
export function centsFromBrl(value: string): number {
  const match = /^(-?)(\d{1,3}(?:\.\d{3})*|\d+),(\d{2})$/.exec(value.trim());
  if (!match) throw new Error(`not a Brazilian amount: "${value}"`);
  const cents = Number(match[2].replaceAll('.', '')) * 100 + Number(match[3]);
  return match[1] ? -cents : cents;
}

/** "20/09/2017" → "2017-09-20"; "" → null; throws on an impossible date. */
export function isoDateFromBr(value: string): string | null {
  if (value.trim() === '') return null;
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  const iso = match ? `${match[3]}-${match[2]}-${match[1]}` : '';
  if (!match || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
    throw new Error(`not a dd/mm/yyyy date: "${value}"`);
  }
  return iso;
}

/** The answer's body as the seed documents it (P3–P5). */
export function parseProtocolAnswer(body: any): ProtocolAnswer {
  if (body?._status === 'erro') return { situacao: 'ERRO', mensagem: String(body._mensagem ?? '') };
  const dados = body?._dados;
  if (body?._status !== 'sucesso' || !dados) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 200)}`);
  if (dados.situacao === 'PROCESSANDO') return { situacao: 'PROCESSANDO', mensagem: String(body._mensagem ?? '') };
  if (dados.situacao !== 'PROCESSADO') throw new Error(`unknown situacao "${dados.situacao}"`);
  return {
    situacao: 'PROCESSADO',
    result: {
      processados: Number(dados.processados),
      titulos: (dados.titulos ?? []).map((t: any) => ({
        idIntegracao: String(t.idIntegracao),
        ...(t.cedentecpfcnpj ? { cedenteCpfCnpj: String(t.cedentecpfcnpj) } : {}),
      })),
      titulosNaoConciliados: (dados.titulosNaoConciliados ?? []).map(unconciliated),
    },
  };
}

function unconciliated(t: any): UnconciliatedTitle {
  return {
    ocorrencias: (t.Ocorrencias ?? []).map(String),
    codigosOcorrencias: (t.CodigosOcorrencias ?? []).map(String),
    codigoMovimento: String(t.CodigoMovimento ?? ''),
    nossoNumero: String(t.TituloNossoNumero ?? ''),
    nossoNumeroOriginal: String(t.TituloNossoNumeroOriginal ?? ''),
    numeroDocumento: String(t.TituloNumeroDocumento ?? ''),
    vencimento: isoDateFromBr(String(t.TituloDataVencimento ?? '')),
    pagamento: {
      realizado: t.PagamentoRealizado === true,
      data: isoDateFromBr(String(t.PagamentoData ?? '')),
      dataCredito: isoDateFromBr(String(t.PagamentoDataCredito ?? '')),
      valorPagoCents: centsFromBrl(String(t.PagamentoValorPago ?? '0,00')),
      valorCreditoCents: centsFromBrl(String(t.PagamentoValorCredito ?? '0,00')),
      valorTaxaCobrancaCents: centsFromBrl(String(t.PagamentoValorTaxaCobranca ?? '0,00')),
      valorAcrescimosCents: centsFromBrl(String(t.PagamentoValorAcrescimos ?? '0,00')),
      valorOutrosCreditosCents: centsFromBrl(String(t.PagamentoValorOutrosCreditos ?? '0,00')),
    },
  };
}
