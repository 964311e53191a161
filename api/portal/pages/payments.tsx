// Pagamentos (I1, I2): the account's payments and each one's receipt deliveries — "did it arrive?" — read only.
import type { PaymentRow, ReceiptDelivery } from '../../paymentList';
import { formatInstant, wordsOf, type Language } from '../language';
import { Layout, type PageContext } from '../layout';
import { ScrollingTable } from './scrollingTable';

const words = wordsOf({
  'pt-BR': {
    title: 'Pagamentos', caption: 'Pagamentos da conta, os em processamento primeiro e depois os mais recentes',
    empty: 'Esta conta ainda não tem pagamentos.', payment: 'Pagamento', requestId: 'clientRequestId', status: 'Situação',
    amount: 'Valor', requestedAt: 'Solicitado em', receipts: 'Recibos (webhook)', processing: 'em processamento',
    done: 'pago', failed: 'não concluído', sent: 'Enviado', yes: 'sim', no: 'não', attempts: 'tentativas',
    noReceipt: 'Nenhum recibo enviado', receiptNotSent: 'Recibo não enviado:',
    next: 'Próxima página', first: 'Primeira página',
    about: 'Cada pedido de pagamento (também as repetições com o mesmo clientRequestId) é respondido por um recibo enviado à URL de recibos de pagamento. Abra uma entrega para ver suas tentativas.',
    delivering: 'enviando', delivered: 'entregue', held: 'retido (URL inativa)', failedDelivery: 'falhou',
  },
  en: {
    title: 'Payments', caption: "The account's payments, those processing first, then the most recent",
    empty: 'This account has no payments yet.', payment: 'Payment', requestId: 'clientRequestId', status: 'Status',
    amount: 'Amount', requestedAt: 'Requested at', receipts: 'Receipts (webhook)', processing: 'processing',
    done: 'paid', failed: 'not completed', sent: 'Sent', yes: 'yes', no: 'no', attempts: 'attempts',
    noReceipt: 'No receipt sent', receiptNotSent: 'Receipt not sent:',
    next: 'Next page', first: 'First page',
    about: 'Every payment request (repeats with the same clientRequestId too) is answered by a receipt sent to the payment receipts URL. Open a delivery to see its attempts.',
    delivering: 'sending', delivered: 'delivered', held: 'held (URL inactive)', failedDelivery: 'failed',
  },
});

const money = {
  'pt-BR': new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }),
  en: new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'BRL' }),
};

export function PaymentsPage({ context, payments, nextPage, paged }: {
  context: PageContext; payments: PaymentRow[]; nextPage: string | null; paged: boolean;
}) {
  const w = words[context.language];
  return (
    <Layout context={context} title={w.title}>
      <p class="hint">{w.about}</p>
      {payments.length === 0 ? <p role="status">{w.empty}</p> : (
        <ScrollingTable caption={w.caption}>
          <thead>
            <tr>
              <th scope="col">{w.payment}</th><th scope="col">{w.status}</th><th scope="col">{w.amount}</th>
              <th scope="col">{w.requestedAt}</th><th scope="col">{w.receipts}</th>
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.paymentId}>
                <td><strong>{p.paymentId}</strong><br /><span class="hint">{w.requestId}: {p.clientRequestId}</span></td>
                <td>{w[p.status]}</td>
                <td>{p.amount === null ? '—' : money[context.language].format(p.amount)}</td>
                <td>{formatInstant(context.language, p.requestedAt)}</td>
                <td><Receipts language={context.language} payment={p} /></td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
      {(nextPage || paged) && (
        <p class="actions">
          {paged && <a href="/portal/pagamentos">{w.first}</a>}
          {nextPage && <a href={`/portal/pagamentos?pagina=${encodeURIComponent(nextPage)}`}>{w.next}</a>}
        </p>
      )}
    </Layout>
  );
}

function Receipts({ language, payment }: { language: Language; payment: PaymentRow }) {
  const w = words[language];
  if (payment.receipts.length === 0) {
    return <>{payment.receiptNotSent ? `${w.receiptNotSent} ${payment.receiptNotSent}` : w.noReceipt}</>;
  }
  return (
    <ul>
      {payment.receipts.map((r) => (
        <li key={r.deliveryId}>
          <a href={`/portal/entregas/${encodeURIComponent(r.deliveryId)}`}>{w.sent}: {r.sent ? w.yes : w.no}</a>
          {' · '}{deliveryStatus(language, r)} · {formatInstant(language, r.notifiedAt)}
          {r.attempts > 1 && ` · ${r.attempts} ${w.attempts}`}
        </li>
      ))}
    </ul>
  );
}

function deliveryStatus(language: Language, r: ReceiptDelivery): string {
  const w = words[language];
  return r.status === 'failed' ? w.failedDelivery : w[r.status];
}
