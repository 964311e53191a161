// G7: "Logs" of one URL, as seed 000's panel shows them: filters (charge number, sent, period), a paged table whose
// rows are selected for "Reenviar callback" (G8), each opening its attempts.
import type { z } from 'zod';
import type { logRowSchema } from '../../schemas';
import { formatInstant, wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import { ScrollingTable } from './scrollingTable';
import type { LogFieldError, LogFields } from '../logFilter';

export const logsWords = wordsOf({
  'pt-BR': {
    title: 'Logs', filters: 'Filtros', charge: 'Número da cobrança', sent: 'Enviado', all: 'todos', yes: 'sim', no: 'não',
    from: 'De', to: 'Até', periodHint: 'Horário de Brasília.', filter: 'Filtrar',
    caption: 'Notificações para esta URL, as em aberto primeiro',
    chargeColumn: 'Cobrança', selectAll: 'Selecionar todas', selectCharge: 'Selecionar cobrança', changed: 'O que mudou',
    attempts: 'Tentativas', notifiedAt: 'Notificada em', details: 'Detalhes', seeAttempts: 'Ver tentativas',
    nextPage: 'Próxima página', empty: 'Nenhuma notificação atende aos filtros.',
    resendSelected: 'Reenviar callback', resendAll: 'Reenviar todas que atendem aos filtros',
    resendHint: 'Só as não enviadas são reenviadas; você confirma antes do envio.',
    nothingSelected: 'Nenhuma notificação foi selecionada: marque as linhas a reenviar.',
    invalid: 'Corrija os campos indicados.',
    'error.charge': 'Use de 1 a 64 letras, números, "_" ou "-".', 'error.sent': 'Escolha todos, sim ou não.',
    'error.instant': 'Informe data e hora (dd/mm/aaaa hh:mm).', 'error.period': '"Até" deve ser depois de "De".',
    'error.page': 'Esta página da lista não vale para estes filtros: filtre de novo.',
  },
  en: {
    title: 'Logs', filters: 'Filters', charge: 'Charge number', sent: 'Sent', all: 'all', yes: 'yes', no: 'no',
    from: 'From', to: 'Until', periodHint: 'Brasília time.', filter: 'Filter',
    caption: 'Notifications to this URL, open ones first',
    chargeColumn: 'Charge', selectAll: 'Select all', selectCharge: 'Select charge', changed: 'What changed',
    attempts: 'Attempts', notifiedAt: 'Notified at', details: 'Details', seeAttempts: 'See attempts',
    nextPage: 'Next page', empty: 'No notification matches the filters.',
    resendSelected: 'Resend callback', resendAll: 'Resend all that match the filters',
    resendHint: 'Only those not sent are resent; you confirm before anything is sent.',
    nothingSelected: 'No notification was selected: tick the rows to resend.',
    invalid: 'Correct the fields marked.',
    'error.charge': 'Use 1 to 64 letters, digits, "_" or "-".', 'error.sent': 'Choose all, yes or no.',
    'error.instant': 'Enter a date and time.', 'error.period': '"Until" must be after "From".',
    'error.page': 'This page of the list does not belong to these filters: filter again.',
  },
});

type LogRow = z.infer<typeof logRowSchema>;

export interface LogsProps {
  context: PageContext;
  endpoint: string;
  /** The URL's kind, in the merchant's language (providers/registry.ts). */
  endpointTitle: string;
  fields: LogFields;
  errors: Partial<Record<keyof LogFields, LogFieldError>>;
  rows: LogRow[];
  nextHref: string | null;
  notice?: 'nothingSelected';
  /** A page token that is not of this listing (edited, or from other filters). */
  pageRefused?: boolean;
}

export function LogsPage({ context, endpoint, endpointTitle, fields, errors, rows, nextHref, notice, pageRefused }: LogsProps) {
  const w = logsWords[context.language];
  const invalid = Object.keys(errors).length > 0 || pageRefused;
  const error = (field: keyof LogFields) => errors[field] && (
    <span class="error" id={`${field}-erro`} role="alert">{w[`error.${errors[field]!}`]}</span>
  );
  const described = (field: keyof LogFields) => (errors[field] ? `${field}-erro` : undefined);
  return (
    <Layout context={context} title={`${w.title} · ${endpointTitle}`}>
      {notice && <p role="status">{w[notice]}</p>}
      <h2>{w.filters}</h2>
      {invalid && <p role="alert">{pageRefused ? w['error.page'] : w.invalid}</p>}
      <form method="get" action={`/portal/integracoes/${endpoint}/logs`} class="filters">
        <p class="field">
          <label for="cobranca">{w.charge}</label>
          <input id="cobranca" name="cobranca" value={fields.cobranca} aria-invalid={errors.cobranca ? 'true' : undefined}
            aria-describedby={described('cobranca')} />
          {error('cobranca')}
        </p>
        <p class="field">
          <label for="enviado">{w.sent}</label>
          <select id="enviado" name="enviado" aria-invalid={errors.enviado ? 'true' : undefined} aria-describedby={described('enviado')}>
            <option value="" selected={fields.enviado === ''}>{w.all}</option>
            <option value="sim" selected={fields.enviado === 'sim'}>{w.yes}</option>
            <option value="nao" selected={fields.enviado === 'nao'}>{w.no}</option>
          </select>
          {error('enviado')}
        </p>
        <p class="field">
          <label for="de">{w.from}</label>
          <input id="de" name="de" type="datetime-local" step="1" value={fields.de} aria-invalid={errors.de ? 'true' : undefined}
            aria-describedby={described('de') ?? 'periodo-dica'} />
          {error('de')}
        </p>
        <p class="field">
          <label for="ate">{w.to}</label>
          <input id="ate" name="ate" type="datetime-local" step="1" value={fields.ate} aria-invalid={errors.ate ? 'true' : undefined}
            aria-describedby={described('ate') ?? 'periodo-dica'} />
          {error('ate')}
        </p>
        <p class="field"><button type="submit">{w.filter}</button></p>
      </form>
      <p class="hint" id="periodo-dica">{w.periodHint}</p>
      {!invalid && <Notifications {...{ context, endpoint, fields, rows, nextHref }} />}
    </Layout>
  );
}

/** The table inside the resend form: the checkboxes are its fields, the filters ride along as hidden fields. */
function Notifications({ context, endpoint, fields, rows, nextHref }: Pick<LogsProps, 'context' | 'endpoint' | 'fields' | 'rows' | 'nextHref'>) {
  const w = logsWords[context.language];
  return (
    <>
      <h2>{w.title}</h2>
      <form method="post" action={`/portal/integracoes/${endpoint}/reenvios`}>
        <input type="hidden" name="_csrf" value={context.session!.csrfToken} />
        {Object.entries(fields).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        {rows.length === 0 ? <p role="status">{w.empty}</p> : (
          <ScrollingTable caption={w.caption}>
            <thead>
              <tr>
                <th scope="col"><input type="checkbox" id="selecionar-todas" data-select-all="entrega" aria-label={w.selectAll} /></th>
                <th scope="col">{w.chargeColumn}</th>
                <th scope="col">{w.changed}</th>
                <th scope="col">{w.sent}</th>
                <th scope="col">{w.attempts}</th>
                <th scope="col">{w.notifiedAt}</th>
                <th scope="col">{w.details}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td><input type="checkbox" name="entrega" value={row.deliveryId} aria-label={`${w.selectCharge} ${row.chargeId}`} /></td>
                  <td>{row.chargeId}</td>
                  <td>{row.change ? `${row.change.previous ?? '—'} → ${row.change.current}` : '—'}</td>
                  <td>{row.sent ? w.yes : w.no}</td>
                  <td>{row.attempts}</td>
                  <td>{formatInstant(context.language, row.notifiedAt)}</td>
                  <td><a href={`/portal/entregas/${row.deliveryId}`}>{w.seeAttempts}</a></td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
        )}
        <div class="actions">
          <button type="submit" name="acao" value="selecionadas">{w.resendSelected}</button>
          <button type="submit" name="acao" value="todas" class="secondary">{w.resendAll}</button>
        </div>
        <p class="hint">{w.resendHint}</p>
      </form>
      {nextHref && <p><a href={nextHref} rel="next">{w.nextPage}</a></p>}
    </>
  );
}
