// `GET /metrics` in Prometheus' text format, on a port of its own (WORKER_METRICS_PORT, API_METRICS_PORT): Arauto's
// registry (lib/metrics.ts), followed by the Temporal SDK's own metrics when this process runs a worker. Core
// exports those on a loopback port of its own (worker/sdkMetrics.ts); this one port serves both, so an operator
// scrapes one target per process.
import { once } from 'node:events';
import http from 'node:http';
import { log } from './log';
import { registry } from './metrics';

export interface MetricsSources {
  /** Core's exporter (`http://127.0.0.1:<port>/metrics`), when this process runs a worker. */
  sdkMetricsUrl?: string;
}

/**
 * Resolves once it listens; a port it cannot listen on is logged as an error and leaves the process without
 * metrics, never without deliveries (undefined).
 */
export async function serveMetrics(port: number, sources: MetricsSources = {}): Promise<http.Server | undefined> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    void metricsText(sources).then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => {
        log.warn('metrics not collected', { error: err.message });
        res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  }).listen(port);
  try {
    await once(server, 'listening');
    return server;
  } catch (err) {
    log.error('metrics not served: cannot listen', { port, error: (err as Error).message });
    return undefined;
  }
}

export async function metricsText({ sdkMetricsUrl }: MetricsSources): Promise<string> {
  const [own, sdk] = await Promise.all([registry.metrics(), sdkMetricsUrl ? sdkText(sdkMetricsUrl) : '']);
  return sdk ? `${own.trimEnd()}\n${sdk}` : own;
}

/** Core's text as it serves it; a failure leaves Arauto's metrics served (and the gap shows in Prometheus). */
async function sdkText(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : '';
  } catch (err) {
    log.warn('the Temporal SDK\'s metrics could not be read', { error: (err as Error).message });
    return '';
  }
}
