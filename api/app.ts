// The REST API (D4): every route is declared in api/routes and documented from the same zod schemas.
import express, { type NextFunction, type Request, type Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Deps } from '../lib/deps';
import { log } from '../lib/log';
import { codecRouter } from './codec';
import { httpMetrics } from './httpMetrics';
import { securityHeaders } from './securityHeaders';
import { tracingOn } from '../lib/tracing';
import { traceRequests } from './traceRequests';
import { Authenticator } from './auth';
import { accountRoutes } from './routes/accounts';
import { debtQueryRoutes } from './routes/debtQueries';
import type { AfterPaymentStart } from './payments';
import { paymentRoutes } from './routes/payments';
import { RETURN_FILE_BODY_LIMIT, returnFileRoutes } from './routes/returnFiles';
import { clientErrorOf } from './clientErrors';
import { httpErrorOf } from './domainErrors';
import { answerOtherMethods } from './otherMethods';
import { defineRoute, errorSchema, HttpError, mountRoutes, openApiDocument } from './route';
import { controlpayRoutes } from './routes/controlpay';
import { deliveryRoutes } from './routes/deliveries';
import { gerencianetRoutes } from './routes/gerencianet';
import { merchantRoutes } from './routes/merchants';
import { notificationLogRoutes } from './routes/notificationLog';
import { providerTriggerRoutes } from './routes/providerTriggers';
import { portalSessionRoutes } from './routes/portalSessions';
import { portalRouter } from './portal/router';
import { z } from 'zod';
import { isTemporalUnavailable, RETRY_AFTER_S, temporalUnavailableBody } from './temporalAway';

const HEALTH_TIMEOUT_MS = 1500; // a probe hears 503 within 2 s even when Temporal hangs

function healthRoute({ client, config }: Deps) {
  return defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Ready: 200 only when Temporal answers for the namespace',
    tags: ['operations'],
    public: true,
    responses: {
      200: { description: 'Temporal reachable', schema: z.object({ status: z.literal('ok') }) },
      503: { description: 'Temporal unreachable', schema: errorSchema },
    },
    // Temporal's failure reaches the error handler below: 503 temporal_unavailable with a Retry-After.
    handler: async () => {
      await client.connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, () =>
        client.connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }),
      );
      return { status: 200, body: { status: 'ok' } };
    },
  });
}

/** What a test injects into the app, never set in production: where a payment's handling is cut short. */
export interface TestSeams {
  afterPaymentStart?: AfterPaymentStart;
}

export function createApp(deps: Deps, seams: TestSeams = {}): express.Express {
  const authenticator = new Authenticator(deps);
  const routes = [
    healthRoute(deps),
    ...merchantRoutes(deps),
    ...notificationLogRoutes(deps),
    ...gerencianetRoutes(deps),
    ...controlpayRoutes(deps),
    ...providerTriggerRoutes(deps),
    ...deliveryRoutes(deps),
    ...accountRoutes(deps, authenticator),
    ...returnFileRoutes(deps),
    ...debtQueryRoutes(deps),
    ...paymentRoutes(deps, seams.afterPaymentStart),
    ...portalSessionRoutes(deps),
  ];
  const document = openApiDocument(routes, {
    title: 'Arauto',
    version: '0.1.0',
    description: 'Payment callbacks and provider integrations on Temporal durable execution.',
  });

  const app = express();
  app.disable('x-powered-by');
  if (tracingOn()) app.use(traceRequests); // first: its span covers the whole request
  // req.ip, the throttle's source: the TCP peer, or X-Forwarded-For's client behind these proxies only.
  if (deps.config.API_TRUSTED_PROXIES.length > 0) app.set('trust proxy', deps.config.API_TRUSTED_PROXIES);
  app.use(httpMetrics); // first: it times and counts every answer (api/httpMetrics.ts)
  app.use(securityHeaders);
  app.use('/codec', codecRouter(deps.config)); // before the JSON parser: it sets its own limits
  app.use('/portal', portalRouter(deps)); // pages and forms, with their own parser and headers
  app.use('/v1/merchants/:merchantId/return-files', express.json({ limit: RETURN_FILE_BODY_LIMIT }));
  app.use(express.json({ limit: '64kb' }));
  app.use(express.urlencoded({ extended: false, limit: '8kb' })); // the token endpoint's form (RFC 6749)
  app.get('/openapi.json', (_req, res) => void res.json(document));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  mountRoutes(app, routes, (req) => authenticator.authenticate(req.headers.authorization, req.ip));
  answerOtherMethods(app, routes);
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}.`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { message?: string };
    const clientError = err instanceof HttpError ? err : httpErrorOf(err) ?? clientErrorOf(err);
    if (clientError) {
      if (clientError.status === 401) res.set('www-authenticate', 'Bearer');
      if (clientError.headers) res.set(clientError.headers);
      res.status(clientError.status).json({
        error: clientError.code, message: clientError.message,
        ...(clientError.fields ? { fields: clientError.fields } : {}), ...clientError.details,
      });
    } else if (isTemporalUnavailable(err)) {
      // The server's fault and passing: 503 at once (api/temporalAway.ts), never a client error.
      log.warn('temporal unavailable', { error: e.message ?? String(err) });
      res.set('retry-after', String(RETRY_AFTER_S)).status(503).json(temporalUnavailableBody(e.message ?? String(err)));
    } else {
      log.error('request failed', { error: e.message ?? String(err) });
      res.status(503).json({ error: 'unavailable', message: 'The request could not be completed; retry it.' });
    }
  });
  return app;
}
