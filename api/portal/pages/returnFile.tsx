// One return file (seed 002): where it is and, once PlugBoleto processed it, its typed result (P4) with each
// conciliated title's boleto status (P6): paid and notified, not paid, or unavailable with why — read only.
import type { ReturnFileView } from '../../returnFiles';
import { formatInstant, wordsOf, type Language } from '../language';
import { Layout, type PageContext } from '../layout';
import { ScrollingTable } from './scrollingTable';
import { returnFileWords } from './returnFiles';

const words = wordsOf({
  'pt-BR': {
    summary: 'Resumo', processed: 'Títulos processados', failure: 'Motivo da falha', running: 'Ainda em andamento: recarregue a página para ver o resultado.',
    titles: 'Títulos conciliados', titlesCaption: 'Títulos que o PlugBoleto conciliou, com a situação do boleto consultada',
    idIntegracao: 'idIntegracao', cedente: 'CNPJ do cedente', boleto: 'Situação do boleto', paid: 'pago: notificação enviada',
    notPaid: 'não pago', unavailable: 'situação indisponível:', noTitles: 'Nenhum título conciliado.',
    unreconciled: 'Títulos não conciliados', unreconciledCaption: 'Títulos do arquivo que o PlugBoleto não conhece, guardados para o controle da conta',
    nossoNumero: 'Nosso número', documento: 'Número do documento', vencimento: 'Vencimento', pagamento: 'Pago?',
    dataPagamento: 'Data do pagamento', valorPago: 'Valor pago', ocorrencias: 'Ocorrências', yes: 'sim', no: 'não',
    noUnreconciled: 'Nenhum título não conciliado.', back: 'Voltar aos arquivos de retorno',
  },
  en: {
    summary: 'Summary', processed: 'Titles processed', failure: 'Why it failed', running: 'Still in progress: reload the page to see the result.',
    titles: 'Reconciled titles', titlesCaption: 'Titles PlugBoleto reconciled, with the boleto status it answered',
    idIntegracao: 'idIntegracao', cedente: "Cedente's CNPJ", boleto: 'Boleto status', paid: 'paid: notification sent',
    notPaid: 'not paid', unavailable: 'status unavailable:', noTitles: 'No reconciled titles.',
    unreconciled: 'Unreconciled titles', unreconciledCaption: "Titles of the file PlugBoleto does not know, kept for the account's control",
    nossoNumero: 'Nosso número', documento: 'Document number', vencimento: 'Due date', pagamento: 'Paid?',
    dataPagamento: 'Payment date', valorPago: 'Amount paid', ocorrencias: 'Occurrences', yes: 'yes', no: 'no',
    noUnreconciled: 'No unreconciled titles.', back: 'Back to return files',
  },
});

const money = {
  'pt-BR': new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'BRL' }),
};
const day = {
  'pt-BR': new Intl.DateTimeFormat('pt-BR', { timeZone: 'UTC', dateStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }),
};
/** An ISO date (P4's dates, converted from dd/mm/yyyy) as the merchant reads it. */
const formatDay = (language: Language, iso: string | null) => (iso ? day[language].format(new Date(`${iso}T00:00:00Z`)) : '—');

export function ReturnFilePage({ context, view }: { context: PageContext; view: ReturnFileView }) {
  const w = words[context.language];
  const f = returnFileWords[context.language];
  return (
    <Layout context={context} title={`${f.returnFile} ${view.protocolo ?? view.returnId}`}>
      <h2>{w.summary}</h2>
      <dl class="facts">
        <dt>{f.returnFile}</dt><dd>{view.returnId}</dd>
        <dt>{f.state}</dt><dd>{f[view.status]}</dd>
        <dt>{f.protocol}</dt><dd>{view.protocolo ?? '—'}</dd>
        <dt>{f.submittedAt}</dt><dd>{formatInstant(context.language, view.submittedAt)}</dd>
        <dt>{f.closedAt}</dt><dd>{formatInstant(context.language, view.closedAt)}</dd>
        {view.result && <><dt>{w.processed}</dt><dd>{view.result.processados}</dd></>}
        {view.failure && <><dt>{w.failure}</dt><dd>{view.failure.message}{view.failure.type && ` (${view.failure.type})`}</dd></>}
      </dl>
      {!view.result && !view.failure && <p role="status">{w.running}</p>}
      {view.result && <Result language={context.language} result={view.result} />}
      <p><a href="/portal/arquivos-de-retorno">{w.back}</a></p>
    </Layout>
  );
}

function Result({ language, result }: { language: Language; result: NonNullable<ReturnFileView['result']> }) {
  const w = words[language];
  const paid = new Map(result.paid.map((p) => [p.idIntegracao, p.deliveryId]));
  const unavailable = new Map((result.statusUnavailable ?? []).map((u) => [u.idIntegracao, u.failure]));
  return (
    <>
      <h2>{w.titles}</h2>
      {result.titulos.length === 0 ? <p>{w.noTitles}</p> : (
        <ScrollingTable caption={w.titlesCaption}>
          <thead>
            <tr><th scope="col">{w.idIntegracao}</th><th scope="col">{w.cedente}</th><th scope="col">{w.boleto}</th></tr>
          </thead>
          <tbody>
            {result.titulos.map((t) => {
              const deliveryId = paid.get(t.idIntegracao);
              const failure = unavailable.get(t.idIntegracao);
              return (
                <tr key={t.idIntegracao}>
                  <td>{t.idIntegracao}</td>
                  <td>{t.cedenteCpfCnpj ?? '—'}</td>
                  <td>
                    {deliveryId ? <a href={`/portal/entregas/${encodeURIComponent(deliveryId)}`}>{w.paid}</a>
                      : failure ? `${w.unavailable} ${failure.message}` : w.notPaid}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </ScrollingTable>
      )}
      <h2>{w.unreconciled}</h2>
      {result.titulosNaoConciliados.length === 0 ? <p>{w.noUnreconciled}</p> : (
        <ScrollingTable caption={w.unreconciledCaption}>
          <thead>
            <tr>
              <th scope="col">{w.nossoNumero}</th><th scope="col">{w.documento}</th><th scope="col">{w.vencimento}</th>
              <th scope="col">{w.pagamento}</th><th scope="col">{w.dataPagamento}</th><th scope="col">{w.valorPago}</th>
              <th scope="col">{w.ocorrencias}</th>
            </tr>
          </thead>
          <tbody>
            {result.titulosNaoConciliados.map((t, i) => (
              <tr key={`${t.nossoNumero}-${i}`}>
                <td>{t.nossoNumero}</td>
                <td>{t.numeroDocumento}</td>
                <td>{formatDay(language, t.vencimento)}</td>
                <td>{t.pagamento.realizado ? w.yes : w.no}</td>
                <td>{formatDay(language, t.pagamento.data)}</td>
                <td>{money[language].format(t.pagamento.valorPagoCents / 100)}</td>
                <td>{t.ocorrencias.join('; ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
    </>
  );
}
