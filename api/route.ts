// A route is declared once, as data: its zod schemas validate requests and generate OpenAPI (D4).
import type { Express, NextFunction, Request, Response } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV3, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { merchantNotFound } from '../notifications/errors';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    /** More of the answer's body, beside error, message and fields. */
    readonly details?: Record<string, unknown>,
    /** Headers of the answer (a 429's Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export const errorSchema = z.object({
  error: z.string().describe('machine-readable code'),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The authenticated account (merchant id); empty on public routes. */
  account: string;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route<P = any, Q = any, B = any> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express syntax: `/v1/merchants/:merchantId`. */
  path: string;
  summary: string;
  tags: string[];
  /** Answered without credentials (health, the token endpoint); every other route needs them (issue 5). */
  public?: boolean;
  /** Its answers carry a secret (a token, a credential, a signing secret): no cache may keep them (RFC 6749 §5.1). */
  noStore?: boolean;
  params?: z.ZodObject<any>;
  query?: z.ZodObject<any>;
  body?: ZodType<B>;
  /** Media types the body may come in (default: JSON); another answers 415 before validation. */
  accepts?: string[];
  responses: Record<number, { description: string; schema?: ZodType }>;
  handler: (input: RouteInput<P, Q, B>, req?: Request) => Promise<RouteResult>;
}

/** Declares a route with its handler typed from its schemas. */
export function defineRoute<
  PS extends z.ZodObject<any> | undefined = undefined,
  QS extends z.ZodObject<any> | undefined = undefined,
  BS extends ZodType | undefined = undefined,
>(
  route: Omit<Route, 'params' | 'query' | 'body' | 'handler'> & {
    params?: PS;
    query?: QS;
    body?: BS;
    handler: (
      input: RouteInput<
        PS extends ZodType ? z.infer<PS> : Record<string, never>,
        QS extends ZodType ? z.infer<QS> : Record<string, never>,
        BS extends ZodType ? z.infer<BS> : undefined
      >,
      /** The raw request, for the rare route that reads a header (the token endpoint's HTTP Basic). */
      req?: Request,
    ) => Promise<RouteResult>;
  },
): Route {
  return route as Route;
}

function validate(route: Route, req: Request): Omit<RouteInput<unknown, unknown, unknown>, 'account'> {
  const fields: FieldError[] = [];
  const parse = (where: string, schema: ZodType | undefined, value: unknown) => {
    if (!schema) return {};
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      fields.push({ field: [where, ...issue.path].join('.'), message: issue.message });
    }
    return undefined;
  };
  const input = {
    params: parse('params', route.params, req.params),
    query: parse('query', route.query, req.query),
    body: parse('body', route.body, req.body ?? {}),
  };
  if (fields.length > 0) throw new HttpError(400, 'invalid_request', 'The request has invalid fields.', fields);
  return input;
}

/**
 * Every route but the public ones authenticates first; one whose path names a merchant answers only that
 * merchant's account, and another account gets the 404 an unknown merchant gets (never a 403 that confirms it).
 */
export function mountRoutes(app: Express, routes: Route[], authenticate: (req: Request) => Promise<string>): void {
  for (const route of routes) {
    app[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (route.noStore) res.set({ 'cache-control': 'no-store', pragma: 'no-cache' }); // its errors too
        const account = route.public ? '' : await authenticate(req);
        refuseUnacceptedBody(route, req);
        const input = validate(route, req); // a malformed id is a 400 whoever asks
        const merchantId = req.params.merchantId as string | undefined;
        if (!route.public && merchantId !== undefined && merchantId !== account) throw merchantNotFound(merchantId);
        const { status, body } = await route.handler({ ...input, account }, req);
        res.status(status).json(body);
      } catch (err) {
        next(err);
      }
    });
  }
}

const JSON_BODY = ['application/json'];

/**
 * A body in a media type the route does not take is a 415 saying what it takes, not a list of fields missing
 * from a body that was never read; so is no body and no type where the route needs one. A route whose body is
 * all optional (a resend preview) takes a request without one as `{}`.
 */
