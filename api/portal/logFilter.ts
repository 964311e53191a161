// The Logs page's filter fields (seed 000's words) and the service's filter they stand for (G7). Periods are typed in
// Brasília time, the seeds' clock: America/Sao_Paulo is UTC-3 all year (no DST since 2019).
import type { LogFilter } from '../notificationLog';
import { idSchema, logQuerySchema } from '../schemas';

/** What the filter form sends, as typed: echoed back into the form, the paging link and the resend forms. */
export interface LogFields {
  cobranca: string;
  enviado: '' | 'sim' | 'nao' | string;
  de: string;
  ate: string;
}

export type LogFieldError = 'charge' | 'sent' | 'instant' | 'period' | 'page';

const BRASILIA = '-03:00';
const LOCAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** A field of a query or form: one string, whatever else was sent (a repeated field keeps its first value). */
export const one = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : Array.isArray(value) && typeof value[0] === 'string' ? value[0].trim() : '';

export function logFieldsOf(source: Record<string, unknown>): LogFields {
  const get = (name: string) => one(source[name]);
  return { cobranca: get('cobranca'), enviado: get('enviado'), de: get('de'), ate: get('ate') };
}

/** The service's filter, or each field's error. */
export function logFilterOf(fields: LogFields): { filter: LogFilter; errors: Partial<Record<keyof LogFields, LogFieldError>> } {
  const errors: Partial<Record<keyof LogFields, LogFieldError>> = {};
  const filter: LogFilter = {};
  if (fields.cobranca) {
    if (idSchema.safeParse(fields.cobranca).success) filter.chargeId = fields.cobranca;
    else errors.cobranca = 'charge';
  }
  if (fields.enviado === 'sim') filter.sent = 'yes';
  else if (fields.enviado === 'nao') filter.sent = 'no';
  else if (fields.enviado !== '') errors.enviado = 'sent';
  for (const [field, key] of [['de', 'from'], ['ate', 'to']] as const) {
    if (!fields[field]) continue;
    const instant = instantOf(fields[field]);
    if (instant) filter[key] = instant;
    else errors[field] = 'instant';
  }
  if (filter.from && filter.to && filter.from >= filter.to) errors.ate = 'period';
  return { filter, errors };
}

/** A `datetime-local` value in Brasília time as an ISO instant; undefined when it is not one. */
export function instantOf(local: string): string | undefined {
  if (!LOCAL_INSTANT.test(local)) return undefined;
  const date = new Date(`${local.length === 16 ? `${local}:00` : local}${BRASILIA}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A page token as the service issues them (sealed); anything else is refused before it reaches Temporal. */
export const pageTokenOf = (token: string): string | undefined =>
  token && logQuerySchema.shape.pageToken.safeParse(token).success ? token : undefined;

/** The fields typed, as a query string (empty ones left out). */
export function logSearch(fields: LogFields, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams(Object.entries({ ...fields, ...extra }).filter(([, v]) => v !== ''));
  return search.size ? `?${search}` : '';
}

export const logsPath = (endpoint: string, fields: LogFields, extra?: Record<string, string>) =>
  `/portal/integracoes/${endpoint}/logs${logSearch(fields, extra)}`;
