// The account's other "did it arrive?" pages, read only: its payments and their receipts (I1, I2), its return files
// and each one's typed result (P4, P6). The same services as the REST API, under the session's account only.
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { PROTOCOL } from '../../workflows/searchAttributes';
import { listPayments } from '../paymentList';
import { RETURN_ID_PATTERN } from '../returnFileIds';
import { listReturnFiles, readReturnFile } from '../returnFiles';
import { HttpError } from '../route';
import { PaymentsPage } from './pages/payments';
import { ReturnFilePage } from './pages/returnFile';
import { ReturnFilesPage } from './pages/returnFiles';
import type { PortalRoutes } from './portalRoutes';
import { sendPage } from './render';

const PAYMENTS_PER_PAGE = 20;
/** The shape of the log's sealed page token (api/notificationLog.ts), which checks its seal. */
const pageToken = z.string().regex(/^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{16}$/).optional();

export function accountRoutes(portal: PortalRoutes): void {
  const { deps } = portal;

  portal.get('/pagamentos', async ({ req, res, session, context }) => {
    // A page token not of this listing: malformed here, or one whose seal the listing refuses (400 there too).
    const refused = new HttpError(400, 'invalid_request', context.language === 'en'
      ? 'This page of the list is not valid: start again from the first page.'
      : 'Esta página da lista não é válida: recomece da primeira página.');
    const token = pageToken.safeParse(req.query.pagina);
    if (!token.success) throw refused;
    const page = await listPayments(deps, session.merchantId, PAYMENTS_PER_PAGE, token.data).catch((err: unknown) => {
      throw err instanceof HttpError && err.status === 400 ? refused : err;
    });
    sendPage(res, PaymentsPage({ context, payments: page.payments, nextPage: page.nextPageToken, paged: token.data !== undefined }));
  });

  portal.get('/arquivos-de-retorno', async ({ res, session, context }) => {
    const rows = await listReturnFiles(deps, session.merchantId);
    // The listing leaves the protocol out; each run's search attribute holds it (a describe, no worker involved).
    const returnFiles = await Promise.all(rows.map(async (row) => ({ ...row, protocolo: await protocolOf(row.returnId) })));
    sendPage(res, ReturnFilesPage({ context, returnFiles }));
  });

  portal.get('/arquivos-de-retorno/:returnId', async ({ req, res, session, context }) => {
    const returnId = String(req.params.returnId);
    // Malformed, unknown or another account's (readReturnFile checks the account): the portal's plain 404, which
    // tells nothing of whether such a file exists.
    const notFound = new HttpError(404, 'not_found', context.language === 'en' ? 'There is no such page.' : 'Esta página não existe.');
    if (!RETURN_ID_PATTERN.test(returnId)) throw notFound;
    const view = await readReturnFile(deps, session.merchantId, returnId).catch((err: unknown) => {
      throw err instanceof HttpError && err.status === 404 ? notFound : err;
    });
    sendPage(res, ReturnFilePage({ context, view }));
  });

  async function protocolOf(returnId: string): Promise<string | null> {
    try {
      return (await deps.client.workflow.getHandle(returnId).describe()).typedSearchAttributes.get(PROTOCOL) ?? null;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null; // gone past retention since it was listed
      throw err;
    }
  }
}