function refuseUnacceptedBody(route: Route, req: Request): void {
  if (!route.body) return;
  const accepts = route.accepts ?? JSON_BODY;
  const declared = req.headers['content-type'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const mediaType = declared?.split(';')[0].trim().toLowerCase();
  // The body parsers read only a Content-Type they can parse: an accepted type in a malformed header is left unread.
  const unread = hasBody && req.body === undefined;
  if (mediaType === undefined ? !hasBody && route.body.safeParse({}).success : accepts.includes(mediaType) && !unread) return;
  const problem = declared === undefined ? 'no Content-Type was given'
    : accepts.includes(mediaType!) ? `the Content-Type "${declared}" cannot be parsed` : `"${declared}" is not accepted`;
  throw new HttpError(415, 'unsupported_media_type', `Send the body as ${accepts.join(' or ')}; ${problem}.`,
    [{ field: 'header.content-type', message: `expected ${accepts.join(' or ')}` }],
    undefined, { accept: accepts.join(', ') }); // RFC 9110 §15.5.16
}

const mediaTypes = (route: Route) => route.accepts ?? ['application/json'];

/** A JSON error answer, for the responses every route of a kind may give. */
const errorResponse = (description: string, headers: Record<string, string> = {}): ResponseConfig => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
  headers: Object.fromEntries(Object.entries(headers).map(([name, d]) => [name, { description: d, schema: { type: 'string' } }])),
});

/**
 * What a route may answer besides its own responses, derived from its properties so that each is stated once: the
 * fuzzer (test/openapiFuzz.test.ts) holds the document to every status the server can give.
 */
function commonResponses(route: Route): Record<number, ResponseConfig> {
  const common: Record<number, ResponseConfig> = {};
  if (route.params || route.query || route.body) {
    common[400] = errorResponse('Invalid fields, each named (a malformed percent-encoding in the path included)');
  }
  if (!route.public) {
    common[401] = errorResponse('Missing, malformed, unknown, expired or revoked credentials',
      { 'WWW-Authenticate': 'Bearer' });
  }
  if (!route.public && route.path.includes(':merchantId')) {
    common[404] = errorResponse("Unknown merchant, or another account's (never a 403 that would confirm it exists)");
  }
  if (route.body) {
    common[413] = errorResponse('The body exceeds the limit');
    common[415] = errorResponse(`The body is not in a media type the route takes (${mediaTypes(route).join(', ')}; UTF-8)`);
  }
  // Failed authentications are throttled: every authenticated route, and a public one that checks a secret (401).
  if (!route.public || route.responses[401]) {
    common[429] = errorResponse('Too many failed authentications from this client or address: retry later',
      { 'Retry-After': 'seconds to wait' });
  }
  // Every route reads Temporal (authentication included), and an unforeseen failure is the server's too.
  common[503] = errorResponse('Temporal does not answer (temporal_unavailable), or the request could not be completed',
    { 'Retry-After': 'seconds to wait, when Temporal does not answer' });
  return common;
}

export function openApiDocument(routes: Route[], info: { title: string; version: string; description: string }) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http', scheme: 'bearer', description: 'An access token from POST /oauth/token, or an API key (ak.…)',
  });
  for (const route of routes) {
    const responses: Record<number, ResponseConfig> = commonResponses(route);
    for (const [status, r] of Object.entries(route.responses)) {
      responses[Number(status)] = r.schema
        ? { description: r.description, content: { 'application/json': { schema: r.schema } } }
        : { description: r.description };
    }
    const body = route.body && {
      // Required unless {} is a valid body (a resend preview), which is what a request without one is read as.
      required: !route.body.safeParse({}).success,
      content: Object.fromEntries(mediaTypes(route).map((type) => [type, { schema: route.body! }])),
    };
    registry.registerPath({
      method: route.method,
      path: route.path.replace(/:(\w+)/g, '{$1}'),
      summary: route.summary,
      tags: route.tags,
      security: route.public ? [] : [{ [bearer.name]: [] }],
      request: { params: route.params, query: route.query, body },
      responses,
    });
  }
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({ openapi: '3.0.3', info });
}
