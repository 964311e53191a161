// Integrações › callback (issue 18, page 1): the session's URLs, and per URL Testar (G6), Ativar (D3), its
// registration and its signing secret, through the services the REST API calls (api/routes/merchants.ts).
import type { Request } from 'express';
import { ENDPOINT_NAMES, type EndpointName } from '../../providers/registry';
import { NotFound } from '../../notifications/errors';
import type { EndpointTest } from '../../workflows/endpoints';
import { checkEndpoint, endpointsView, type EndpointApiView } from '../merchants';
import { HttpError } from '../route';
import { endpointNameSchema } from '../schemas';
import { rotateSigningSecret, signingSecret } from '../signingSecrets';
import { IntegrationPage, type IntegrationNotice, type IntegrationPageProps } from './pages/integration';
import { integrationPath, IntegrationsPage } from './pages/integrations';
import { SecretRotationPage } from './pages/secretRotation';
import type { PortalRequest, PortalRoutes } from './portalRoutes';
import { registerFromForm, type RegistrationAttempt } from './registrationForm';
import { seeOther, sendPage } from './render';

/** What a redirect after a form tells the page it lands on (`?feito=`). */
const NOTICES: Record<string, IntegrationNotice> = { teste: 'tested', ativada: 'activated', cadastro: 'saved' };

export function integrationRoutes(portal: PortalRoutes): void {
  const { deps } = portal;

  const listPage = async ({ res, session, context }: PortalRequest, attempt?: RegistrationAttempt, saved = false, status = 200) => {
    const { notificationEmail, endpoints } = await endpointsView(deps, session.merchantId);
    sendPage(res, IntegrationsPage({
      context: { ...context, path: '/portal/integracoes' }, csrfToken: session.csrfToken, saved,
      endpoints: ENDPOINT_NAMES.flatMap((name) => (endpoints[name] ? [[name, endpoints[name]] as [EndpointName, EndpointApiView]] : [])),
      unregistered: ENDPOINT_NAMES.filter((name) => !endpoints[name]),
      attempt: attempt ?? { values: { notificationEmail: notificationEmail ?? '' }, refusals: {} },
    }), status);
  };

  /** The page of one URL as it stands now, with what the request adds (a notice, a refusal, the secret). */
  const detailPage = async (
    { res, session, context }: PortalRequest, endpoint: EndpointName,
    extra: Partial<Pick<IntegrationPageProps, 'attempt' | 'notice' | 'refusedTest' | 'secret'>> = {}, status = 200,
  ) => {
    const { notificationEmail, endpoints } = await endpointsView(deps, session.merchantId);
    const view = endpoints[endpoint];
    sendPage(res, IntegrationPage({
      // The language switch comes back to the page, never to a form's address.
      context: { ...context, path: integrationPath(endpoint) }, endpoint, view, csrfToken: session.csrfToken,
      attempt: { values: { [endpoint]: view?.url ?? '', notificationEmail: notificationEmail ?? '' }, refusals: {} },
      ...extra,
    }), status);
  };

  portal.get('/integracoes', (request) => listPage(request, undefined, request.req.query.feito === 'cadastro'));

  portal.post('/integracoes/cadastro', async (request) => {
    const attempt = await registerFromForm(deps, request.session.merchantId, ENDPOINT_NAMES, request.form);
    if (Object.keys(attempt.refusals).length === 0) return seeOther(request.res, '/portal/integracoes?feito=cadastro');
    await listPage(request, attempt, false, 400);
  });

  portal.get('/integracoes/:endpoint', (request) => {
    const feito = request.req.query.feito;
    return detailPage(request, endpointOf(request.req), { notice: typeof feito === 'string' ? NOTICES[feito] : undefined });
  });

  portal.post('/integracoes/:endpoint/teste', async ({ req, res, session }) => {
    const endpoint = endpointOf(req);
    await checkEndpoint(deps, session.merchantId, endpoint, false); // recorded as the URL's last test (G9)
    seeOther(res, `${integrationPath(endpoint)}?feito=teste`);
  });

  portal.post('/integracoes/:endpoint/ativacao', async (request) => {
    const endpoint = endpointOf(request.req);
    try {
      await checkEndpoint(deps, request.session.merchantId, endpoint, true);
    } catch (err) {
      if (!(err instanceof HttpError && err.code === 'activation_refused')) throw err;
      return detailPage(request, endpoint, { refusedTest: err.details?.test as EndpointTest }, 409);
    }
    seeOther(request.res, `${integrationPath(endpoint)}?feito=ativada`);
  });

  portal.post('/integracoes/:endpoint/cadastro', async (request) => {
    const endpoint = endpointOf(request.req);
    const attempt = await registerFromForm(deps, request.session.merchantId, [endpoint], request.form);
    if (Object.keys(attempt.refusals).length === 0) return seeOther(request.res, `${integrationPath(endpoint)}?feito=cadastro`);
    await detailPage(request, endpoint, { attempt }, 400);
  });

  // A secret only ever in the answer to a POST (no-store, like every portal page): never in a URL or a GET's page.
  portal.post('/integracoes/:endpoint/segredo', async (request) => {
    const endpoint = endpointOf(request.req);
    await detailPage(request, endpoint, { secret: await signingSecret(deps, request.session.merchantId, endpoint) });
  });

  portal.get('/integracoes/:endpoint/segredo/rotacao', async ({ req, res, session, context }) => {
    sendPage(res, SecretRotationPage({
      context, endpoint: endpointOf(req), csrfToken: session.csrfToken, graceHours: deps.config.WEBHOOK_SECRET_GRACE_HOURS,
    }));
  });

  portal.post('/integracoes/:endpoint/segredo/rotacao', async (request) => {
    const endpoint = endpointOf(request.req);
    const secret = await rotateSigningSecret(deps, request.session.merchantId, endpoint);
    await detailPage(request, endpoint, { secret, notice: 'rotated' });
  });
}

/** The registration field the path names; any other is a page that does not exist. */
function endpointOf(req: Request): EndpointName {
  const parsed = endpointNameSchema.safeParse(req.params.endpoint);
  if (!parsed.success) throw new NotFound(`There is no integration ${JSON.stringify(req.params.endpoint)}.`);
  return parsed.data;
}
