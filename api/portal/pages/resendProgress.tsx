// G8 after "sim": the batch signalling each selected notification, reloaded every 2 s (portal.js) until it has
// signalled them all. Each notification then runs its own new series of attempts; the log shows them.
import type { z } from 'zod';
import type { resendProgressSchema } from '../../schemas';
import { formatInstant, wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';

const words = wordsOf({
  'pt-BR': {
    title: 'Reenvio', running: 'Reenviando: {done} de {total} notificações entraram na fila de envio.',
    completed: 'Reenvio concluído', completedText: '{done} de {total} notificações entraram na fila de envio e serão reenviadas em poucos minutos.',
    failedState: 'O reenvio parou antes de terminar.', failedSome: '{n} não puderam ser reenviadas (por exemplo, foram enviadas nesse meio-tempo).',
    startedAt: 'Iniciado em', back: 'Voltar aos logs', refresh: 'Esta página se atualiza sozinha.',
  },
  en: {
    title: 'Resend', running: 'Resending: {done} of {total} notifications entered the send queue.',
    completed: 'Resend completed', completedText: '{done} of {total} notifications entered the send queue and will be resent within a few minutes.',
    failedState: 'The resend stopped before it finished.', failedSome: '{n} could not be resent (e.g. they were sent meanwhile).',
    startedAt: 'Started at', back: 'Back to the logs', refresh: 'This page refreshes by itself.',
  },
});

export function ResendProgressPage({ context, progress, logsHref }: {
  context: PageContext; progress: z.infer<typeof resendProgressSchema>; logsHref: string;
}) {
  const w = words[context.language];
  const fill = (text: string) => text.replace('{done}', String(progress.signalled)).replace('{total}', String(progress.total))
    .replace('{n}', String(progress.failed));
  const running = progress.state === 'running';
  return (
    <Layout context={context} title={running ? w.title : progress.state === 'completed' ? w.completed : w.title}>
      {running
        ? <p role="status" data-refresh-seconds="2">{fill(w.running)} <span class="hint">{w.refresh}</span></p>
        : <p role="status">{progress.state === 'completed' ? fill(w.completedText) : w.failedState}</p>}
      {progress.failed > 0 && <p>{fill(w.failedSome)}</p>}
      <p class="hint">{w.startedAt} {formatInstant(context.language, progress.startedAt)}</p>
      <p><a href={logsHref}>{w.back}</a></p>
    </Layout>
  );
}
