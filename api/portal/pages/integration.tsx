// One callback URL (seed 000: the merchant opens the integration, tests, activates, goes to Logs): its state and last
// deactivation, last errors and last test (G9), Testar (G6), Ativar (D3), its registration and its signing secret.
import type { EndpointApiView } from '../../merchants';
import type { SigningSecret } from '../../signingSecrets';
import type { EndpointName } from '../../../providers/registry';
import type { EndpointTest } from '../../../workflows/endpoints';
import { formatInstant, wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';
import type { RegistrationAttempt } from '../registrationForm';
import { EndpointFacts, integrationPath, integrationWords, TestResult, titleOf } from './integrations';
import { RegistrationFields } from './registrationFields';

const words = wordsOf({
  'pt-BR': {
    back: 'Integrações', noUrl: 'Nenhuma URL cadastrada para esta integração.', state: 'URL e situação',
    notEmailed: 'Não há e-mail cadastrado: uma desativação desta URL não será avisada (G4).',
    test: 'Testar', activate: 'Ativar', activateHint: 'Ativar fica disponível depois de um teste que passou.',
    lastTest: 'Último teste', noTest: 'Nenhum teste ainda.', tested: 'Teste enviado:',
    refused: 'A URL não foi ativada: o teste', activated: 'URL ativada.',
    lastErrors: 'Últimos erros', noErrors: 'Nenhum erro registrado.', when: 'Quando', error: 'Erro', delivery: 'Entrega',
    registration: 'Cadastro', saved: 'Cadastro salvo.',
    secret: 'Segredo de assinatura', secretHint: 'Seu sistema confere o cabeçalho webhook-signature com ele (Standard Webhooks).',
    reveal: 'Mostrar segredo de assinatura', rotate: 'Gerar novo segredo', version: 'versão',
    previous: 'Segredo anterior, ainda válido até', rotated: 'Novo segredo gerado; o anterior continua assinando até',
  },
  en: {
    back: 'Integrations', noUrl: 'No URL is registered for this integration.', state: 'URL and state',
    notEmailed: 'No e-mail address is registered: a deactivation of this URL will not be announced (G4).',
    test: 'Test', activate: 'Activate', activateHint: 'Activate becomes available after a test that passed.',
    lastTest: 'Last test', noTest: 'No test yet.', tested: 'Test sent:',
    refused: 'The URL was not activated: the test', activated: 'URL activated.',
    lastErrors: 'Last errors', noErrors: 'No error recorded.', when: 'When', error: 'Error', delivery: 'Delivery',
    registration: 'Registration', saved: 'Registration saved.',
    secret: 'Signing secret', secretHint: 'Your system checks the webhook-signature header with it (Standard Webhooks).',
    reveal: 'Show signing secret', rotate: 'Generate a new secret', version: 'version',
    previous: 'Previous secret, still valid until', rotated: 'New secret generated; the previous one keeps signing until',
  },
});

/** What the last request did, said on top of the page. */
export type IntegrationNotice = 'tested' | 'activated' | 'saved' | 'rotated';

export interface IntegrationPageProps {
  context: PageContext;
  endpoint: EndpointName;
  /** Absent when nothing is registered for the endpoint. */
  view?: EndpointApiView;
  csrfToken: string;
  attempt: RegistrationAttempt;
  notice?: IntegrationNotice;
  /** The test of an activation that was refused (409). */
  refusedTest?: EndpointTest;
  /** Shown only in the answer to a POST (never a GET's). */
  secret?: SigningSecret;
}

/** Ativar only after a test that passed since the last deactivation (the activation tests again anyway). */
const mayActivate = (view: EndpointApiView) =>
  view.lastTest?.passed === true && (!view.lastDeactivatedAt || view.lastTest.at >= view.lastDeactivatedAt);

export function IntegrationPage({ context, endpoint, view, csrfToken, attempt, notice, refusedTest, secret }: IntegrationPageProps) {
  const { language } = context;
  const w = words[language];
  const shared = integrationWords[language];
  const path = integrationPath(endpoint);
  const csrf = <input type="hidden" name="_csrf" value={csrfToken} />;
  return (
    <Layout context={context} title={titleOf(endpoint, language)}>
      <p><a href="/portal/integracoes">← {w.back}</a></p>
      {notice === 'tested' && view?.lastTest && <p role="status">{w.tested} <TestResult language={language} test={view.lastTest} /></p>}
      {notice === 'activated' && <p role="status">{w.activated}</p>}
      {notice === 'saved' && <p role="status">{w.saved}</p>}
      {refusedTest && <p role="alert">{w.refused} <TestResult language={language} test={refusedTest} /></p>}
      {!view && <p>{w.noUrl}</p>}
      {view && (
        <>
          <h2>{w.state}</h2>
          <EndpointFacts language={language} view={view} />
          {view.deactivationEmail === 'not_sent' && <p class="hint">{w.notEmailed}</p>}
          <div class="actions">
            <form method="post" action={`${path}/teste`} class="inline">{csrf}<button type="submit">{w.test}</button></form>
            {view.status === 'inactive' && (
              <form method="post" action={`${path}/ativacao`} class="inline">
                {csrf}
                <button type="submit" disabled={!mayActivate(view)} aria-describedby={mayActivate(view) ? undefined : 'ativar-dica'}>
                  {w.activate}
                </button>
              </form>
            )}
            <a class="button secondary" href={`${path}/logs`}>{shared.logs}</a>
          </div>
          {view.status === 'inactive' && !mayActivate(view) && <p class="hint" id="ativar-dica">{w.activateHint}</p>}

          <h2>{w.lastTest}</h2>
          <p>{view.lastTest ? <TestResult language={language} test={view.lastTest} /> : w.noTest}</p>

          <h2>{w.lastErrors}</h2>
          {view.lastErrors.length === 0 ? <p>{w.noErrors}</p> : (
            <div class="table-wrap">
              <table>
                <thead><tr><th scope="col">{w.when}</th><th scope="col">{w.error}</th><th scope="col">{w.delivery}</th></tr></thead>
                <tbody>
                  {view.lastErrors.map((e) => (
                    <tr>
                      <td>{formatInstant(language, e.at)}</td>
                      <td class="excerpt">{e.error}</td>
                      <td>{e.deliveryId ? <a href={`/portal/entregas/${encodeURIComponent(e.deliveryId)}`}>{e.deliveryId}</a> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      <h2>{w.registration}</h2>
      <RegistrationFields language={language} action={`${path}/cadastro`} csrfToken={csrfToken} attempt={attempt}
        urls={[{ name: endpoint, label: shared.url }]} />

      {view && (
        <>
          <h2>{w.secret}</h2>
          <p class="hint">{w.secretHint}</p>
          {secret ? (
            <>
              {notice === 'rotated' && secret.previous && (
                <p role="status">{w.rotated} {formatInstant(language, secret.previous.validUntil)}.</p>
              )}
              <p>{w.version} {secret.version}: <code class="secret">{secret.secret}</code></p>
              {secret.previous && (
                <p>{w.previous} {formatInstant(language, secret.previous.validUntil)} ({w.version} {secret.previous.version}):{' '}
                  <code class="secret">{secret.previous.secret}</code></p>
              )}
            </>
          ) : (
            <form method="post" action={`${path}/segredo`} class="inline">{csrf}<button type="submit" class="secondary">{w.reveal}</button></form>
          )}
          <p class="actions"><a class="button secondary" href={`${path}/segredo/rotacao`}>{w.rotate}</a></p>
        </>
      )}
    </Layout>
  );
}
