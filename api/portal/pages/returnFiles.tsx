// Arquivos de retorno (seed 002): the account's return files, each with its state, protocol and when — read only.
import type { ReturnFileView } from '../../returnFiles';
import { formatInstant, wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import { ScrollingTable } from './scrollingTable';

export const returnFileWords = wordsOf({
  'pt-BR': {
    title: 'Arquivos de retorno', caption: 'Os 50 arquivos de retorno mais recentes da conta',
    empty: 'Esta conta ainda não enviou arquivos de retorno.', returnFile: 'Arquivo de retorno', state: 'Situação',
    protocol: 'Protocolo', submittedAt: 'Enviado em', closedAt: 'Concluído em',
    uploading: 'enviando o arquivo', polling: 'aguardando o processamento', reconciling: 'conciliando',
    done: 'processado', failed: 'falhou',
    about: 'Arquivos enviados pela API (POST /v1/merchants/{id}/return-files). Abra um para ver os títulos conciliados, os pagos e os não conciliados.',
  },
  en: {
    title: 'Return files', caption: "The account's 50 most recent return files",
    empty: 'This account has not sent any return files yet.', returnFile: 'Return file', state: 'State',
    protocol: 'Protocol', submittedAt: 'Submitted at', closedAt: 'Finished at',
    uploading: 'uploading the file', polling: 'waiting for processing', reconciling: 'reconciling',
    done: 'processed', failed: 'failed',
    about: 'Files sent through the API (POST /v1/merchants/{id}/return-files). Open one to see its reconciled, paid and unreconciled titles.',
  },
});

export type ReturnFileRow = Omit<ReturnFileView, 'protocolo'> & { protocolo: string | null };

export function ReturnFilesPage({ context, returnFiles }: { context: PageContext; returnFiles: ReturnFileRow[] }) {
  const w = returnFileWords[context.language];
  return (
    <Layout context={context} title={w.title}>
      <p class="hint">{w.about}</p>
      {returnFiles.length === 0 ? <p role="status">{w.empty}</p> : (
        <ScrollingTable caption={w.caption}>
          <thead>
            <tr>
              <th scope="col">{w.protocol}</th><th scope="col">{w.state}</th>
              <th scope="col">{w.submittedAt}</th><th scope="col">{w.closedAt}</th>
            </tr>
          </thead>
          <tbody>
            {returnFiles.map((f) => (
              <tr key={f.returnId}>
                {/* The protocol is what the merchant knows a file by; an upload that got none yet, by Arauto's id. */}
                <td><a href={`/portal/arquivos-de-retorno/${encodeURIComponent(f.returnId)}`}>{f.protocolo ?? f.returnId}</a></td>
                <td>{w[f.status]}</td>
                <td>{formatInstant(context.language, f.submittedAt)}</td>
                <td>{formatInstant(context.language, f.closedAt)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
    </Layout>
  );
}
