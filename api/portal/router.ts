// The merchant portal (issue 18), served by the API at /portal: seed 000's panel as pages. Server-rendered, with a
// small script of its own for conveniences the pages also work without; nothing is fetched from elsewhere.
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Deps } from '../../lib/deps';
import { log } from '../../lib/log';
import { accountRoutes } from './accountRoutes';
import { languageOf } from './language';
import { logRoutes } from './logRoutes';
import { MessagePage } from './pages/message';
import { portalForms, PortalRoutes } from './portalRoutes';
import { sendPage } from './render';
import { signInRoutes } from './signInRoutes';
import { integrationRoutes } from './integrationRoutes';

/**
 * Scripts and styles from this process only; no inline script; framed only where PORTAL_FRAME_ANCESTORS says. The
 * Referer stays inside the portal's origin (a sign-in link's token never leaves it); `no-referrer` would make
 * browsers send `Origin: null` with the portal's own forms.
 */
const policy = (frameAncestors: string) => [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "form-action 'self'", "base-uri 'none'", `frame-ancestors ${frameAncestors}`,
].join('; ');

/**
 * A form posted from another site is refused before it is read, the sign-in forms included: their tokens stop
 * forgeries within a session, and this stops another site signing a browser into the attacker's account (login
 * CSRF). Browsers say where a request comes from in Sec-Fetch-Site; one too old for it sends Origin, which must then
 * be the portal's own. A client that sends neither is not a browser on another site.
 */
function refuseOtherOrigins(publicApiUrl: string) {
  const publicOrigin = new URL(publicApiUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const ours = site !== undefined
      ? site === 'same-origin' || site === 'none'
      : origin === undefined || origin === publicOrigin || origin === `${req.protocol}://${req.headers.host}`;
    if (ours) return next();
    const en = languageOf(req) === 'en';
    sendPage(res, MessagePage({ context: { language: languageOf(req), path: req.originalUrl }, title: '403',
      message: en ? 'This form was sent from another site: refused.' : 'Este formulário veio de outro site: recusado.' }), 403);
  };
}

export function portalRouter(deps: Deps): Router {
  const router = express.Router();
  const csp = policy(deps.config.PORTAL_FRAME_ANCESTORS);
  router.use((_req, res, next) => {
    res.set({ 'content-security-policy': csp, 'referrer-policy': 'same-origin', 'cache-control': 'no-store' });
    if (deps.config.PORTAL_FRAME_ANCESTORS === "'none'") res.set('x-frame-options', 'DENY'); // browsers without CSP 2
    next();
  });
  router.use('/assets', express.static(path.join(__dirname, 'assets'), { fallthrough: false, maxAge: '1h' }));
  router.use(refuseOtherOrigins(deps.config.PUBLIC_API_URL));
  router.use(portalForms);
  const portal = new PortalRoutes(deps, router);
  signInRoutes(portal);
  logRoutes(portal);
  accountRoutes(portal);
  integrationRoutes(portal);
  router.get('/', (_req, res) => res.redirect(303, '/portal/integracoes'));
  router.use((req, res) => {
    sendPage(res, MessagePage({ context: { language: languageOf(req), path: req.originalUrl }, title: '404',
      message: languageOf(req) === 'en' ? 'There is no such page.' : 'Esta página não existe.' }), 404);
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    // A body the parser refused is the client's (413, 400…); anything else is the server's fault.
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 503;
    if (code === 503) log.error('portal request failed', { error: (err as Error).message ?? String(err) });
    const en = languageOf(req) === 'en';
    sendPage(res, MessagePage({ context: { language: languageOf(req), path: req.originalUrl }, title: String(code),
      message: code === 503
        ? (en ? 'The request could not be completed; try again shortly.' : 'Não foi possível concluir o pedido; tente de novo em instantes.')
        : (en ? 'The request was refused.' : 'O pedido foi recusado.') }), code);
  });
  return router;
}
