// What express and its body parsers raise before a route runs, as the client error it is (one mapping, used by
// api/app.ts's error handler beside HttpError).
import { HttpError } from './route';

const CLIENT_ERROR_CODES: Record<number, string> = {
  400: 'invalid_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type',
};

/**
 * What the body parsers and the router raise before a route runs (http-errors: a 4xx `status`, and a `type` for
 * body-parser's) as the client error it is, never the 503 "retry it" of a server fault; undefined for the rest.
 */
export function clientErrorOf(err: unknown): HttpError | undefined {
  const e = err as { status?: unknown; type?: string; message?: string; limit?: number; charset?: string };
  if (typeof e?.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  const message = e.message ?? 'The request is invalid.';
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_request', 'The body cannot be parsed.', [{ field: 'body', message }]);
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `The body exceeds ${Math.floor((e.limit ?? 0) / 1024)} kB.`);
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', `The charset ${e.charset} is not supported: send UTF-8.`,
        [{ field: 'header.content-type', message }]);
  }
  // The router's: a path parameter that is not valid percent-encoding (`%E0%A4%A`).
  if (err instanceof URIError) return new HttpError(400, 'invalid_request', 'The path is not valid percent-encoded UTF-8.', [{ field: 'path', message }]);
  return new HttpError(e.status, CLIENT_ERROR_CODES[e.status] ?? 'invalid_request', message);
}
