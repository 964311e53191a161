// How a portal page is declared: a GET or POST handler that runs only inside a session (POSTs only with the
// session's anti-CSRF token), and whose domain errors become pages with the API's statuses (api/domainErrors.ts).
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Deps } from '../../lib/deps';
import { createMailer, type Mailer } from '../../lib/mailer';
import { httpErrorOf } from '../domainErrors';
import { HttpError } from '../route';
import { cookieOf, languageOf } from './language';
import type { PageContext } from './layout';
import { MessagePage } from './pages/message';
import { sendPage } from './render';
import { SignIn, type PortalSession } from './signIn';

export const SESSION_COOKIE = 'arauto_portal';

export interface PortalRequest {
  req: Request;
  res: Response;
  session: PortalSession;
  /** What the layout needs: language, session, this page's path. */
  context: PageContext;
  /** The form's fields (POST), strings only. */
  form: Record<string, string | string[]>;
}

export type PortalHandler = (request: PortalRequest) => Promise<void>;

export class PortalRoutes {
  readonly signIn: SignIn;
  readonly mailer: Mailer;

  constructor(readonly deps: Deps, readonly router: Router) {
    this.signIn = new SignIn(deps);
    this.mailer = createMailer(deps.config);
  }

  get(path: string, handler: PortalHandler): void {
    this.router.get(path, (req, res, next) => void this.run(req, res, next, handler, false));
  }

  post(path: string, handler: PortalHandler): void {
    this.router.post(path, (req, res, next) => void this.run(req, res, next, handler, true));
  }

  private async run(req: Request, res: Response, next: NextFunction, handler: PortalHandler, changes: boolean) {
    const context: PageContext = { language: languageOf(req), path: req.originalUrl };
    try {
      const session = await this.signIn.session(cookieOf(req, SESSION_COOKIE));
      if (!session) {
        // A GET is sent to sign in and brought back; a form from a session that ended is not replayed.
        const back = req.method === 'GET' ? `?destino=${encodeURIComponent(req.originalUrl)}` : '';
        res.redirect(303, `/portal/entrar${back}`);
        return;
      }
      const form = (req.body ?? {}) as Record<string, string | string[]>;
      if (changes && !sameToken(form._csrf, session.csrfToken)) {
        throw new HttpError(403, 'csrf', 'The form is missing its anti-forgery token, or it is from another session: reload the page and try again.');
      }
      await handler({ req, res, session, context: { ...context, session }, form });
    } catch (err) {
      const known = err instanceof HttpError ? err : httpErrorOf(err);
      if (!known) return next(err);
      sendPage(res, MessagePage({ context, title: String(known.status), message: known.message }), known.status);
    }
  }
}

/** A form field compared in constant time with what it must be. */
export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** The portal's forms: URL-encoded, with room for a page of selected notifications. */
export const portalForms = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 1_000 });
