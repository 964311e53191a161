// arauto_http_requests_total and arauto_http_request_duration_seconds (lib/metrics.ts), by route template: the
// path as declared (`/v1/merchants/:merchantId/callback-urls`), never as requested, so no merchant id or token
// reaches a label and the series stay few. Mounted first, it sees every answer, errors included.
import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration, httpRequests } from '../lib/metrics';

/** Static files served by middleware (no route): labelled by their fixed mount path. */
const STATIC_MOUNTS = ['/docs', '/portal/assets'];

export function httpMetrics(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const route = routeTemplateOf(req, res);
    const method = req.method;
    httpRequests.inc({ route, method, status: String(res.statusCode) });
    httpRequestDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
  });
  next();
}

/** The matched route's template under its router's mount path (static ones: /codec, /portal), or `unmatched`. */
export function routeTemplateOf(req: Request, res: Response): string {
  const template = req.route?.path;
  if (typeof template === 'string') return `${req.baseUrl}${template}` || '/';
  if (res.statusCode === 404) return 'unmatched';
  return STATIC_MOUNTS.find((mount) => req.originalUrl === mount || req.originalUrl.startsWith(`${mount}/`)) ?? 'unmatched';
}
