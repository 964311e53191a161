// Seed 000's "Logs" and "Reenviar callback" (G7, G8) as portal pages, on the services the REST API calls:
// api/notificationLog.ts lists, api/resends.ts previews, confirms and reports, notifications/deliveries.ts reads.
import type { Response } from 'express';
import type { Deps } from '../../lib/deps';
import { NotFound } from '../../notifications/errors';
import { readDelivery } from '../../notifications/deliveries';
import { chargeIdOf, endpointEntry, endpointOf, type EndpointName } from '../../providers/registry';
import { listNotifications, logQuery } from '../notificationLog';
import { resend, resendProgress, type ResendSelection } from '../resends';
import { HttpError } from '../route';
import { deliveryIdSchema, endpointNameSchema } from '../schemas';
import { wordsOf } from './language';
import type { PageContext } from './layout';
import { logFieldsOf, logFilterOf, logSearch, logsPath, one, pageTokenOf } from './logFilter';
import { DeliveryPage } from './pages/delivery';
import { LogsPage } from './pages/logs';
import { MessagePage } from './pages/message';
import { ResendConfirmPage, type ResendChoice } from './pages/resendConfirm';
import { ResendProgressPage } from './pages/resendProgress';
import type { PortalRequest, PortalRoutes } from './portalRoutes';
import { seeOther, sendPage } from './render';

const PAGE_SIZE = 50;
const RESEND_ID = /^resend-[A-Za-z0-9_-]{1,200}$/;

const words = wordsOf({
  'pt-BR': {
    notFound: 'Esta página não existe.', inactiveTitle: 'URL inativa',
    inactive: 'Esta URL está inativa: nada seria enviado. Teste a URL e ative-a antes de reenviar.',
    testAndActivate: 'Testar e ativar a URL', invalid: 'O pedido tem campos inválidos: volte aos logs e filtre de novo.',
  },
  en: {
    notFound: 'There is no such page.', inactiveTitle: 'Inactive URL',
    inactive: 'This URL is inactive: nothing would be sent. Test the URL and activate it before resending.',
    testAndActivate: 'Test and activate the URL', invalid: 'The request has invalid fields: go back to the logs and filter again.',
  },
});

export function logRoutes(portal: PortalRoutes): void {
  const { deps } = portal;

  portal.get('/integracoes/:endpoint/logs', async ({ req, res, session, context }) => {
    const endpoint = endpointNamed(one(req.params.endpoint));
    if (!endpoint) return notFound(res, context);
    const fields = logFieldsOf(req.query);
    const { filter, errors } = logFilterOf(fields);
    const token = one(req.query.pagina);
    const pageToken = pageTokenOf(token);
    const page = { context, endpoint, endpointTitle: endpointEntry(endpoint).kind.title[context.language], fields };
    const nothingSelected = one(req.query.aviso) === 'nenhuma' ? 'nothingSelected' as const : undefined;
    if (Object.keys(errors).length > 0 || (token && !pageToken)) {
      return sendPage(res, LogsPage({ ...page, errors, rows: [], nextHref: null, pageRefused: !!token && !pageToken }), 400);
    }
    let listed;
    try {
      listed = await listNotifications(deps, logQuery(session.merchantId, endpoint, filter), PAGE_SIZE, pageToken);
    } catch (err) {
      // A token from other filters (the service checks its seal).
      if (err instanceof HttpError && err.status === 400) {
        return sendPage(res, LogsPage({ ...page, errors: {}, rows: [], nextHref: null, pageRefused: true }), 400);
      }
      throw err;
    }
    const nextHref = listed.nextPageToken ? logsPath(endpoint, fields, { pagina: listed.nextPageToken }) : null;
    sendPage(res, LogsPage({ ...page, errors: {}, rows: listed.notifications, nextHref, notice: nothingSelected }));
  });

  // "Reenviar callback" or "Reenviar todas que atendem aos filtros": the preview, as a question.
  portal.post('/integracoes/:endpoint/reenvios', async (request) => {
    const { req, res, context, form } = request;
    const endpoint = endpointNamed(one(req.params.endpoint));
    if (!endpoint) return notFound(res, context);
    const choice = choiceOf(form, context);
    if (choice.action === 'selecionadas' && choice.deliveryIds.length === 0) {
      return seeOther(res, logsPath(endpoint, choice.fields, { aviso: 'nenhuma' }));
    }
    const preview = await previewOf(deps, request, endpoint, choice);
    if (preview) sendPage(res, ResendConfirmPage({ context: answeringForm(context, endpoint, choice), endpoint, choice, ...preview }));
  });

  // "sim": the resend starts with the count the merchant saw; a selection that changed meanwhile is asked again.
  portal.post('/integracoes/:endpoint/reenvios/confirmacao', async (request) => {
    const { req, res, context, form, session } = request;
    const endpoint = endpointNamed(one(req.params.endpoint));
    if (!endpoint) return notFound(res, context);
    const choice = choiceOf(form, context);
    const confirmCount = /^[1-9]\d{0,9}$/.test(one(form.confirmCount)) ? Number(one(form.confirmCount)) : undefined;
    if (confirmCount === undefined) throw new HttpError(400, 'invalid_request', words[context.language].invalid);
    try {
      const started = await resend(deps, session.merchantId, endpoint, selectionOf(choice, context), confirmCount);
      if (started.confirmed) return seeOther(res, `/portal/reenvios/${started.resendId}${logSearch(choice.fields)}`);
    } catch (err) {
      if (!(err instanceof HttpError && err.code === 'selection_changed')) throw err;
    }
    const preview = await previewOf(deps, request, endpoint, choice);
    if (preview) {
      sendPage(res, ResendConfirmPage({ context: answeringForm(context, endpoint, choice), endpoint, choice, ...preview, changed: true }), 409);
    }
  });

  portal.get('/reenvios/:resendId', async ({ req, res, session, context }) => {
    const resendId = one(req.params.resendId);
    if (!RESEND_ID.test(resendId)) return notFound(res, context);
    let progress;
    try {
      progress = await resendProgress(deps, session.merchantId, resendId); // another account's id: 404
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return notFound(res, context);
      throw err;
    }
    // The id names the URL (api/resends.ts): resend-<merchant>-<endpoint>-<uuid>.
    const endpoint = endpointNamed(resendId.slice(`resend-${session.merchantId}-`.length).split('-')[0]);
    const logsHref = endpoint ? logsPath(endpoint, logFieldsOf(req.query)) : '/portal/integracoes';
    sendPage(res, ResendProgressPage({ context, progress, logsHref }));
  });

  portal.get('/entregas/:deliveryId', async ({ req, res, session, context }) => {
    const id = deliveryIdSchema.safeParse(one(req.params.deliveryId));
    if (!id.success) return notFound(res, context);
    let delivery;
    try {
      delivery = await readDelivery(deps, id.data, session.merchantId); // another account's: NotFound
    } catch (err) {
      if (err instanceof NotFound) return notFound(res, context);
      throw err;
    }
    const chargeId = chargeIdOf(delivery.event);
    const logsHref = logsPath(endpointOf(delivery.event), { cobranca: chargeId, enviado: '', de: '', ate: '' });
    sendPage(res, DeliveryPage({ context, delivery, chargeId, logsHref }));
  });
}

