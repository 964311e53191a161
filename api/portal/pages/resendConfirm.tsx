// G8: "Reenviar callback" asks first, as seed 000's panel does: how many will be resent, how many were already sent
// (and will not be), then "sim" or "não". Nothing is sent until "sim".
import { wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import type { LogFields } from '../logFilter';

const words = wordsOf({
  'pt-BR': {
    title: 'Reenviar callback', question: 'Confirma o reenvio?', yes: 'sim', no: 'não',
    one: '1 notificação será reenviada.', many: '{n} notificações serão reenviadas.',
    sentOne: '1 já foi enviada e não será reenviada.', sentMany: '{n} já foram enviadas e não serão reenviadas.',
    none: 'Nenhuma notificação selecionada espera reenvio.', back: 'Voltar aos logs',
    changed: 'A seleção mudou desde a pergunta anterior (algo foi enviado ou notificado nesse meio-tempo). Veja a nova contagem:',
    queue: 'O callback entra numa fila de envio e é reenviado em poucos minutos.',
  },
  en: {
    title: 'Resend callback', question: 'Resend them?', yes: 'yes', no: 'no',
    one: '1 notification will be resent.', many: '{n} notifications will be resent.',
    sentOne: '1 was already sent and will not be resent.', sentMany: '{n} were already sent and will not be resent.',
    none: 'No selected notification is waiting to be resent.', back: 'Back to the logs',
    changed: 'The selection changed since the last question (something was sent or notified meanwhile). The new count:',
    queue: 'The callback enters a send queue and is resent within a few minutes.',
  },
});

/** What was selected, carried from the logs to this page and on to "sim": the rows ticked, or the filters. */
export interface ResendChoice {
  action: 'selecionadas' | 'todas';
  deliveryIds: string[];
  fields: LogFields;
}

export function ResendConfirmPage({ context, endpoint, choice, count, alreadySent, changed }: {
  context: PageContext; endpoint: string; choice: ResendChoice; count: number; alreadySent: number; changed?: boolean;
}) {
  const w = words[context.language];
  const counted = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('{n}', String(n)));
  return (
    <Layout context={context} title={w.title}>
      {changed && <p role="alert">{w.changed}</p>}
      <div role="status" class="card">
        <p>{count === 0 ? w.none : counted(count, w.one, w.many)}</p>
        {alreadySent > 0 && <p>{counted(alreadySent, w.sentOne, w.sentMany)}</p>}
      </div>
      {count > 0 && <h2>{w.question}</h2>}
      {count > 0 && <p class="hint">{w.queue}</p>}
      <div class="actions">
        {count > 0 && (
          <form method="post" action={`/portal/integracoes/${endpoint}/reenvios/confirmacao`} class="inline">
            <input type="hidden" name="_csrf" value={context.session!.csrfToken} />
            <input type="hidden" name="acao" value={choice.action} />
            {choice.deliveryIds.map((id) => <input type="hidden" name="entrega" value={id} />)}
            {Object.entries(choice.fields).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
            <input type="hidden" name="confirmCount" value={String(count)} />
            <button type="submit">{w.yes}</button>
          </form>
        )}
        <form method="get" action={`/portal/integracoes/${endpoint}/logs`} class="inline">
          {Object.entries(choice.fields).filter(([, v]) => v !== '').map(([name, value]) => <input type="hidden" name={name} value={value} />)}
          <button type="submit" class="secondary">{count > 0 ? w.no : w.back}</button>
        </form>
      </div>
    </Layout>
  );
}
