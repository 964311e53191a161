// The API's server span, one per request, named by its route template (`POST /v1/merchants/:merchantId/…`):
// the root of a delivery's trace, or the child of the caller's when it sends a W3C `traceparent`. Mounted only
// when tracing is on (lib/tracing.ts). Never the path's values, the query, headers or the body.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const tracer = trace.getTracer('arauto-api');

export function traceRequests(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(req.method, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': req.method, 'url.scheme': req.protocol },
  }, parent);
  const active = trace.setSpan(parent, span);
  // The body parsers call on from the socket's events, outside this context: bound, the handlers stay in it.
  context.bind(active, req);
  context.bind(active, res);
  res.once('close', () => {
    // Known once routed; a sub-router's (the portal's) is its mount path, a fixed one in app.ts, plus its own.
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : undefined;
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (!res.writableFinished) span.setAttribute('error.type', 'aborted');
    span.end();
  });
  context.with(active, next);
}
