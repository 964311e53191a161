// Issue 18: how a provider opens the merchant portal for an account (a link in its own dashboard, or a frame):
// a sign-in link that works once, within PORTAL_LINK_TTL_S.
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { portalPath, SignIn } from '../portal/signIn';
import { defineRoute } from '../route';
import { idSchema } from '../schemas';

const portalSessionRequestSchema = z.object({
  page: z.string().regex(/^\/portal(\/[A-Za-z0-9._~/-]*)?$/, 'expected a portal path such as /portal/integracoes')
    .refine((p) => portalPath(p) === p, 'expected a portal path such as /portal/integracoes').optional()
    .describe('the page the link opens (default /portal)'),
});

const portalSessionSchema = z.object({
  url: z.url().describe('open it once, in the browser, within expiresAt; it signs in and keeps the session in a cookie'),
  expiresAt: z.string().describe('ISO 8601: the link is refused after this'),
});

export const portalSessionRoutes = (deps: Deps) => {
  const signIn = new SignIn(deps);
  return [
    defineRoute({
      method: 'post',
      path: '/v1/merchants/:merchantId/portal-sessions',
      summary: "A single-use sign-in link to the account's merchant portal (seed 000's panel), valid for PORTAL_LINK_TTL_S",
      tags: ['portal'],
      noStore: true,
      params: z.object({ merchantId: idSchema }),
      body: portalSessionRequestSchema,
      responses: { 201: { description: 'The link', schema: portalSessionSchema } },
      handler: async ({ params, body }) => ({ status: 201, body: await signIn.link(params.merchantId, 'api', body.page) }),
    }),
  ];
};
