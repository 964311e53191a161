// Issue 5, I4: the OAuth 2.0 token endpoint (client credentials) and an account's own credentials.
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { issueCredential, listCredentials, revokeCredential } from '../accounts';
import type { Authenticator } from '../auth';
import { defineRoute, errorSchema, HttpError } from '../route';
import { idSchema } from '../schemas';

const params = z.object({ merchantId: idSchema });
const credentialView = z.object({
  id: z.string(), kind: z.enum(['client', 'apiKey']), createdAt: z.string(), revokedAt: z.string().nullable(),
});
const issued = z.object({
  id: z.string(), kind: z.enum(['client', 'apiKey']), clientId: z.string().optional(),
  secret: z.string().describe('shown once: only its digest is kept'),
});

// RFC 6749 §5.2's body: error and error_description (message too, as every error of this API).
const oauthErrorSchema = errorSchema.extend({ error_description: z.string().optional() });
const oauthError = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  new HttpError(status, code, message, undefined, { error_description: message }, headers);

/** RFC 6749 §2.3.1: id and secret form-encoded, then HTTP Basic (base64 of id:secret). */
function basicCredentials(basic: string): string[] {
  try {
    return Buffer.from(basic, 'base64').toString().split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
  } catch {
    throw oauthError(400, 'invalid_request', 'The HTTP Basic credentials are not form-encoded (a malformed %-escape).');
  }
}

export const accountRoutes = (deps: Deps, authenticator: Authenticator) => [
  defineRoute({
    method: 'post',
    path: '/oauth/token',
    summary: 'OAuth 2.0 client credentials (RFC 6749 §4.4): a short-lived bearer token for client_id and client_secret',
    tags: ['accounts'],
    public: true,
    noStore: true,
    accepts: ['application/x-www-form-urlencoded', 'application/json'],
    body: z.object({
      // Any string: another grant is RFC 6749 §5.2's unsupported_grant_type, not a field error.
      grant_type: z.string().max(64).describe('client_credentials, the only grant supported').meta({ enum: ['client_credentials'] }),
      client_id: z.string().max(128).optional(),
      client_secret: z.string().max(128).optional(),
    }).describe('form-encoded (or JSON); the client may authenticate with HTTP Basic instead of the body'),
    responses: {
      200: {
        description: 'The token',
        schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number() }),
      },
      400: { description: 'invalid_request, or unsupported_grant_type (RFC 6749 §5.2)', schema: oauthErrorSchema },
      401: { description: 'Unknown client, wrong secret or revoked', schema: oauthErrorSchema },
      429: { description: 'Too many failed authentications from here (Retry-After)', schema: oauthErrorSchema },
    },
    handler: async ({ body }, req) => {
      if (body.grant_type !== 'client_credentials') {
        throw oauthError(400, 'unsupported_grant_type', 'The only grant_type supported is client_credentials.');
      }
      const basic = /^Basic +(\S+)$/i.exec(req?.headers.authorization ?? '')?.[1];
      const [id, secret] = basic ? basicCredentials(basic) : [body.client_id, body.client_secret];
      if (!id || !secret) throw oauthError(401, 'invalid_client', 'Send client_id and client_secret (or HTTP Basic).');
      try {
        return { status: 200, body: await authenticator.issueAccessToken(id, secret, req?.ip) };
      } catch (err) {
        if (!(err instanceof HttpError) || ![401, 429].includes(err.status)) throw err;
        if (err.status === 429) throw oauthError(429, err.code, err.message, err.headers);
        // RFC 6749 §5.2: one code for every client refused (revoked included; the description says which), and a
        // challenge in the scheme the client used.
        throw oauthError(401, 'invalid_client', err.message, basic ? { 'www-authenticate': 'Basic realm="arauto"' } : undefined);
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/credentials',
    summary: "The account's credentials (never their secrets)",
    tags: ['accounts'],
    params,
    responses: { 200: { description: 'The credentials', schema: z.array(credentialView) } },
    handler: async ({ params }) => ({ status: 200, body: await listCredentials(deps, params.merchantId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/credentials',
    summary: 'A new OAuth client or API key for the account; its secret is in this answer only',
    tags: ['accounts'],
    noStore: true,
    params,
    body: z.object({ kind: z.enum(['client', 'apiKey']) }).strict(),
    responses: { 201: { description: 'Issued', schema: issued } },
    handler: async ({ params, body }) => ({ status: 201, body: await issueCredential(deps, params.merchantId, body.kind) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/merchants/:merchantId/credentials/:credentialId',
    summary: 'Revoke a credential: it, and the access tokens of a client, authenticate nothing from now on',
    tags: ['accounts'],
    params: params.extend({ credentialId: z.string().regex(/^[a-z0-9]{1,16}$/, 'expected a credential id') }),
    responses: { 200: { description: 'Revoked', schema: credentialView }, 404: { description: 'Unknown', schema: errorSchema } },
    handler: async ({ params }) => {
      const revoked = await revokeCredential(deps, params.merchantId, params.credentialId);
      authenticator.forget(params.merchantId);
      return { status: 200, body: revoked };
    },
  }),
];
