// The client span around one callback POST, child of the attempt's RunActivity span: its status code and error
// class. Never the body, the URL's path or query (a merchant may put a token there), headers or the signature.
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { tracingOn } from '../lib/tracing';

/** What the span records of an attempt's outcome (postCallback's AttemptOutcome has these). */
interface Outcome {
  statusCode?: number;
  errorClass?: string;
}

const tracer = trace.getTracer('arauto-worker');

export async function inCallbackSpan<T extends Outcome>(url: string, post: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return post(); // off: not even a no-op span
  const { hostname, port, protocol } = new URL(url);
  return tracer.startActiveSpan('POST', {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'POST',
      'server.address': hostname.replace(/^\[(.*)\]$/, '$1'),
      'server.port': Number(port) || (protocol === 'https:' ? 443 : 80),
      'url.scheme': protocol.replace(/:$/, ''),
    },
  }, async (span) => {
    try {
      const outcome = await post();
      record(span, outcome);
      return outcome;
    } finally {
      span.end();
    }
  });
}

function record(span: Span, { statusCode, errorClass }: Outcome): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  // OpenTelemetry's error.type: the attempt's error class (timeout, connection_refused…), else a non-2xx status.
  const error = errorClass ?? (statusCode !== undefined && (statusCode < 200 || statusCode > 299) ? String(statusCode) : undefined);
  if (error === undefined) return;
  span.setAttribute('error.type', error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}
