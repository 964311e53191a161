// "Gerar novo segredo" asks first (sim / não): the receiver must be given the new secret within the grace period.
import type { EndpointName } from '../../../providers/registry';
import { wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import { integrationPath, titleOf } from './integrations';

const words = wordsOf({
  'pt-BR': {
    title: 'Gerar novo segredo de assinatura',
    question: 'Gerar um novo segredo de assinatura para',
    grace: 'O segredo atual continua assinando junto com o novo por {hours} horas: configure o novo no seu sistema nesse prazo.',
    yes: 'Sim', no: 'Não',
  },
  en: {
    title: 'Generate a new signing secret',
    question: 'Generate a new signing secret for',
    grace: 'The current secret keeps signing beside the new one for {hours} hours: configure the new one in your system by then.',
    yes: 'Yes', no: 'No',
  },
});

export function SecretRotationPage({ context, endpoint, csrfToken, graceHours }: {
  context: PageContext; endpoint: EndpointName; csrfToken: string; graceHours: number;
}) {
  const w = words[context.language];
  const path = integrationPath(endpoint);
  return (
    <Layout context={context} title={w.title}>
      <p>{w.question} <strong>{titleOf(endpoint, context.language)}</strong>?</p>
      <p class="hint">{w.grace.replace('{hours}', String(graceHours))}</p>
      <div class="actions">
        <form method="post" action={`${path}/segredo/rotacao`} class="inline">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button type="submit" class="danger">{w.yes}</button>
        </form>
        <a class="button secondary" href={path}>{w.no}</a>
      </div>
    </Layout>
  );
}
