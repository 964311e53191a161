import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { checkEndpoint, endpointsView, registerCallbackUrls, registration } from '../merchants';
import { rotateSigningSecret, signingSecret } from '../signingSecrets';
import { defineRoute, errorSchema } from '../route';
import {
  callbackUrlsChangeSchema, endpointNameSchema, endpointStateSchema, endpointTestSchema, idSchema,
  merchantStateSchema, registrationSchema, signingSecretSchema,
} from '../schemas';

const params = z.object({ merchantId: idSchema });
const endpointParams = z.object({ merchantId: idSchema, endpoint: endpointNameSchema });
const unknownEndpoint = { description: 'Unknown merchant, or nothing registered under that endpoint', schema: errorSchema };
const noUrl = { description: 'Nothing registered under that endpoint (no_callback_url)', schema: errorSchema };

export const merchantRoutes = (deps: Deps) => [
  defineRoute({
    method: 'put',
    path: '/v1/merchants/:merchantId/callback-urls',
    summary: "Register a merchant's callback URLs (G1, C4); null clears one, an absent key keeps it",
    tags: ['merchants'],
    params,
    body: callbackUrlsChangeSchema,
    responses: {
      200: { description: 'The URLs now registered, the e-mail address, and warnings (e.g. deactivations not e-mailed)', schema: registrationSchema },
    },
    handler: async ({ params, body }) => ({
      status: 200,
      body: await registerCallbackUrls(deps, params.merchantId, body),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/callback-urls',
    summary: "A merchant's registered callback URLs",
    tags: ['merchants'],
    params,
    responses: {
      200: { description: 'The registered URLs and e-mail address', schema: registrationSchema },
      404: { description: 'Unknown merchant', schema: errorSchema },
    },
    handler: async ({ params }) => ({ status: 200, body: await registration(deps, params.merchantId) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/endpoints',
    summary: "G9: each callback URL's state (active/inactive), last deactivation and its reason, last errors, last test",
    tags: ['merchants'],
    params,
    responses: {
      200: { description: 'The endpoints', schema: merchantStateSchema },
      404: { description: 'Unknown merchant', schema: errorSchema },
    },
    handler: async ({ params }) => ({ status: 200, body: await endpointsView(deps, params.merchantId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/test',
    summary: 'G6: send a test notification to the URL now and answer how it went (status code or error class, latency)',
    tags: ['merchants'],
    params: endpointParams,
    responses: { 200: { description: 'The test', schema: endpointTestSchema }, 404: unknownEndpoint },
    handler: async ({ params }) => ({
      status: 200,
      body: await checkEndpoint(deps, params.merchantId, params.endpoint, false),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/activation',
    summary: 'G6, D3: test the URL and reactivate it when the test passes; refused (409, with the test) otherwise',
    tags: ['merchants'],
    params: endpointParams,
    responses: {
      200: { description: 'Active again', schema: endpointStateSchema },
      404: unknownEndpoint,
      409: { description: 'The test did not pass: not activated', schema: errorSchema.extend({ test: endpointTestSchema }) },
    },
    handler: async ({ params }) => ({
      status: 200,
      body: await checkEndpoint(deps, params.merchantId, params.endpoint, true),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/signing-secret',
    summary: 'The secret receivers verify webhook-signature with (Standard Webhooks), and the previous one during a rotation',
    tags: ['merchants'],
    noStore: true,
    params: endpointParams,
    responses: { 200: { description: 'The secret', schema: signingSecretSchema }, 404: unknownEndpoint, 409: noUrl },
    handler: async ({ params }) => ({ status: 200, body: await signingSecret(deps, params.merchantId, params.endpoint) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/endpoints/:endpoint/signing-secret/rotation',
    summary: 'A new signing secret; the previous one keeps signing beside it for WEBHOOK_SECRET_GRACE_HOURS',
    tags: ['merchants'],
    noStore: true,
    params: endpointParams,
    responses: {
      200: { description: 'The new secret, and the previous one', schema: signingSecretSchema }, 404: unknownEndpoint, 409: noUrl,
    },
    handler: async ({ params }) => ({
      status: 200, body: await rotateSigningSecret(deps, params.merchantId, params.endpoint),
    }),
  }),
];
