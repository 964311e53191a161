// Answering a portal request with a page: rendered by Preact, which escapes every text and attribute it is given,
// so what receivers and merchants wrote (answer excerpts, URLs, references) is shown as text, never as markup.
import type { Response } from 'express';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

export function sendPage(res: Response, page: VNode, status = 200): void {
  res.status(status).type('html').send(`<!doctype html>${render(page)}`);
}

/** After a form that changed something: the browser GETs the result (a reload does not resubmit). */
export function seeOther(res: Response, location: string): void {
  res.redirect(303, location);
}
