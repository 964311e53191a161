// The REST API (D4): every route is declared in api/routes and documented from the same zod schemas.
import express, { type NextFunction, type Request, type Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import { log } from '../lib/log';
import { codecRouter } from './codec';
import { Authenticator } from './auth';
import type { Deps } from './deliveries';
import { accountRoutes } from './routes/accounts';
import { debtQueryRoutes } from './routes/debtQueries';
import { paymentRoutes } from './routes/payments';
import { RETURN_FILE_BODY_LIMIT, returnFileRoutes } from './routes/returnFiles';
import { defineRoute, errorSchema, HttpError, mountRoutes, openApiDocument, type Route } from './route';
import { controlpayRoutes } from './routes/controlpay';
import { deliveryRoutes } from './routes/deliveries';
import { gerencianetRoutes } from './routes/gerencianet';
import { merchantRoutes } from './routes/merchants';
import { notificationLogRoutes } from './routes/notificationLog';
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

/**
 * A known path asked with a method it has no route for (TRACE, PATCH…) answers 405 with the methods it has (RFC 9110
 * §15.5.6), not the 404 of an unknown path; OPTIONS answers 204 with the same Allow.
 */
function answerOtherMethods(app: express.Express, routes: Route[]): void {
  const methods = new Map<string, Set<string>>();
  for (const route of routes) {
    const allowed = methods.get(route.path) ?? new Set<string>();
    allowed.add(route.method.toUpperCase());
    if (route.method === 'get') allowed.add('HEAD'); // Express answers HEAD with the GET route
    methods.set(route.path, allowed);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    app.all(path, (req, res) => {
      res.set('allow', allow);
      if (req.method === 'OPTIONS') return void res.status(204).end();
      res.status(405).json({ error: 'method_not_allowed', message: `${req.method} ${req.path}: use ${allow}.` });
    });
  }
}

export function createApp(deps: Deps): express.Express {
  const authenticator = new Authenticator(deps);
  const routes = [
    healthRoute(deps),
    ...merchantRoutes(deps),
    ...notificationLogRoutes(deps),
    ...gerencianetRoutes(deps),
    ...controlpayRoutes(deps),
    ...deliveryRoutes(deps),
    ...accountRoutes(deps, authenticator),
    ...returnFileRoutes(deps),
    ...debtQueryRoutes(deps),
    ...paymentRoutes(deps),
  ];
  const document = openApiDocument(routes, {
    title: 'Arauto',
    version: '0.1.0',
    description: 'Payment callbacks and provider integrations on Temporal durable execution.',
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/codec', codecRouter(deps.config)); // before the JSON parser: it sets its own limits
  app.use('/v1/merchants/:merchantId/return-files', express.json({ limit: RETURN_FILE_BODY_LIMIT }));
  app.use(express.json({ limit: '64kb' }));
  app.use(express.urlencoded({ extended: false, limit: '8kb' })); // the token endpoint's form (RFC 6749)
  app.get('/openapi.json', (_req, res) => void res.json(document));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document));
  mountRoutes(app, routes, (header) => authenticator.authenticate(header));
  answerOtherMethods(app, routes);
  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `No route ${req.method} ${req.path}.`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof HttpError) {
      if (err.status === 401) res.set('www-authenticate', 'Bearer');
      res.status(err.status).json({
        error: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...err.details,
      });
    } else if (e.type === 'entity.parse.failed') {
      res.status(400).json({
        error: 'invalid_request', message: 'The body is not valid JSON.',
        fields: [{ field: 'body', message: e.message ?? 'invalid JSON' }],
      });
    } else if (e.type === 'entity.too.large') {
      const limit = (e as { limit?: number }).limit;
      res.status(413).json({
        error: 'payload_too_large', message: `The body exceeds ${limit ? `${Math.floor(limit / 1024)} kB` : 'the limit'}.`,
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
