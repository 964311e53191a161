// Methods a known path has no route for: 405 with Allow, not the 404 of an unknown path.
import type express from 'express';
import { HttpError, type Route } from './route';

/**
 * A known path asked with a method it has no route for (TRACE, PATCH…) answers 405 with the methods it has (RFC 9110
 * §15.5.6), not the 404 of an unknown path; OPTIONS answers 204 with the same Allow.
 */
export function answerOtherMethods(app: express.Express, routes: Route[]): void {
  const methods = new Map<string, Set<string>>();
  for (const route of routes) {
    const allowed = methods.get(route.path) ?? new Set<string>();
    allowed.add(route.method.toUpperCase());
    if (route.method === 'get') allowed.add('HEAD'); // Express answers HEAD with the GET route
    methods.set(route.path, allowed);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    app.all(path, (req, res, next) => {
      if (req.method === 'OPTIONS') return void res.set('allow', allow).status(204).end();
      next(new HttpError(405, 'method_not_allowed', `${req.method} ${req.path}: use ${allow}.`, undefined, undefined, { allow }));
    });
  }
}

