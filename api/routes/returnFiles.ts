// Seed 002: bank return files (or protocols) submitted for reconciliation, and their typed results.
import { z } from 'zod';
import type { Deps } from '../../lib/deps';
import { RETURN_ID_PATTERN } from '../returnFileIds';
import { listReturnFiles, readReturnFile, submitReturnFile } from '../returnFiles';
import { defineRoute, errorSchema } from '../route';
import { idSchema } from '../schemas';

/** Larger than the API's 64 kB: a return file travels in the body (and in the workflow's input, encrypted). */
export const RETURN_FILE_BODY_LIMIT = '1mb';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const submission = z.object({
  cnpjCedente: z.string().regex(/^\d{14}$/, 'expected the cedente\'s 14-digit CNPJ'),
  protocolo: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a PlugBoleto protocol').optional(),
  // A pattern rather than z.base64(), which the document would not state.
  arquivo: z.string().regex(BASE64, 'expected base64 (RFC 4648, padded)').min(4, 'expected the file, base64-encoded')
    .max(700_000, 'at most ~512 kB of file; larger ones: upload them and send the protocol').optional(),
  pollIntervalSeconds: z.number().int().min(5, 'P3: at least 5 seconds between polls').max(3600).optional(),
  deadlineMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
}).strict().refine((s) => (s.protocolo === undefined) !== (s.arquivo === undefined), {
  message: 'give exactly one of protocolo (already uploaded) or arquivo (base64 file to upload)',
}).meta({ oneOf: [{ required: ['protocolo'] }, { required: ['arquivo'] }] }); // the refinement, stated in the document

const params = z.object({ merchantId: idSchema });
const returnIdSchema = z.string().regex(RETURN_ID_PATTERN, 'expected a returnId');
const view = z.object({
  returnId: z.string(),
  protocolo: z.string().nullable(),
  status: z.enum(['uploading', 'polling', 'reconciling', 'done', 'failed']),
  submittedAt: z.string(),
  closedAt: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).optional()
    .describe('processados, titulos, titulosNaoConciliados (cents, ISO dates), paid (the notifications raised), '
      + 'statusUnavailable (titles whose boleto status PlugBoleto did not answer, each with its failure)'),
  failure: z.object({ type: z.string().nullable(), message: z.string() }).optional(),
});

export const returnFileRoutes = (deps: Deps) => [
  defineRoute({
    method: 'post',
    path: '/v1/merchants/:merchantId/return-files',
    summary: 'Seed 002: reconcile a bank return file (upload it, or hand in its protocol); titles found paid are notified (P6)',
    tags: ['return files'],
    params,
    body: submission,
    responses: {
      202: { description: 'Accepted: polling', schema: z.object({ returnId: z.string(), duplicate: z.boolean() }) },
      200: { description: 'Already submitted: the same one', schema: z.object({ returnId: z.string(), duplicate: z.boolean() }) },
    },
    handler: async ({ params, body }) => {
      const submitted = await submitReturnFile(deps, params.merchantId, body);
      return { status: submitted.duplicate ? 200 : 202, body: submitted };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/return-files',
    summary: "The account's 50 most recent return files",
    tags: ['return files'],
    params,
    responses: { 200: { description: 'Newest first', schema: z.array(view.omit({ protocolo: true })) } },
    handler: async ({ params }) => ({ status: 200, body: await listReturnFiles(deps, params.merchantId) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/merchants/:merchantId/return-files/:returnId',
    summary: 'A return file: where it is, and its typed result once processed (P4)',
    tags: ['return files'],
    params: params.extend({ returnId: returnIdSchema }),
    responses: { 200: { description: 'The return file', schema: view }, 404: { description: 'Unknown', schema: errorSchema } },
    handler: async ({ params }) => ({ status: 200, body: await readReturnFile(deps, params.merchantId, params.returnId) }),
  }),
];
