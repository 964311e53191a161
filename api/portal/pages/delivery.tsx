// A row of the log opened (G7): the notification's delivery with every attempt — time, status code or error class,
// latency and the first bytes the receiver answered, shown as text (Preact escapes it: a receiver's HTML never runs).
import type { DeliveryState } from '../../../workflows/contracts/deliverCallback';
import { formatInstant, wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import { ScrollingTable } from './scrollingTable';

const words = wordsOf({
  'pt-BR': {
    title: 'Tentativas da cobrança', status: 'Situação', url: 'URL', charge: 'Cobrança', attempts: 'Tentativas',
    caption: 'Cada tentativa de envio, da primeira à última', number: 'Nº', series: 'Série', at: 'Quando',
    outcome: 'Resultado', latency: 'Latência', answer: 'Resposta do recebedor', none: 'Nenhuma tentativa ainda.',
    next: 'Próxima tentativa', back: 'Voltar aos logs', ms: 'ms', empty: '(vazia)',
    delivering: 'enviando', delivered: 'enviada', failed: 'não enviada (tentativas esgotadas)', held: 'retida (URL inativa)',
    seriesHint: 'Série 1: o envio original; cada reenvio começa uma nova série.',
  },
  en: {
    title: 'Attempts for charge', status: 'Status', url: 'URL', charge: 'Charge', attempts: 'Attempts',
    caption: 'Every sending attempt, first to last', number: 'No.', series: 'Series', at: 'When',
    outcome: 'Outcome', latency: 'Latency', answer: "Receiver's answer", none: 'No attempt yet.',
    next: 'Next attempt', back: 'Back to the logs', ms: 'ms', empty: '(empty)',
    delivering: 'sending', delivered: 'sent', failed: 'not sent (attempts exhausted)', held: 'held (URL inactive)',
    seriesHint: 'Series 1: the original sending; each resend starts a new series.',
  },
});

export function DeliveryPage({ context, delivery, chargeId, logsHref }: {
  context: PageContext; delivery: DeliveryState; chargeId: string; logsHref: string;
}) {
  const w = words[context.language];
  return (
    <Layout context={context} title={`${w.title} ${chargeId}`}>
      <dl class="card">
        <dt>{w.charge}</dt><dd>{chargeId}</dd>
        <dt>{w.status}</dt><dd>{w[delivery.status]}</dd>
        <dt>{w.url}</dt><dd class="excerpt">{delivery.endpointUrl}</dd>
        {delivery.nextAttemptAt && <><dt>{w.next}</dt><dd>{formatInstant(context.language, delivery.nextAttemptAt)}</dd></>}
      </dl>
      <h2>{w.attempts}</h2>
      {delivery.attempts.length === 0 ? <p role="status">{w.none}</p> : (
        <ScrollingTable caption={w.caption}>
          <thead>
            <tr>
              <th scope="col">{w.number}</th><th scope="col">{w.series}</th><th scope="col">{w.at}</th>
              <th scope="col">{w.outcome}</th><th scope="col">{w.latency}</th><th scope="col">{w.answer}</th>
            </tr>
          </thead>
          <tbody>
            {delivery.attempts.map((attempt) => (
              <tr>
                <td>{attempt.number}</td>
                <td>{attempt.series}</td>
                <td>{formatInstant(context.language, attempt.at)}</td>
                <td>{attempt.statusCode !== undefined ? `HTTP ${attempt.statusCode}` : attempt.errorClass}</td>
                <td>{attempt.latencyMs} {w.ms}</td>
                <td><pre class="excerpt">{attempt.responseExcerpt || w.empty}</pre></td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
      <p class="hint">{w.seriesHint}</p>
      <p><a href={logsHref}>{w.back}</a></p>
    </Layout>
  );
}
