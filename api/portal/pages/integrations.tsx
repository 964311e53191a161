// Integrações › callback (seed 000's panel, G9): every registered URL with its state and its last deactivation, or
// the registration form when there is none. Also the words and pieces the page of one URL shares.
import type { EndpointApiView } from '../../merchants';
import { endpointEntry, type EndpointName } from '../../../providers/registry';
import type { EndpointTest } from '../../../workflows/endpoints';
import { formatInstant, wordsOf, type Language } from '../language';
import { Layout, type PageContext } from '../layout';
import type { RegistrationAttempt } from '../registrationForm';
import { RegistrationFields } from './registrationFields';

export const integrationWords = wordsOf({
  'pt-BR': {
    title: 'Integrações › callback', url: 'URL', state: 'Situação', active: 'ativa', inactive: 'inativa',
    deactivatedAt: 'Última desativação', reason: 'Motivo', details: 'Detalhes', logs: 'Logs',
    passed: 'passou', failed: 'falhou', latency: 'latência', never: 'nunca',
    none: 'Nenhuma URL de callback cadastrada nesta conta.', register: 'Cadastrar URLs de callback',
    others: 'Outras integrações', notRegistered: 'sem URL cadastrada', saved: 'Cadastro salvo.',
  },
  en: {
    title: 'Integrations › callback', url: 'URL', state: 'State', active: 'active', inactive: 'inactive',
    deactivatedAt: 'Last deactivation', reason: 'Reason', details: 'Details', logs: 'Logs',
    passed: 'passed', failed: 'failed', latency: 'latency', never: 'never',
    none: 'This account has no callback URL registered.', register: 'Register callback URLs',
    others: 'Other integrations', notRegistered: 'no URL registered', saved: 'Registration saved.',
  },
});

export const titleOf = (endpoint: EndpointName, language: Language) => endpointEntry(endpoint).kind.title[language];
export const integrationPath = (endpoint: EndpointName) => `/portal/integracoes/${endpoint}`;

export function StateWord({ language, status }: { language: Language; status: EndpointApiView['status'] }) {
  const w = integrationWords[language];
  return <strong class={status === 'active' ? 'state-active' : 'state-inactive'}>{status === 'active' ? w.active : w.inactive}</strong>;
}

/** G6: passou/falhou, the status code or error class, the latency, when. */
export function TestResult({ language, test }: { language: Language; test: EndpointTest }) {
  const w = integrationWords[language];
  const got = test.statusCode !== undefined ? `HTTP ${test.statusCode}` : (test.errorClass ?? '?');
  return (
    <span>
      <strong class={test.passed ? 'state-active' : 'state-inactive'}>{test.passed ? w.passed : w.failed}</strong>
      {` · ${got} · ${w.latency} ${test.latencyMs} ms · ${formatInstant(language, test.at)}`}
    </span>
  );
}

/** The URL, its state, and its last deactivation with the reason (G9: kept after a reactivation). */
export function EndpointFacts({ language, view }: { language: Language; view: EndpointApiView }) {
  const w = integrationWords[language];
  return (
    <dl class="facts">
      <dt>{w.url}</dt><dd class="excerpt">{view.url}</dd>
      <dt>{w.state}</dt><dd><StateWord language={language} status={view.status} /></dd>
      {view.lastDeactivatedAt && <><dt>{w.deactivatedAt}</dt><dd>{formatInstant(language, view.lastDeactivatedAt)}</dd></>}
      {view.lastDeactivationReason && <><dt>{w.reason}</dt><dd>{view.lastDeactivationReason}</dd></>}
    </dl>
  );
}

export function IntegrationsPage({ context, endpoints, saved, csrfToken, attempt, unregistered }: {
  context: PageContext; csrfToken: string; saved: boolean;
  endpoints: [EndpointName, EndpointApiView][];
  /** Endpoints with no URL: each page registers one. */
  unregistered: EndpointName[];
  /** The registration form as last posted (when refused) or as it stands. */
  attempt: RegistrationAttempt;
}) {
  const { language } = context;
  const w = integrationWords[language];
  return (
    <Layout context={context} title={w.title}>
      {saved && <p role="status">{w.saved}</p>}
      {endpoints.length === 0 && (
        <>
          <p>{w.none}</p>
          <h2>{w.register}</h2>
          <RegistrationFields language={language} action="/portal/integracoes/cadastro" csrfToken={csrfToken} attempt={attempt}
            urls={unregistered.map((name) => ({ name, label: `${w.url} · ${titleOf(name, language)}` }))} />
        </>
      )}
      {endpoints.map(([name, view]) => (
        <section class="card" aria-labelledby={`titulo-${name}`}>
          <h2 id={`titulo-${name}`}>{titleOf(name, language)}</h2>
          <EndpointFacts language={language} view={view} />
          <p class="actions">
            <a class="button" href={integrationPath(name)}>{w.details}</a>
            <a class="button secondary" href={`${integrationPath(name)}/logs`}>{w.logs}</a>
          </p>
        </section>
      ))}
      {endpoints.length > 0 && unregistered.length > 0 && (
        <>
          <h2>{w.others}</h2>
          <ul>
            {unregistered.map((name) => (
              <li><a href={integrationPath(name)}>{titleOf(name, language)}</a> ({w.notRegistered})</li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
