// The portal's doors: a sign-in link's page and its button, the page that e-mails a fresh link (where the G4 e-mail
// points), sign-out and the language switch. Everything else needs a session (api/portal/portalRoutes.ts).
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { log } from '../../lib/log';
import { merchantState } from '../merchants';
import { idSchema } from '../schemas';
import { cookieOf, LANGUAGE_COOKIE, LANGUAGES, languageOf, type Language } from './language';
import type { PageContext } from './layout';
import { MessagePage } from './pages/message';
import { EnterPage, RequestLinkPage, signInWords } from './pages/signIn';
import { SESSION_COOKIE, sameToken, type PortalRoutes } from './portalRoutes';
import { seeOther, sendPage } from './render';
import { portalPath } from './signIn';

const VISITOR_COOKIE = 'arauto_portal_visitor';
/** At most this many sign-in e-mails per account per window, whoever asks (a form anyone can post). */
const LINK_EMAILS_PER_ACCOUNT = 5;
const LINK_EMAIL_WINDOW_MS = 15 * 60_000;

export function signInRoutes(portal: PortalRoutes): void {
  const { router, signIn, deps } = portal;
  const sentRecently = new Map<string, number[]>();
  const contextOf = (req: Request): PageContext => ({ language: languageOf(req), path: req.originalUrl });
  const cookie = (req: Request) => ({
    httpOnly: true, secure: req.secure, path: '/portal',
    // Embedded in another site's dashboard (PORTAL_FRAME_ANCESTORS) the cookie must travel in a cross-site frame.
    sameSite: deps.config.PORTAL_FRAME_ANCESTORS !== "'none'" && req.secure ? 'none' as const : 'lax' as const,
  });

  router.get('/acesso', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const link = await signIn.readLink(token);
    if (typeof link === 'string') return refuseLink(res, contextOf(req), link);
    sendPage(res, EnterPage({ context: contextOf(req), token, merchantId: link.merchantId, automatic: link.channel === 'api' }));
  });

  router.post('/acesso', async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const opened = await signIn.open(token);
    if (typeof opened === 'string') return refuseLink(res, contextOf(req), opened);
    res.cookie(SESSION_COOKIE, opened.cookie, { ...cookie(req), maxAge: opened.maxAgeS * 1000 });
    log.info('portal session opened', { merchantId: opened.merchantId });
    seeOther(res, opened.next);
  });

  router.get('/entrar', (req, res) => {
    const visitor = cookieOf(req, VISITOR_COOKIE) ?? randomBytes(16).toString('base64url');
    res.cookie(VISITOR_COOKIE, visitor, { ...cookie(req), maxAge: 3_600_000 });
    const merchantId = idSchema.safeParse(req.query.conta).data ?? '';
    const next = portalPath(typeof req.query.destino === 'string' ? req.query.destino : '/portal');
    sendPage(res, RequestLinkPage({ context: contextOf(req), merchantId, next, csrfToken: signIn.csrfTokenOf(visitor), sent: false }));
  });

  // The same answer whether or not the account exists or has an address: the page reveals nothing.
  router.post('/entrar', async (req, res) => {
    const visitor = cookieOf(req, VISITOR_COOKIE);
    if (!visitor || !sameToken(req.body?._csrf, signIn.csrfTokenOf(visitor))) {
      return sendPage(res, MessagePage({ context: contextOf(req), title: '403', message: signInWords[languageOf(req)].sessionEnded,
        link: { href: '/portal/entrar', text: signInWords[languageOf(req)].askAgain } }), 403);
    }
    const merchantId = idSchema.safeParse(req.body.conta).data;
    const next = portalPath(String(req.body.destino ?? '/portal'));
    if (merchantId && withinBudget(sentRecently, merchantId)) await emailLink(portal, merchantId, next, languageOf(req));
    sendPage(res, RequestLinkPage({ context: contextOf(req), merchantId: merchantId ?? '', next, csrfToken: signIn.csrfTokenOf(visitor), sent: true }));
  });

  portal.post('/sair', async ({ res, session, context }) => {
    await signIn.signOut(session);
    res.clearCookie(SESSION_COOKIE, { path: '/portal' });
    const w = signInWords[context.language];
    sendPage(res, MessagePage({ context: { ...context, session: undefined }, title: w.signedOut, message: w.signedOut,
      link: { href: '/portal/entrar', text: w.askAgain } }));
  });

  router.get('/idioma', (req, res) => {
    const language = LANGUAGES.find((l) => l === req.query.lang) ?? 'pt-BR';
    res.cookie(LANGUAGE_COOKIE, language, { ...cookie(req), maxAge: 365 * 86_400_000 });
    seeOther(res, portalPath(typeof req.query.destino === 'string' ? req.query.destino : '/portal'));
  });
}

function refuseLink(res: Response, context: PageContext, refusal: 'invalid' | 'expired' | 'used') {
  const w = signInWords[context.language];
  sendPage(res, MessagePage({ context, title: w[refusal], message: w[refusal], link: { href: '/portal/entrar', text: w.askAgain } }),
    refusal === 'invalid' ? 400 : 410);
}

function withinBudget(sent: Map<string, number[]>, merchantId: string): boolean {
  const now = Date.now();
  const recent = (sent.get(merchantId) ?? []).filter((at) => now - at < LINK_EMAIL_WINDOW_MS);
  if (recent.length >= LINK_EMAILS_PER_ACCOUNT) return false;
  sent.set(merchantId, [...recent, now]);
  return true;
}

/** A fresh link to the address the account registered; none when it has none (or no account). */
async function emailLink(portal: PortalRoutes, merchantId: string, next: string, language: Language): Promise<void> {
  const to = await merchantState(portal.deps, merchantId).then((s) => s.notificationEmail, () => null);
  if (!to) return;
  // Without SMTP the mailer writes messages to the log, and a sign-in link is a secret: none is sent.
  if (!portal.deps.config.SMTP_URL) return void log.warn('portal sign-in link not e-mailed: SMTP_URL is unset', { merchantId });
  const { url } = await portal.signIn.link(merchantId, 'email', next);
  const w = signInWords[language];
  await portal.mailer.send({ to, subject: w.mailSubject, text: `${w.enterText} ${merchantId}:\n\n${url}\n\n${w.enterOnce}\n` });
  log.info('portal sign-in link e-mailed', { merchantId, via: portal.mailer.via });
}
