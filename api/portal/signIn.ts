// Portal sign-in (issue 18): a link that can be used once, within PORTAL_LINK_TTL_S, opens a session that lasts
// PORTAL_SESSION_TTL_S or until sign-out. Links and session cookies are JWTs under a key derived from
// ACCESS_TOKEN_KEY (never valid as access tokens: another key, another audience). A link is spent by starting the
// session's workflow, whose id is derived from the link: a second use finds it started, whichever API process serves it.
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { jwtVerify, SignJWT } from 'jose';
import { required, type Config } from '../../lib/config';
import type { Deps } from '../../lib/deps';
import {
  PORTAL_SESSION_WORKFLOW, portalSessionWorkflowId, SIGNED_OUT, type PortalSessionWorkflow,
} from '../../workflows/contracts/portalSession';
import { MERCHANT } from '../../workflows/searchAttributes';

const LINK = 'arauto-portal-link';
const SESSION = 'arauto-portal-session';
const { WORKFLOW_EXECUTION_STATUS_RUNNING } = temporal.api.enums.v1.WorkflowExecutionStatus;

/** How a link reached the merchant: one from the API may sign in by itself; an e-mailed one waits for a click. */
export type LinkChannel = 'api' | 'email';

export interface PortalSession {
  merchantId: string;
  sessionId: string;
  /** Sent back with every form: a request from another site cannot know it. */
  csrfToken: string;
  expiresAt: Date;
}

export type LinkRefusal = 'invalid' | 'expired' | 'used';

/** Links and session cookies are signed with this, derived from ACCESS_TOKEN_KEY (another key than tokens'). */
function portalKey(config: Config): Uint8Array {
  const root = Buffer.from(required(config, 'ACCESS_TOKEN_KEY'), 'base64');
  return new Uint8Array(hkdfSync('sha256', root, Buffer.alloc(0), 'arauto portal', 32));
}

/**
 * A link to `/portal/acesso` for the account, opening `next` (a portal path) once signed in. Needs only the
 * configuration: `npm run portal` makes one without an API. `now`: the clock it is dated by.
 */
export async function signInLink(
  config: Config, merchantId: string, channel: LinkChannel, next = '/portal', now = Date.now(),
): Promise<{ url: string; expiresAt: string }> {
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = issuedAt + config.PORTAL_LINK_TTL_S;
  const token = await new SignJWT({ ch: channel, next: portalPath(next) })
    .setProtectedHeader({ alg: 'HS256' }).setSubject(merchantId).setAudience(LINK)
    .setJti(randomBytes(16).toString('base64url')).setIssuedAt(issuedAt).setExpirationTime(expiresAt).sign(portalKey(config));
  const url = new URL('/portal/acesso', config.PUBLIC_API_URL);
  url.searchParams.set('token', token);
  return { url: url.href, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

export class SignIn {
  private readonly key: Uint8Array;

  constructor(private readonly deps: Deps) {
    this.key = portalKey(deps.config);
  }

  link(merchantId: string, channel: LinkChannel, next = '/portal'): Promise<{ url: string; expiresAt: string }> {
    return signInLink(this.deps.config, merchantId, channel, next);
  }

  /** What a link says, without spending it (the confirmation page a GET shows); its refusal otherwise. */
  async readLink(token: string): Promise<{ merchantId: string; channel: LinkChannel; next: string; jti: string } | LinkRefusal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: LINK, algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'jti'] });
      return { merchantId: payload.sub!, channel: payload.ch === 'api' ? 'api' : 'email', next: portalPath(String(payload.next ?? '')), jti: payload.jti! };
    } catch (err) {
      return (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
    }
  }

  /** Spends the link: a session cookie's value, or why not. */
  async open(token: string): Promise<{ cookie: string; merchantId: string; next: string; maxAgeS: number } | LinkRefusal> {
    const link = await this.readLink(token);
    if (typeof link === 'string') return link;
    const sessionId = createHash('sha256').update(link.jti).digest('base64url').slice(0, 32);
    const lifetimeS = this.deps.config.PORTAL_SESSION_TTL_S;
    try {
      await this.deps.client.workflow.start<PortalSessionWorkflow>(PORTAL_SESSION_WORKFLOW, {
        taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE,
        workflowId: portalSessionWorkflowId(sessionId),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Portal session of ${link.merchantId}`,
        typedSearchAttributes: [{ key: MERCHANT, value: link.merchantId }],
        args: [{ merchantId: link.merchantId, lifetimeMs: lifetimeS * 1000 }],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'used';
      throw err;
    }
    const cookie = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(link.merchantId).setAudience(SESSION)
      .setIssuedAt().setExpirationTime(`${lifetimeS}s`).sign(this.key);
    return { cookie, merchantId: link.merchantId, next: link.next, maxAgeS: lifetimeS };
  }

  /** The session a cookie carries, while its run is open; undefined for none, a forged one, or one ended. */
  async session(cookie: string | undefined): Promise<PortalSession | undefined> {
    if (!cookie) return undefined;
    let merchantId: string, sessionId: string, expiresAt: Date;
    try {
      const { payload } = await jwtVerify(cookie, this.key, { audience: SESSION, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      [merchantId, sessionId, expiresAt] = [payload.sub!, String(payload.sid), new Date(payload.exp! * 1000)];
    } catch {
      return undefined;
    }
    try {
      const run = await this.deps.client.workflow.getHandle(portalSessionWorkflowId(sessionId)).describe();
      if (run.raw.workflowExecutionInfo?.status !== WORKFLOW_EXECUTION_STATUS_RUNNING) return undefined;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    return { merchantId, sessionId, expiresAt, csrfToken: this.csrfTokenOf(sessionId) };
  }

  /** Terminated rather than signalled: closed by the server at once, with no worker needed to close it. */
  async signOut(session: PortalSession): Promise<void> {
    await this.deps.client.workflow.getHandle(portalSessionWorkflowId(session.sessionId)).terminate(SIGNED_OUT)
      .catch((err) => { if (!(err instanceof WorkflowNotFoundError)) throw err; });
  }

  /** The anti-CSRF token of a session, or of a visitor not signed in (keyed by a random cookie). */
  csrfTokenOf(id: string): string {
    return createHmac('sha256', this.key).update(`csrf\n${id}`).digest('base64url');
  }
}

/** Only a path inside the portal: a link or form can never send the merchant elsewhere (open redirect). */
export function portalPath(next: string): string {
  const [pathname] = next.split('?');
  return /^\/portal(\/[A-Za-z0-9._~\/-]*)?(\?[A-Za-z0-9._~=&%+-]*)?$/.test(next) && !pathname.includes('//')
    && !pathname.split('/').some((segment) => segment === '.' || segment === '..') ? next : '/portal';
}
