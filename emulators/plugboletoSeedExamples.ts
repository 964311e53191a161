// Seed 002's two example answers, verbatim, under protocols the emulator always knows: `npm start` shows P4 on them
// (the seed gives no protocol number, so these are ours). Their boletos' statuses (P6) are the emulator's choice.

/** The first example: two conciliated titles and one unconciliated, in Brazilian formats. */
export const SEED_EXAMPLE_PROTOCOL = 'exemplo-seed-002';
/** The second: titles of two cedentes (matriz e filial on one account), each with its `cedentecpfcnpj`. */
export const SEED_MIXED_CEDENTES_PROTOCOL = 'exemplo-seed-002-matriz-filial';

/** Seed 002's unconciliated title, as PlugBoleto writes it (P4: Brazilian formats). */
export const SEED_UNRECONCILED_TITLE = {
  Ocorrencias: ['Movimento: Liquidação normal'], CodigosOcorrencias: [], CodigoMovimento: '06',
  TituloNossoNumero: '03300000780', TituloNossoNumeroOriginal: '78', TituloDataVencimento: '02/10/2017',
  PagamentoValorPago: '427,81', PagamentoValorCredito: '0,00', PagamentoValorTaxaCobranca: '0,00',
  PagamentoValorAcrescimos: '0,00', PagamentoData: '20/09/2017', PagamentoDataCredito: '20/09/2017',
  PagamentoRealizado: true, PagamentoValorOutrosCreditos: '0,00', TituloNumeroDocumento: '1020',
};

export const SEED_EXAMPLE_ANSWERS: Record<string, unknown> = {
  [SEED_EXAMPLE_PROTOCOL]: {
    _status: 'sucesso',
    _dados: {
      situacao: 'PROCESSADO', mensagem: '', processados: 2,
      titulos: [{ idIntegracao: 'HyNyGOtj-' }, { idIntegracao: 'B1lBl1v5j-' }],
      titulosNaoConciliados: [SEED_UNRECONCILED_TITLE],
    },
  },
  [SEED_MIXED_CEDENTES_PROTOCOL]: {
    _status: 'sucesso',
    _dados: {
      situacao: 'PROCESSADO', mensagem: '', processados: 2,
      titulos: [
        { idIntegracao: 'HyNyGOtj-', cedentecpfcnpj: '99999999999999' },
        { idIntegracao: 'B1lBl1v5j-', cedentecpfcnpj: '99999999999998' },
      ],
      titulosNaoConciliados: [],
    },
  },
};

/** The examples' boletos: one paid, one still open. */
export const SEED_EXAMPLE_BOLETOS = [
  { idIntegracao: 'HyNyGOtj-', situacao: 'PAGO' },
  { idIntegracao: 'B1lBl1v5j-', situacao: 'EMITIDO' },
] as const;