const endpointNamed = (name: string | undefined): EndpointName | undefined => endpointNameSchema.safeParse(name).data;

/** The same plain page for what does not exist and for what is another account's. */
function notFound(res: Response, context: PageContext): void {
  sendPage(res, MessagePage({ context, title: '404', message: words[context.language].notFound }), 404);
}

/** A page answering a form: the language switch goes back to the logs (a GET of the form's URL is no page). */
const answeringForm = (context: PageContext, endpoint: EndpointName, choice: ResendChoice): PageContext =>
  ({ ...context, path: logsPath(endpoint, choice.fields) });

/** The rows ticked (validated ids) or "all that match", with the filters they were chosen under. */
function choiceOf(form: PortalRequest['form'], context: PageContext): ResendChoice {
  const ticked = [form.entrega ?? []].flat();
  if (ticked.length > 100 || !ticked.every((id) => deliveryIdSchema.safeParse(id).success)) {
    throw new HttpError(400, 'invalid_request', words[context.language].invalid);
  }
  return { action: one(form.acao) === 'todas' ? 'todas' : 'selecionadas', deliveryIds: ticked, fields: logFieldsOf(form) };
}

/** The service's selection: the rows, or the filters (only what was not sent is ever resent). */
function selectionOf(choice: ResendChoice, context: PageContext): ResendSelection {
  if (choice.action === 'selecionadas') {
    // The logs send an empty selection back with a message; only a hand-made form gets here without one.
    if (choice.deliveryIds.length === 0) throw new HttpError(400, 'invalid_request', words[context.language].invalid);
    return { deliveryIds: choice.deliveryIds };
  }
  const { filter, errors } = logFilterOf(choice.fields);
  if (Object.keys(errors).length > 0) throw new HttpError(400, 'invalid_request', words[context.language].invalid);
  const { sent: _, ...rest } = filter;
  return rest;
}

/** How many would be resent and how many were sent; undefined once the inactive URL's page was sent instead. */
async function previewOf(
  deps: Deps, { res, context, session }: PortalRequest, endpoint: EndpointName, choice: ResendChoice,
): Promise<{ count: number; alreadySent: number } | undefined> {
  try {
    const preview = await resend(deps, session.merchantId, endpoint, selectionOf(choice, context));
    if (preview.confirmed) throw new Error('a preview started a resend');
    // "All that match" under enviado=sim: every row shown was sent, none is resent; under enviado=não, none shown was.
    const all = choice.action === 'todas';
    return {
      count: all && choice.fields.enviado === 'sim' ? 0 : preview.count,
      alreadySent: all && choice.fields.enviado === 'nao' ? 0 : preview.alreadySent,
    };
  } catch (err) {
    if (!(err instanceof HttpError && err.code === 'endpoint_inactive')) throw err;
    const w = words[context.language];
    sendPage(res, MessagePage({ context, title: w.inactiveTitle, message: w.inactive,
      link: { href: `/portal/integracoes/${endpoint}`, text: w.testAndActivate } }), 409);
    return undefined;
  }
}
