// Issue 5, I4: the OAuth 2.0 token endpoint (client credentials) and an account's own credentials.
import { z } from 'zod';
import { issueCredential, listCredentials, revokeCredential } from '../accounts';
import type { Authenticator } from '../auth';
import type { Deps } from '../deliveries';
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

export const accountRoutes = (deps: Deps, authenticator: Authenticator) => [
  defineRoute({
    method: 'post',
    path: '/oauth/token',
    summary: 'OAuth 2.0 client credentials (RFC 6749 §4.4): a short-lived bearer token for client_id and client_secret',
    tags: ['accounts'],
    public: true,
    accepts: ['application/x-www-form-urlencoded', 'application/json'],
    body: z.object({
      grant_type: z.literal('client_credentials'),
      client_id: z.string().max(128).optional(),
      client_secret: z.string().max(128).optional(),
    }).describe('form-encoded (or JSON); the client may authenticate with HTTP Basic instead of the body'),
    responses: {
      200: {
        description: 'The token',
        schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number() }),
      },
      401: { description: 'Unknown client, wrong secret or revoked', schema: errorSchema },
    },
    handler: async ({ body }, req) => {
      const basic = /^Basic (.+)$/.exec(req?.headers.authorization ?? '')?.[1];
      const [id, secret] = basic
        ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
        : [body.client_id, body.client_secret];
      if (!id || !secret) throw new HttpError(401, 'invalid_client', 'Send client_id and client_secret (or HTTP Basic).');
      return { status: 200, body: await authenticator.issueAccessToken(id, secret) };
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
